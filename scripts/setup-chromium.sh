#!/usr/bin/env bash
# Installs Debian's Chromium for the report-rendering test (test/report-render.test.ts), which
# drives it with playwright-core. Idempotent: returns at once when /usr/bin/chromium already runs.
# Playwright's own browser download is never used: it fetches a build from outside the package
# registries, which CI cannot reach.
set -euo pipefail

if [ -x /usr/bin/chromium ] && /usr/bin/chromium --version >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -n "$0" "$@"
  fi
  echo "setup-chromium: /usr/bin/chromium is missing and installing it needs root (apt-get install chromium)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
/usr/bin/chromium --version
