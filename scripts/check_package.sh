#!/usr/bin/env bash
# Lints the built npm package as its users' tools see it: publint (the
# package.json fields and exports map, against the files) and
# arethetypeswrong (every export's types resolve under node16 ESM and
# bundler resolution; `--profile esm-only`, since the package is ESM only).
# Then `deno publish --dry-run`: the JSR package (its slow-types check, its
# files) publishes cleanly, with no warning.
# Run after `deno task build:npm`; fails on any problem any of them reports.
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
echo "== deno publish --dry-run"
# --allow-dirty: the test run leaves gitignored outputs, and a developer's tree may be dirty.
./node_modules/deno/deno publish --dry-run --allow-dirty > .cache/pack/publish.txt 2>&1 || {
  cat .cache/pack/publish.txt
  exit 1
}
if grep -qiE '^(warning|error)' <(sed 's/\x1b\[[0-9;]*m//g' .cache/pack/publish.txt); then
  cat .cache/pack/publish.txt
  exit 1
fi
echo "deno publish --dry-run: $(grep -c 'file:///' .cache/pack/publish.txt) files, no warning"
