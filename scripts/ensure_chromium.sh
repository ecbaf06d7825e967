#!/bin/sh
# Browser tests drive Debian's chromium (Playwright cannot download its own
# browser here). Install it when missing and we are allowed to.
set -e
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is not installed at $CHROMIUM: install Debian's 'chromium' package (browser tests need it)" >&2
  exit 1
fi
