#!/usr/bin/env bash
# Set up a fresh Debian 12 / Raspberry Pi OS (64-bit) checkout: system libraries, venv, Python deps.
# Installs missing apt packages when run as root; otherwise prints the exact command to run.
# Idempotent: a stamp in the venv skips pip when pyproject.toml has not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

# shared library -> Debian package that provides it
declare -A LIBS=(
  [libzbar.so.0]=libzbar0            # pyzbar (QR decoding)
  [libEGL.so.1]=libegl1              # Qt GUI (also offscreen)
  [libGL.so.1]=libgl1
  [libfontconfig.so.1]=libfontconfig1
  [libxkbcommon.so.0]=libxkbcommon0
  [libglib-2.0.so.0]=libglib2.0-0
  [libdbus-1.so.3]=libdbus-1-3
  [libX11.so.6]=libx11-6
)

missing=()
for lib in "${!LIBS[@]}"; do
  if ! /sbin/ldconfig -p 2>/dev/null | grep -q "${lib} "; then
    missing+=("${LIBS[$lib]}")
  fi
done
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi

if ((${#missing[@]})); then
  cmd="apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "bootstrap: installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $cmd >/dev/null
  else
    echo "bootstrap: missing system packages. Run this, then try again:" >&2
    echo "  sudo apt-get update && sudo $cmd" >&2
    exit 1
  fi
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "bootstrap: creating virtualenv $VENV"
  "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
  echo "bootstrap: installing Python dependencies (first run takes a minute)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
