#!/usr/bin/env bash
# Installs the packed npm build into an app that already pins the LOWEST
# supported version of every client family (scripts/client_floors.json, the
# versions scripts/client_matrix.sh tests), as a user's existing app would:
# `npm install` must not fail with ERESOLVE. Then a script in that app puts
# and gets one value through RedisStore (on ioredis 5) against the real
# Redis at REDIS_URL.
# Run after `deno task build:npm`, with the servers up.
# Usage: scripts/check_app_install.sh
set -euo pipefail
cd "$(dirname "$0")/.."
app=$PWD/.cache/app-install
rm -rf "$app"
mkdir -p "$app"
(cd npm && npm pack --silent --pack-destination "$app" >/dev/null)
tarball=$(ls "$app"/*.tgz)
node -e '
  const floors = require("./scripts/client_floors.json").clients;
  const dependencies = Object.fromEntries(Object.entries(floors).map(([c, f]) => [c, f.lowest]));
  console.log(JSON.stringify({ private: true, type: "module", dependencies }, null, 2));
' > "$app/package.json"
cd "$app"
npm install --no-audit --no-fund --silent
echo "== npm install $(basename "$tarball") into an app on the lowest clients"
npm install --no-audit --no-fund "$tarball" 2>&1 | tee install.log | tail -3
if grep -q ERESOLVE install.log; then echo "ERESOLVE" >&2; exit 1; fi
cat > check.mjs <<'JS'
import { RedisStore } from "@kv/core/stores/redis";
import { createRequire } from "node:module";
const version = createRequire(import.meta.url)("ioredis/package.json").version;
const store = new RedisStore({ url: process.env.REDIS_URL });
const key = `app-install-${process.pid}`;
await store.put(key, { ok: true }, { ttl: 60 });
const got = await store.get(key);
await store.delete(key);
await store.close();
if (got?.ok !== true) throw new Error(`read back ${JSON.stringify(got)}`);
console.log(`app on ioredis ${version}: RedisStore put/get ok`);
JS
node check.mjs
