#!/usr/bin/env bash
# Browser tests: the widget and the console in Debian's Chromium, driven by
# playwright-core (npm), with axe-core for accessibility, and the OpenID
# popup against oidc-provider (npm, tests/oidc). Installs Chromium
# and the npm packages when missing, builds the binary, runs every
# tests/browser/*.test.mjs. Screenshots land in target/browser-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core
fi
if ! command -v node >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund)
fi
# The OpenID provider (oidc-provider) that oidc.test.mjs signs in at.
if [ ! -d tests/oidc/node_modules/oidc-provider ] || [ ! -d tests/oidc/node_modules/jose ]; then
    (cd tests/oidc && npm ci --no-audit --no-fund)
fi

cargo build --locked --bin tribune
export TRIBUNE_BIN="$PWD/target/debug/tribune"
cd tests/browser
# One file at a time where node allows choosing (each starts Chromium and Tribune).
serial=""
if node --help | grep -q -- --test-concurrency; then serial="--test-concurrency=1"; fi
node --test $serial ./*.test.mjs
