#!/usr/bin/env bash
# Runs every test of @kv/core. Needs only Node and npm on the machine (run
# `npm install` first; README's test command does both): it installs and
# starts the real servers (scripts/services.sh), the Python venv for the
# py-key-value interop tests, Chromium for the browser test, and Node 22 and 24; then
#   1. deno task ok                 fmt, lint, types, docs, import graph, unit tests
#   2. integration tests (Deno)     every store against its real server
#   3. the npm build                unit + integration tests on Node 20, 22, 24 and Bun
#   4. browser tests                FileTreeStore on OPFS in headless Chromium, from source and
#                                   from the npm package bundled as a user's bundler would
#   5. edge runtimes                MemoryStore, wrappers, adapters in workerd and edge-runtime
#   6. client-version matrix        each store's integration tests on its lowest supported client
#   7. app install                  the packed build into an app pinning the lowest clients
#   8. package lint                 publint and arethetypeswrong on the packed npm build,
#                                   deno publish --dry-run for JSR
# and prints one closing line: "N passed, N failed".
# KEEP_SERVICES=1 leaves the servers running afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
DENO=./node_modules/deno/deno
logs=.cache/test-logs
mkdir -p "$logs"
rm -f "$logs"/*.log
t0=$(date +%s)

step() { printf '\n=== %s (%ss)\n' "$1" "$(($(date +%s) - t0))"; }

step "servers"
scripts/services.sh up
if [ "${KEEP_SERVICES:-}" != 1 ]; then trap 'scripts/services.sh down >/dev/null 2>&1 || true' EXIT; fi
eval "$(scripts/services.sh env)"

step "python venv for interop tests"
KV_PYTHON=$(scripts/py_env.sh | tail -1)
export KV_PYTHON

if [ -x scripts/install_browser.sh ]; then
  step "chromium for the browser test"
  scripts/install_browser.sh
fi

step "deno task ok"
$DENO task ok 2>&1 | tee "$logs/deno-ok.log"

step "integration tests (Deno)"
$DENO task test:integration 2>&1 | tee "$logs/deno-integration.log"

step "npm build on Node 20, 22, 24 and Bun"
scripts/test_npm.sh tests/unit tests/integration 2>&1 | tee "$logs/npm.log"

if [ -d tests/browser ]; then
  step "browser tests (Deno + Chromium)"
  $DENO test -A tests/browser/ 2>&1 | tee "$logs/deno-browser.log"
fi

step "edge runtimes (workerd, edge-runtime)"
$DENO run -A scripts/test_edge.ts 2>&1 | tee "$logs/edge.log"

step "client-version matrix (lowest supported clients, Node 20)"
scripts/client_matrix.sh 2>&1 | tee "$logs/matrix.log"

step "the packed npm build into an app on the lowest clients"
scripts/check_app_install.sh 2>&1 | tee "$logs/app-install.log"

step "package lint (publint, arethetypeswrong, deno publish --dry-run)"
scripts/check_package.sh 2>&1 | tee "$logs/package.log"

step "summary"
passed=0
failed=0
add() { passed=$((passed + ${1:-0})); failed=$((failed + ${2:-0})); }
for f in "$logs"/deno-*.log; do
  line=$(sed 's/\x1b\[[0-9;]*m//g' "$f" | grep -E '^(ok|FAILED) \| [0-9]+ passed' | tail -1 || true)
  p=$(sed -E 's/.*\| ([0-9]+) passed.*/\1/' <<< "$line")
  q=$(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<< "$line")
  echo "$(basename "$f" .log): ${p:-0} passed, ${q:-0} failed"
  add "$p" "$q"
done
for runtime in workerd edge-runtime; do
  line=$(grep -E "^$runtime: [0-9]+ passed, [0-9]+ failed" "$logs/edge.log" | tail -1 || true)
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<< "$line")
  q=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<< "$line")
  echo "edge runtime $runtime: ${p:-0} passed, ${q:-0} failed"
  add "$p" "$q"
done
for runtime in node20 node22 node24; do
  p=$(grep -E '^# pass ' ".cache/$runtime.tap" | awk '{print $3}')
  q=$(grep -E '^# fail ' ".cache/$runtime.tap" | awk '{print $3}')
  echo "npm build on $runtime: ${p:-0} passed, ${q:-0} failed"
  add "$p" "$q"
done
p=$(grep -E '^ *[0-9]+ pass$' .cache/bun.log | awk '{print $1}')
q=$(grep -E '^ *[0-9]+ fail$' .cache/bun.log | awk '{print $1}')
echo "npm build on bun: ${p:-0} passed, ${q:-0} failed"
add "$p" "$q"
p=$(awk '/^# .* pass [0-9]+$/ {s += $NF} END {print s + 0}' "$logs/matrix.log")
q=$(awk '/^# .* fail [0-9]+$/ {s += $NF} END {print s + 0}' "$logs/matrix.log")
echo "client-version matrix: $p passed, $q failed"
add "$p" "$q"
echo "total time: $(($(date +%s) - t0))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
