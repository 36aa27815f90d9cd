#!/usr/bin/env bash
# Builds the npm package and runs the project's tests on the built JavaScript
# under Node 20 (the machine's), Node 22 and Node 24 (from npm) and Bun (from npm).
# Usage: scripts/test_npm.sh [test-dir ...]   (default: tests/unit)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
dirs=("${@:-tests/unit}")
deno task build:npm
node22=$(scripts/runtimes.sh 22)
node24=$(scripts/runtimes.sh 24)
cd npm
mapfile -t files < <(for d in "${dirs[@]}"; do [ -d "$d" ] && find "$d" -name '*.test.js'; done | sort)
if [ ${#files[@]} -eq 0 ]; then echo "no compiled tests under ${dirs[*]}" >&2; exit 1; fi
echo "== Node $(node --version): ${#files[@]} test files"
node --test --test-reporter=tap "${files[@]}" | tee ../.cache/node20.tap | grep -E '^# (tests|pass|fail|skipped)'
echo "== Node $("$node22" --version)"
"$node22" --test --test-reporter=tap "${files[@]}" | tee ../.cache/node22.tap | grep -E '^# (tests|pass|fail|skipped)'
echo "== Node $("$node24" --version)"
"$node24" --test --test-reporter=tap "${files[@]}" | tee ../.cache/node24.tap | grep -E '^# (tests|pass|fail|skipped)'
echo "== Bun $(bun --version)"
# Bun stops a test after 5 s by default; Deno and Node have no default, and a
# few integration tests wait out real deadlines (each also sets its own timeout).
bun test --timeout 60000 "${files[@]/#/./}" 2>&1 | tee ../.cache/bun.log | tail -4
