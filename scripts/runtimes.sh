#!/usr/bin/env bash
# Installs a Node version the npm build is tested on, from the npm registry
# (the `node` package ships its binary), into .cache/node<major>/
# (idempotent), and prints the path of its binary.
# Usage: scripts/runtimes.sh 22|24
# Node 20 is the machine's; Deno and Bun come from package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  22) version=22.23.3 ;;
  24) version=24.21.0 ;;
  *) echo "usage: $0 22|24" >&2; exit 2 ;;
esac
dir=.cache/node$1
bin="$dir/node_modules/.bin/node"
if [ ! -x "$bin" ] || [ "$("$bin" --version)" != "v$version" ]; then
  mkdir -p "$dir"
  # Its own package.json, so npm installs here and not into the project's node_modules.
  echo '{"private": true}' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "node@$version" >/dev/null)
fi
echo "$PWD/$bin"
