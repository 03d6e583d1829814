#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright; install it if absent (needs root/apt).
set -eu
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "Installing Debian's chromium for the browser tests..."
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "ERROR: /usr/bin/chromium is still missing; install Debian's 'chromium' package." >&2; exit 1; }
