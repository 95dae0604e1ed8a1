#!/usr/bin/env bash
# Installs Debian's headless Chromium (and chromedriver) for tests/test_browser.py, which renders
# report.html and checks it loads without console errors. Idempotent and quiet: does nothing when
# /usr/bin/chromium is already there; needs root (or sudo) and apt-get otherwise.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null | head -n 1))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: apt-get not found; install Chromium yourself or the browser tests will be skipped" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "chromium: not root and no sudo; the browser tests will be skipped" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq chromium chromium-driver >/dev/null
echo "chromium: installed ($(/usr/bin/chromium --version 2>/dev/null | head -n 1))"
