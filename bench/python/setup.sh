#!/usr/bin/env bash
# Installs the Python stack of the baseline benches (bench/python-*.bench.mjs) from Debian's
# archive for /usr/bin/python3: pandas, scikit-learn, scipy (numpy and joblib come with them).
# Idempotent: a quick no-op when the packages are present. (Debian bookworm has no
# python3-pyarrow package, and the baselines do not need it: they read CSV and JSONL.)
set -euo pipefail
PACKAGES=(python3-pandas python3-sklearn python3-scipy)
PY=/usr/bin/python3

installed() {
  [ -x "$PY" ] || return 1
  for p in "${PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || return 1
  done
}
if installed; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "bench/python/setup.sh: run as root, or install: apt-get install ${PACKAGES[*]}" >&2
    exit 1
  fi
fi
echo "installing ${PACKAGES[*]} for $PY" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >&2
"$PY" -c 'import pandas, sklearn, scipy; print("python stack:", "pandas", pandas.__version__, "scikit-learn", sklearn.__version__, "scipy", scipy.__version__)' >&2
