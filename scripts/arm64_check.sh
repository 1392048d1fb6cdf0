#!/usr/bin/env bash
# Install and check the station on Debian 12 arm64 under qemu-user, the way install.md does it on
# a Pi: Debian's Python 3.11.2 and NumPy 1.24.2 from apt, a --system-site-packages venv, the real
# aarch64 wheels from PyPI with firmware_notes/constraints-pi.txt. Then: `station --version`, the
# import check, `station doctor`, `station verify` on dgc-testdata files (text and PNG),
# `station demo --text` and the tests that run native code.
#
# The chroot is cached outside the checkout; the first run takes ~15 min, later runs only copy
# the checkout in again (pip runs again only when pyproject.toml or the constraints change).
# Emulated timings say nothing about a Pi. Not covered: the Raspberry Pi archive (picamera2,
# libcamera, lgpio) is not used here, nor a camera, GPU or Wayland.
#
# Usage (root): scripts/arm64_check.sh [pytest paths and options]   (ARM64_REBUILD=1: start over)
# Ends with one line: `arm64: ...`; the full log and pip freeze are kept in the cache folder.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
CACHE=${ARM64_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/checkpoint-station-arm64}
ROOT=$CACHE/rootfs
APP=/opt/checkpoint-station/releases/check
LOG=$CACHE/last-run.log
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# What install.md and os-image.md install that Debian itself has, plus the Qt libraries the Pi OS
# desktop image already carries. python3-picamera2, python3-lgpio and rpicam-apps-lite exist only
# in the Raspberry Pi archive; Debian's python3-gpiozero is 1.6 (the Pi archive has 2.0).
# python3-requests brings apt's urllib3 1.26 into view of the venv, as on a system that has it.
APT_PACKAGES=(
  git python3-venv python3-numpy libzbar0 v4l-utils python3-gpiozero ca-certificates
  libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0 python3-requests
)
DEFAULT_TESTS=(
  tests/scan tests/unit tests/families tests/rules tests/test_dgc_conformance.py
  tests/gui/test_gui_scan_flow.py tests/gui/test_gui_virtual_camera.py
  tests/gui/test_gui_presenters.py tests/gui/test_gui_inputs.py tests/sync/test_http_client.py
)
# Files whose every EXPECTED* flag is true, from six issuers (ECDSA and RSA signers).
VECTORS=(AT/2DCode/raw/1.json DE/2DCode/raw/1.json UA/2DCode/raw/1.json
  SE/2DCode/raw/1.json IT/2DCode/raw/2.json CH/2DCode/raw/1.json)

die() { echo "arm64_check: $*" >&2; exit 1; }

preflight() {
  [[ $(id -u) -eq 0 ]] || die "run as root (debootstrap and chroot need it)"
  command -v debootstrap >/dev/null || die "apt-get install debootstrap"
  [[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] ||
    die "no qemu-aarch64 binfmt handler: apt-get install qemu-user-static binfmt-support"
}

build_base() {
  [[ ${ARM64_REBUILD:-0} == 1 ]] && rm -rf "$ROOT"
  if [[ ! -f $ROOT/.base-done ]]; then
    rm -rf "$ROOT" && mkdir -p "$CACHE"
    echo "arm64_check: debootstrap arm64 bookworm (several minutes under emulation)"
    debootstrap --arch=arm64 --variant=minbase bookworm "$ROOT" "$MIRROR" >"$CACHE/debootstrap.log"
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$MIRROR" "$MIRROR" \
      >"$ROOT/etc/apt/sources.list"
    printf '127.0.0.1 localhost\n::1 localhost\n' >"$ROOT/etc/hosts"
    touch "$ROOT/.base-done"
  fi
}

install_packages() {
  local stamp
  stamp=.apt-$(echo "${APT_PACKAGES[*]}" | sha256sum | cut -c1-16)
  if [[ ! -f $ROOT/$stamp ]]; then
    echo "arm64_check: apt-get install ${APT_PACKAGES[*]}"
    in_root "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends ${APT_PACKAGES[*]}" >"$CACHE/apt.log"
    rm -f "$ROOT"/.apt-* && touch "$ROOT/$stamp"
  fi
}

trust_local_cas() {
  # A host behind a TLS-inspecting proxy has its CA in /usr/local/share/ca-certificates; the
  # chroot needs it too to reach PyPI.
  local here=/usr/local/share/ca-certificates there=$ROOT/usr/local/share/ca-certificates
  [[ -d $here ]] || return 0
  diff -rq "$here" "$there" >/dev/null 2>&1 && return 0
  rm -rf "$there" && cp -r "$here" "$there"
  in_root "update-ca-certificates" >>"$CACHE/apt.log" 2>&1
}

mount_all() {
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
  mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
  mountpoint -q "$ROOT/dev/shm" || mount -t tmpfs shm "$ROOT/dev/shm"
  mountpoint -q "$ROOT/dev/pts" || mount -t devpts devpts "$ROOT/dev/pts"
  trap unmount_all EXIT
  trap 'exit 130' INT TERM
}

unmount_all() {
  for point in dev/pts dev/shm dev proc; do
    if mountpoint -q "$ROOT/$point"; then umount "$ROOT/$point" || umount -l "$ROOT/$point"; fi
  done
}

in_root() {
  chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    /bin/bash -c "$1"
}

copy_checkout() {
  # The venv survives the copy, so pip only runs again when the dependencies change.
  local dest=$ROOT$APP keep=$ROOT/opt/checkpoint-station/venv-keep
  [[ -d $dest/.venv ]] && rm -rf "$keep" && mv "$dest/.venv" "$keep"
  rm -rf "$dest" && mkdir -p "$dest"
  tar -C "$REPO" --exclude=./.venv --exclude=./.git --exclude='*/__pycache__' \
    --exclude=./.mypy_cache --exclude=./.ruff_cache --exclude=./.pytest_cache \
    --exclude=./.hypothesis -cf - . | tar -C "$dest" -xf -
  [[ -d $keep ]] && mv "$keep" "$dest/.venv"
  return 0
}

install_station() {
  local stamp
  stamp=.installed-$(cat pyproject.toml firmware_notes/constraints-pi.txt | sha256sum | cut -c1-16)
  [[ -f $ROOT$APP/.venv/$stamp ]] && return 0
  echo "arm64_check: venv and pip install (a few minutes under emulation)"
  # Exactly install.md's two commands, then the test tools on top.
  in_root "cd $APP && rm -rf .venv && python3 -m venv --system-site-packages .venv &&
    .venv/bin/pip install -q -c firmware_notes/constraints-pi.txt -e '.[pi]' &&
    .venv/bin/pip freeze --all > /opt/checkpoint-station/pip-freeze-pi.txt &&
    .venv/bin/pip freeze --local > /opt/checkpoint-station/pip-freeze-pi-venv-only.txt &&
    .venv/bin/pip install -q -c firmware_notes/constraints-pi.txt -e '.[dev,pi]'" \
    >"$CACHE/pip.log" 2>&1 || { tail -20 "$CACHE/pip.log"; die "pip install failed"; }
  cp "$ROOT"/opt/checkpoint-station/pip-freeze-pi*.txt "$CACHE/"
  touch "$ROOT$APP/.venv/$stamp"
}

vector_requests() {
  # One request per vector for the text and one for its PNG (decoded by zxing-cpp/pyzbar).
  python3 - "$ROOT" "$APP" "${VECTORS[@]}" <<'EOF'
import base64, json, sys
from pathlib import Path
root, app, names = Path(sys.argv[1]), sys.argv[2].lstrip("/"), sys.argv[3:]
for name in names:
    case = json.loads((root / app / "tests/vectors/dgc-testdata" / name).read_text())
    ctx, png = case["TESTCTX"], f"tmp/{name.replace('/', '_')}.png"
    (root / png).write_bytes(base64.b64decode(case["2DCODE"]))
    png = "/" + png
    common = {"at": ctx["VALIDATIONCLOCK"], "trust": [ctx["CERTIFICATE"]]}
    print(json.dumps({"id": name, "text": case["PREFIX"], **common}))
    print(json.dumps({"id": name + "#png", "image": png, **common}))
EOF
}

check() {
  # check NAME COMMAND: run inside the chroot, log the output, remember pass or fail.
  local name=$1
  if in_root "cd $APP && export QT_QPA_PLATFORM=offscreen PATH=$APP/.venv/bin:\$PATH && $2" \
    >>"$LOG" 2>&1; then
    results+=("$name ok")
  else
    results+=("$name FAILED")
  fi
  echo "--- $name: ${results[-1]}" >>"$LOG"
}

run_checks() {
  : >"$LOG"
  results=()
  check version "station --version"
  check imports "python -c 'import PySide6.QtWidgets, cv2, numpy, zxingcpp, pyzbar.pyzbar, gpiozero'"
  # No camera, screen or gate here: FAIL rows are expected, a traceback is not.
  check doctor "mkdir -p /tmp/station-data && { station --data-dir /tmp/station-data doctor \
    --skip hub > /tmp/doctor.txt 2>&1; rc=\$?; cat /tmp/doctor.txt; }; test \$rc -le 1 &&
    ! grep -q Traceback /tmp/doctor.txt"
  vector_requests >"$ROOT/tmp/vectors.jsonl"
  check verify "station verify --jsonl < /tmp/vectors.jsonl > /tmp/verified.jsonl &&
    test \$(grep -c '\"status\": \"VALID\"' /tmp/verified.jsonl) -eq $((2 * ${#VECTORS[@]}))"
  check demo "station demo --text"
  check demo-headless "station demo --headless --no-sound"
  local tests=("${@:-${DEFAULT_TESTS[@]}}")
  check pytest "python -m pytest -p no:randomly -p no:cacheprovider ${tests[*]}"
}

main() {
  preflight
  build_base
  mount_all
  install_packages
  trust_local_cas
  copy_checkout
  install_station
  run_checks "$@"
  local picked tally
  picked=$(grep -iE '^(numpy|opencv.python.headless|pyside6.essentials|zxing.cpp|cryptography|gpiozero|urllib3)==' \
    "$CACHE/pip-freeze-pi.txt" | tr '\n' ' ' || true)
  tally=$(grep -E '(passed|failed|error).* in [0-9.]+s' "$LOG" | tail -1 || true)
  local IFS=,
  echo "arm64: ${results[*]}; pytest: ${tally:-no summary}; pip picked: ${picked}(log: $LOG)"
  [[ " ${results[*]} " != *FAILED* ]]
}

main "$@"
