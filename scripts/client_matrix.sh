#!/usr/bin/env bash
# The client-version matrix: runs a store's integration tests, compiled in the
# npm build, on Node against the LOWEST supported major of its client (the
# newest is the development pin in package.json, which every other test run
# uses). The peer ranges of the npm package (scripts/build_npm.ts) start at
# the versions listed here.
#
# How a client is swapped without touching node_modules: for each row the
# npm build is copied to .cache/matrix/<name>/pkg/ and the old client is
# installed into .cache/matrix/<name>/node_modules/. Node resolves a bare
# import from the importing file's directory upwards, so the store's
# `import "ioredis"` finds the old client there first, while everything else
# (node:test, fast-check, other clients) falls through to the project's
# node_modules above.
#
# Needs the servers up (scripts/services.sh up) and `deno task build:npm`.
# Usage: scripts/client_matrix.sh [name ...]   (default: every row)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# The rows, from scripts/client_floors.json (the one list of lowest
# versions): "name|package@version|compiled test files", for each client
# with tests whose lowest version differs from the development pin.
mapfile -t MATRIX < <(node -e '
  const floors = require("./scripts/client_floors.json").clients;
  const pins = require("./package.json").devDependencies;
  for (const [client, { lowest, tests }] of Object.entries(floors)) {
    if (tests.length === 0 || lowest === pins[client]) continue;
    const name = `${client.split("/").pop()}-${lowest}`;
    console.log(`${name}|${client}@${lowest}|${tests.join(" ")}`);
  }')
# Candidates tried by hand: MATRIX_TRY="name|spec|tests;..." replaces the rows.
if [ -n "${MATRIX_TRY:-}" ]; then IFS=';' read -r -a MATRIX <<< "$MATRIX_TRY"; fi

want=("$@")
failed=0
for row in "${MATRIX[@]}"; do
  IFS='|' read -r name spec tests <<< "$row"
  if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " == *" $name "* ]]; then continue; fi
  dir=$root/.cache/matrix/$name
  mkdir -p "$dir"
  if [ "$(cat "$dir/node_modules/.installed" 2>/dev/null)" != "$spec" ]; then
    rm -rf "$dir/node_modules" "$dir/package.json" "$dir/package-lock.json"
    echo '{"private":true}' > "$dir/package.json"
    npm install --prefix "$dir" --no-audit --no-fund --no-save --silent "$spec" >/dev/null
    echo "$spec" > "$dir/node_modules/.installed"
  fi
  rm -rf "$dir/pkg"
  cp -r "$root/npm" "$dir/pkg"
  client=${spec%@*}
  got=$(node -p "require('$dir/node_modules/$client/package.json').version")
  files=()
  for t in $tests; do files+=("$dir/pkg/tests/integration/$t"); done
  echo "== $name: $client $got on Node $(node --version): $tests"
  if (cd "$dir/pkg" && timeout 300 node --test --test-reporter=tap "${files[@]}") > "$dir/tap.txt" 2>&1; then :; fi
  pass=$(grep -E '^# pass ' "$dir/tap.txt" | awk '{print $3}' || true)
  fail=$(grep -E '^# fail ' "$dir/tap.txt" | awk '{print $3}' || true)
  echo "# $name pass ${pass:-0}"
  echo "# $name fail ${fail:-1}"
  if [ "${fail:-1}" != 0 ] || [ "${pass:-0}" = 0 ]; then
    failed=1
    # Not `| head`: under pipefail, grep killed by SIGPIPE would end the script (exit 141).
    grep -m 20 -E '^ *not ok|error:|Error' "$dir/tap.txt" || true
  fi
done
exit $failed
