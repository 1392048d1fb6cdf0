#!/usr/bin/env bash
# Run the test suite with the library versions a Raspberry Pi on Pi OS bookworm ends up with:
# NumPy 1.24.2 (apt's python3-numpy, seen through --system-site-packages), opencv-python-headless
# 4.11.0.86 (the newest below constraints-pi.txt's <4.12) and PySide6-Essentials 6.8.0.2 (the
# newest aarch64 wheel glibc 2.36 can install); everything else as pip resolves it with
# firmware_notes/constraints-pi.txt. The development venv has NumPy 2, OpenCV 5 and PySide6 6.8.3,
# so this is the run that catches code or tests that only work there.
#
# The venv is kept outside the checkout and rebuilt only when pyproject.toml, the constraints or
# the pins change. Extra arguments go to pytest (default: the whole suite).
#
# Usage: scripts/pi_versions.sh [pytest args]      PI_VENV=... to put the venv elsewhere
# Ends with one line: `pi-versions: numpy ..., opencv ..., PySide6 ...: <pytest summary>`.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${PI_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/checkpoint-station-pi-venv}
PYTHON=${PYTHON:-python3.11}
PINS=(numpy==1.24.2 opencv-python-headless==4.11.0.86 PySide6-Essentials==6.8.0.2)
LOG=$VENV/last-run.log

build_venv() {
  local stamp
  stamp=$VENV/.installed-$( (cat pyproject.toml firmware_notes/constraints-pi.txt
    echo "${PINS[*]} $PWD") | sha256sum | cut -c1-16)
  [[ -f $stamp ]] && return 0
  echo "pi_versions: building $VENV (about a minute)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  local pins=$VENV/pins.txt
  printf '%s\n' "${PINS[@]}" >"$pins"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -c firmware_notes/constraints-pi.txt -c "$pins" -e '.[dev,pi]' >"$VENV/pip.log" 2>&1 ||
    { tail -20 "$VENV/pip.log"; exit 1; }
  touch "$stamp"
}

versions() {
  "$VENV/bin/python" - <<'EOF'
from importlib.metadata import version
names = ("numpy", "opencv-python-headless", "PySide6-Essentials")
print(", ".join(f"{n.split('-')[0]} {version(n)}" for n in names))
EOF
}

main() {
  build_venv
  local status=0
  QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest -p no:randomly -p no:cacheprovider \
    "${@:-tests}" >"$LOG" 2>&1 || status=$?
  grep -E '^(FAILED|ERROR) ' "$LOG" || true
  echo "pi-versions: $(versions): $(tail -1 "$LOG" | tr -d '=' | sed 's/^ *//') (log: $LOG)"
  return "$status"
}

main "$@"
