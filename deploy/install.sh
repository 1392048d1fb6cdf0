#!/usr/bin/env bash
# Put the station's systemd units in place: kiosk app, trust data sync, entry upload.
#
#   sudo deploy/install.sh                      # all three, enabled and started
#   sudo deploy/install.sh --no-kiosk           # a station without a screen (sync + upload)
#   deploy/install.sh --render-only DIR --uid 1000   # write the units to DIR, change nothing
#
# The units in deploy/systemd/ name /opt/checkpoint-station/current, /var/lib/checkpoint-station,
# the user `station` (uid 1000) and the Wayland display wayland-0; the options replace them.
# firmware_notes/services.md explains every directive.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
PREFIX=/opt/checkpoint-station/current
DATA_DIR=/var/lib/checkpoint-station
USER_NAME=station
UID_NUM=""
DISPLAY_NAME=""
UNITS="kiosk sync upload"
RENDER_ONLY=""
ENABLE=1
SYSTEMD_DIR=/etc/systemd/system
JOURNALD_DIR=/etc/systemd/journald.conf.d

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  cat <<EOF
options:
  --prefix DIR            the release to run (default $PREFIX)
  --data-dir DIR          the station's data, ideally the encrypted partition (default $DATA_DIR)
  --user NAME             the desktop autologin user the services run as (default $USER_NAME)
  --uid N                 that user's uid (default: looked up)
  --wayland-display NAME  wayland-0 (labwc) or wayland-1 (wayfire); default: from lightdm
  --no-kiosk              install only the sync and upload services
  --no-enable             install but do not enable or start
  --render-only DIR       write the rendered units to DIR and stop
EOF
}

die() { echo "install: $*" >&2; exit 1; }

while (($#)); do
  case $1 in
    --prefix) PREFIX=${2:?}; shift ;;
    --data-dir) DATA_DIR=${2:?}; shift ;;
    --user) USER_NAME=${2:?}; shift ;;
    --uid) UID_NUM=${2:?}; shift ;;
    --wayland-display) DISPLAY_NAME=${2:?}; shift ;;
    --no-kiosk) UNITS="sync upload" ;;
    --no-enable) ENABLE=0 ;;
    --render-only) RENDER_ONLY=${2:?}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
  shift
done

case $PREFIX$DATA_DIR in *'|'*|*' '*) die "paths must not contain '|' or spaces" ;; esac
[[ $PREFIX == /* && $DATA_DIR == /* ]] || die "--prefix and --data-dir must be absolute paths"

# The compositor decides the socket name: labwc (Pi OS default since late 2024) wayland-0,
# wayfire wayland-1. An X11 session has no Wayland socket at all.
detect_display() {
  local session
  session=$(grep -hs '^user-session=' /etc/lightdm/lightdm.conf | tail -n1 | cut -d= -f2)
  case $session in
    *labwc*|"") echo wayland-0 ;;
    *wayfire*) echo wayland-1 ;;
    *) die "desktop session '$session' is not Wayland: raspi-config > Advanced > Wayland > labwc" ;;
  esac
}

render() {  # render UNIT_NAME TARGET_DIR
  local group
  group=$(id -gn "$USER_NAME" 2>/dev/null || echo "$USER_NAME")
  sed -e "s|/opt/checkpoint-station/current|$PREFIX|g" \
      -e "s|/var/lib/checkpoint-station|$DATA_DIR|g" \
      -e "s|^User=station\$|User=$USER_NAME|" \
      -e "s|^Group=station\$|Group=$group|" \
      -e "s|/run/user/1000|/run/user/$UID_NUM|g" \
      -e "s|^Environment=WAYLAND_DISPLAY=wayland-0\$|Environment=WAYLAND_DISPLAY=$DISPLAY_NAME|" \
      "$here/systemd/station-$1.service" > "$2/station-$1.service"
}

# The kiosk unit names the Pi's groups (video render gpio input); a laptop or another board
# has no "gpio" group, and systemd refuses to start a unit naming a group that does not exist
# (status 216/GROUP), so the installed unit keeps only the groups this device has.
keep_existing_groups() {  # keep_existing_groups UNIT_FILE
  local line group kept=()
  line=$(grep '^SupplementaryGroups=' "$1") || return 0
  for group in ${line#SupplementaryGroups=}; do
    if getent group "$group" >/dev/null; then kept+=("$group"); fi
  done
  sed -i "s|^SupplementaryGroups=.*|SupplementaryGroups=${kept[*]}|" "$1"
}

verify_units() {  # verify DIR
  if command -v systemd-analyze >/dev/null; then
    local files=()
    for unit in $UNITS; do files+=("$1/station-$unit.service"); done
    systemd-analyze verify "${files[@]}"
  fi
}

if [[ -z $UID_NUM ]]; then
  UID_NUM=$(id -u "$USER_NAME" 2>/dev/null) || UID_NUM=1000
fi
if [[ -z $DISPLAY_NAME && $UNITS == *kiosk* ]]; then
  DISPLAY_NAME=$(detect_display)
fi
DISPLAY_NAME=${DISPLAY_NAME:-wayland-0}

if [[ -n $RENDER_ONLY ]]; then
  mkdir -p "$RENDER_ONLY"
  for unit in $UNITS; do render "$unit" "$RENDER_ONLY"; done
  echo "install: units written to $RENDER_ONLY"
  exit 0
fi

[[ $(id -u) -eq 0 ]] || die "run as root (sudo), or use --render-only DIR"
[[ -x $PREFIX/.venv/bin/station ]] || die "$PREFIX/.venv/bin/station is missing: install the release first"
if ! id "$USER_NAME" >/dev/null 2>&1; then
  [[ $UNITS != *kiosk* ]] || die "user $USER_NAME does not exist: the kiosk runs as the desktop autologin user"
  useradd --system --home-dir "$DATA_DIR" --shell /usr/sbin/nologin "$USER_NAME"
  UID_NUM=$(id -u "$USER_NAME")
fi
for group in video render gpio input; do
  if getent group "$group" >/dev/null; then usermod -aG "$group" "$USER_NAME"; fi
done

# 0700: the entry log holds sealed identities; only the station's user may read the folder.
install -d -m 0700 -o "$USER_NAME" -g "$(id -gn "$USER_NAME")" \
  "$DATA_DIR" "$DATA_DIR/tmp" "$DATA_DIR/cache"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
for unit in $UNITS; do
  render "$unit" "$staging"
  keep_existing_groups "$staging/station-$unit.service"
done
verify_units "$staging"
install -m 0644 "$staging"/station-*.service "$SYSTEMD_DIR"/
install -d -m 0755 "$JOURNALD_DIR"
install -m 0644 "$here/journald-station.conf" "$JOURNALD_DIR/checkpoint-station.conf"
systemctl daemon-reload
systemctl try-restart systemd-journald.service || true

if ((ENABLE)); then
  for unit in $UNITS; do systemctl enable --now "station-$unit.service"; done
fi
echo "install: done ($UNITS as $USER_NAME, data in $DATA_DIR)"
echo "install: check with: $PREFIX/.venv/bin/station doctor --data-dir $DATA_DIR"
