#!/bin/sh
# The SSO tests (tests/sso/) start a real OpenID Connect provider: the npm package oidc-provider on
# Node.js, installed from the committed lockfile. xmlsec1 signs and checks SAML messages (pysaml2).
# Install what is missing when we are allowed to (root with apt-get), as scripts/ensure_chromium.sh does.
set -e
IDP_DIR=tests/sso/idp
missing=""
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
command -v xmlsec1 >/dev/null 2>&1 || missing="$missing xmlsec1"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's$missing for the SSO tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "the SSO tests need Debian's$missing: install them" >&2
    exit 1
  fi
fi
if [ ! -d "$IDP_DIR/node_modules/oidc-provider" ] || [ "$IDP_DIR/package-lock.json" -nt "$IDP_DIR/node_modules/.package-lock.json" ]; then
  (cd "$IDP_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
