#!/usr/bin/env bash
# Lints the built npm package as its users' tools see it: publint (the
# package.json fields and exports map, against the files) and
# arethetypeswrong (every export's types resolve under node16 ESM and
# bundler resolution; `--profile esm-only`, since the package is ESM only).
# Run after `deno task build:npm`; fails on any problem either reports.
# Usage: scripts/check_package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/node_modules/.bin
mkdir -p .cache/pack
rm -f .cache/pack/*.tgz
echo "== publint $("$bin/publint" --version 2>/dev/null || true)"
"$bin/publint" npm --strict
(cd npm && npm pack --silent --pack-destination ../.cache/pack >/dev/null)
tarball=$(ls .cache/pack/*.tgz)
echo "== arethetypeswrong on $(basename "$tarball")"
# The report lists every export; only its verdict (exit status) matters here.
"$bin/attw" "$tarball" --profile esm-only --format table-flipped > .cache/pack/attw.txt 2>&1 || {
  cat .cache/pack/attw.txt
  exit 1
}
echo "attw: no problems in $(grep -c '^' .cache/pack/attw.txt) lines of report"
