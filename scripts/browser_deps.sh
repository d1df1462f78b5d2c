#!/usr/bin/env bash
# What the browser tests need beyond requirements-dev.txt: Debian's Chromium (Playwright drives it
# through executable_path; its own browser download is never used). axe-core comes with `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  echo "==> installing chromium (Debian package) for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi
  $SUDO apt-get update -qq || true
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
