#!/usr/bin/env bash
# Python venv with py-key-value (py-key-value-aio) for @kv/core's interop tests.
#
#   scripts/py_env.sh            create/refresh .cache/pyenv, print its python path
#   PY="$(scripts/py_env.sh)"    the only thing on stdout is that path (progress goes to stderr)
#
# Installs py-key-value-aio at a pinned version with the extras for the stores
# the interop tests touch, each extra tried on its own so one that cannot install
# does not block the others (the result is in .cache/pyenv/kv-extras.txt). All
# versions are pinned through the constraints below (what resolved on
# 2026-11-21 with Python 3.11). Idempotent: when nothing changed (stamp in the
# venv) it only checks that the package imports and returns.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.cache/pyenv"
PYTHON="${KV_PYTHON:-python3}"
PKV_VERSION=0.5.0
EXTRAS=(redis valkey memcached mongodb elasticsearch dynamodb filetree postgresql wrappers-encryption)

# Python module of each extra's store, checked after install.
store_module() {
  case $1 in
    redis) echo key_value.aio.stores.redis:RedisStore ;;
    valkey) echo key_value.aio.stores.valkey:ValkeyStore ;;
    memcached) echo key_value.aio.stores.memcached:MemcachedStore ;;
    mongodb) echo key_value.aio.stores.mongodb:MongoDBStore ;;
    elasticsearch) echo key_value.aio.stores.elasticsearch:ElasticsearchStore ;;
    dynamodb) echo key_value.aio.stores.dynamodb:DynamoDBStore ;;
    filetree) echo key_value.aio.stores.filetree:FileTreeStore ;;
    postgresql) echo key_value.aio.stores.postgresql:PostgreSQLStore ;;
    wrappers-encryption) echo key_value.aio.wrappers.encryption:FernetEncryptionWrapper ;;
  esac
}

CONSTRAINTS="aiobotocore==3.10.0
aiofile==3.12.3
caio==0.12.10
cffi==2.1.1
cryptography==50.0.2
pycparser==3.12
aiohappyeyeballs==2.7.1
aiohttp==3.14.5
aioitertools==0.13.0
aiomcache==0.8.2
aiosignal==1.4.0
anyio==4.16.0
asyncpg==0.32.0
attrs==26.1.0
beartype==0.23.1
botocore==1.43.117
botocore-stubs==1.43.126
certifi==2026.10.18
cffi==2.1.1
dnspython==2.9.2
elastic-transport==9.4.2
elasticsearch==9.5.1
frozenlist==1.8.0
idna==3.20
jmespath==1.1.0
multidict==7.2.1
outcome==1.3.0.post0
propcache==0.5.4
protobuf==7.36.2
py-key-value-aio==$PKV_VERSION
pycparser==3.12
pymongo==4.20.0
python-dateutil==2.9.0.post0
redis==8.1.0
six==1.17.0
sniffio==1.3.1
sortedcontainers==2.4.0
trio==0.35.0
types-aiobotocore-dynamodb==3.10.0
types-aiobotocore-lite==3.10.0
typing_extensions==4.16.0
tzdata==2026.6
urllib3==2.8.0
valkey-glide==2.6.0
wrapt==2.5.2
yarl==1.25.1"

log() { printf '%s\n' "$*" >&2; }
now() { date +%s.%N; }
secs_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

t0=$(now)
command -v "$PYTHON" >/dev/null || { log "error: $PYTHON not found (set KV_PYTHON)"; exit 1; }
PYVER=$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
STAMP=$(printf '%s\n%s\n%s\n%s\n' "$PKV_VERSION" "${EXTRAS[*]}" "$CONSTRAINTS" "$PYVER" | sha256sum | cut -c1-16)

check_imports() { # prints one line per extra: "<extra> ok" or "<extra> FAIL <reason>"
  local e mods=()
  for e in "${EXTRAS[@]}"; do mods+=("$e=$(store_module "$e")"); done
  "$VENV/bin/python" - "${mods[@]}" <<'PY'
import importlib, sys
for arg in sys.argv[1:]:
    extra, target = arg.split("=", 1)
    mod, cls = target.split(":")
    try:
        getattr(importlib.import_module(mod), cls)
        print(f"{extra} ok")
    except Exception as e:  # noqa: BLE001
        print(f"{extra} FAIL {type(e).__name__}: {e}")
PY
}

if [[ -x $VENV/bin/python && -f $VENV/kv-stamp && $(<"$VENV/kv-stamp") == "$STAMP" ]]; then
  if "$VENV/bin/python" -c 'import key_value.aio.stores.redis' 2>/dev/null; then
    log "py_env: .cache/pyenv up to date (py-key-value-aio $PKV_VERSION, Python $PYVER; $(secs_since "$t0") s)"
    printf '%s\n' "$VENV/bin/python"
    exit 0
  fi
  log "py_env: py-key-value does not import; reinstalling"
fi

if [[ ! -x $VENV/bin/python ]] || [[ $("$VENV/bin/python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) != "$PYVER" ]]; then
  log "py_env: creating .cache/pyenv with $PYTHON ($PYVER)"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PYTHON" -m venv "$VENV"
fi
printf '%s\n' "$CONSTRAINTS" >"$VENV/kv-constraints.txt"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input -q)

log "py_env: pip install py-key-value-aio==$PKV_VERSION"
"${PIP[@]}" install -c "$VENV/kv-constraints.txt" "py-key-value-aio==$PKV_VERSION" >&2

# Each extra on its own, so one that cannot install here does not block the rest.
: >"$VENV/kv-extras.txt"
failed=0
for e in "${EXTRAS[@]}"; do
  te=$(now)
  if "${PIP[@]}" install -c "$VENV/kv-constraints.txt" "py-key-value-aio[$e]==$PKV_VERSION" >"$VENV/pip-$e.log" 2>&1; then
    log "py_env:   [$e] installed ($(secs_since "$te") s)"
  else
    failed=1
    log "py_env:   [$e] FAILED: $(grep -E 'ERROR|error:' "$VENV/pip-$e.log" | tail -n 1 || true) (log: .cache/pyenv/pip-$e.log)"
  fi
done

check_imports >"$VENV/kv-extras.txt"
if grep -q FAIL "$VENV/kv-extras.txt"; then
  failed=1
  log "py_env: store imports:"
  sed 's/^/py_env:   /' "$VENV/kv-extras.txt" >&2
fi
if grep -q '^redis ok' "$VENV/kv-extras.txt"; then :; else
  log "error: py-key-value's RedisStore does not import; the interop tests need it"
  exit 1
fi
# Only a complete install is stamped, so a transient failure is retried next time.
if [[ $failed -eq 0 ]]; then printf '%s\n' "$STAMP" >"$VENV/kv-stamp"; else rm -f "$VENV/kv-stamp"; fi
log "py_env: ready in $(secs_since "$t0") s: $(awk '{print $1" "$2}' "$VENV/kv-extras.txt" | paste -sd, - | sed 's/,/, /g')"
printf '%s\n' "$VENV/bin/python"
