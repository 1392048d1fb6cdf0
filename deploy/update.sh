#!/usr/bin/env bash
# Updates and rollback: every release in its own folder, `current` a symlink switched at once.
#
#   sudo deploy/update.sh stage REPO REF      # clone REF into releases/REF, build its venv,
#                                             #   run its conformance self-test
#   sudo deploy/update.sh switch REF          # point `current` at it, restart, roll back if the
#                                             #   services do not come up healthy
#   sudo deploy/update.sh rollback            # back to the release before the last switch
#   deploy/update.sh list                     # releases, marking current and previous
#
# Options (before the command): --root DIR (default /opt/checkpoint-station), --no-restart.
# The data folder is never touched: migrations are forward only, so a rollback across a schema
# change needs the backup described in firmware_notes/updates.md.
set -euo pipefail

ROOT=/opt/checkpoint-station
RESTART=1
UNITS="station-kiosk.service station-sync.service station-upload.service"
HEALTH_WAIT_S=${HEALTH_WAIT_S:-45}

die() { echo "update: $*" >&2; exit 1; }

while (($#)); do
  case $1 in
    --root) ROOT=${2:?}; shift ;;
    --no-restart) RESTART=0 ;;
    *) break ;;
  esac
  shift
done
command=${1:-list}
shift || true
releases=$ROOT/releases

valid_name() { [[ $1 =~ ^[A-Za-z0-9._-]+$ && $1 != . && $1 != .. ]] || die "bad release name '$1'"; }
current_name() { basename "$(readlink "$ROOT/current" 2>/dev/null || echo none)"; }

stage() {
  local repo=${1:?usage: stage REPO REF} ref=${2:?usage: stage REPO REF}
  valid_name "$ref"
  local target=$releases/$ref venv_flags=() pip_flags=()
  [[ ! -e $target ]] || die "$target exists already"
  mkdir -p "$releases"
  git clone --quiet --depth 1 --branch "$ref" "$repo" "$target"
  # apt's picamera2 is only visible in a venv that sees the system packages, and needs NumPy 1.
  if python3 -c 'import picamera2' 2>/dev/null; then
    venv_flags+=(--system-site-packages)
    pip_flags+=(-c "$target/firmware_notes/constraints-pi.txt")
  fi
  python3 -m venv "${venv_flags[@]}" "$target/.venv"
  "$target/.venv/bin/pip" install --quiet "${pip_flags[@]}" -e "${target}[pi]"
  "$target/.venv/bin/station" doctor --only conformance || die "$ref fails its self-test"
  echo "update: staged $ref; next: deploy/update.sh switch $ref"
}

point_current_at() {  # atomic: a new symlink renamed over the old one
  ln -sfn "releases/$1" "$ROOT/current.new"
  mv -T "$ROOT/current.new" "$ROOT/current"
}

enabled_units() {
  local unit
  for unit in $UNITS; do
    if systemctl is-enabled --quiet "$unit" 2>/dev/null; then echo "$unit"; fi
  done
}

healthy() {  # every enabled unit active, and still active after HEALTH_WAIT_S
  local units
  units=$(enabled_units)
  [[ -n $units ]] || return 0
  # shellcheck disable=SC2086
  systemctl restart $units
  sleep "$HEALTH_WAIT_S"
  # shellcheck disable=SC2086
  systemctl is-active --quiet $units
}

switch() {
  local name=${1:?usage: switch REF} before
  valid_name "$name"
  [[ -x $releases/$name/.venv/bin/station ]] || die "release $name is not staged"
  before=$(current_name)
  [[ $before != "$name" ]] || die "$name is already current"
  point_current_at "$name"
  if [[ $before != none ]]; then echo "$before" > "$ROOT/previous"; fi
  echo "update: current -> $name (was $before)"
  ((RESTART)) || return 0
  if ! healthy; then
    [[ $before != none ]] || die "$name is not healthy and there is nothing to roll back to"
    echo "update: $name did not come up healthy; rolling back to $before" >&2
    point_current_at "$before"
    # shellcheck disable=SC2046
    systemctl restart $(enabled_units)
    die "rolled back to $before"
  fi
  echo "update: $name is running"
}

rollback() {
  [[ -f $ROOT/previous ]] || die "no previous release recorded"
  switch "$(cat "$ROOT/previous")"
}

list() {
  local current previous=""
  current=$(current_name)
  [[ -f $ROOT/previous ]] && previous=$(cat "$ROOT/previous")
  for dir in "$releases"/*/; do
    [[ -d $dir ]] || continue
    local name mark=""
    name=$(basename "$dir")
    [[ $name == "$current" ]] && mark=" (current)"
    [[ $name == "$previous" ]] && mark="$mark (previous)"
    echo "$name$mark"
  done
}

case $command in
  stage) stage "$@" ;;
  switch) switch "$@" ;;
  rollback) rollback ;;
  list) list ;;
  *) die "unknown command $command (stage, switch, rollback, list)" ;;
esac
