#!/usr/bin/env bash
# Installs the headless browser the browser tests drive (Debian's chromium,
# through playwright-core with executablePath /usr/bin/chromium). Idempotent:
# does nothing when chromium is already there. Needs root (or sudo) for apt.
# Usage: scripts/install_browser.sh
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(chromium --version 2>/dev/null | head -n1)"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install_browser.sh: needs root to apt-get install chromium" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium >/dev/null
echo "chromium: $(chromium --version 2>/dev/null | head -n1)"
