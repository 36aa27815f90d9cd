#!/usr/bin/env bash
# Installs the extra runtimes the npm build is tested on, from the npm
# registry, into .cache/ (idempotent): Node 24 (the `node` package ships its
# binary). Node 20 is the machine's; Deno and Bun come from package.json.
# Prints the path of the Node 24 binary.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE24_VERSION=24.21.0
dir=.cache/node24
bin="$dir/node_modules/.bin/node"
if [ ! -x "$bin" ] || [ "$("$bin" --version)" != "v$NODE24_VERSION" ]; then
  mkdir -p "$dir"
  # Its own package.json, so npm installs here and not into the project's node_modules.
  echo '{"private": true}' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "node@$NODE24_VERSION" >/dev/null)
fi
echo "$PWD/$bin"
