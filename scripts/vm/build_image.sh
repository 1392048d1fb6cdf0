#!/usr/bin/env bash
# Build the Debian 12 (bookworm, amd64) image the virtual-machine check boots.
#
#   sudo scripts/vm/build_image.sh              # build once; later runs reuse the image
#   sudo scripts/vm/build_image.sh --rebuild    # start again from debootstrap
#
# Two stages, each cached: the debootstrapped folder with its packages (minutes; redone when
# the package list changes) and the disk image made from it with the guest's configuration
# (seconds; redone when configure_guest.sh changes).
#
# Needs root (debootstrap, chroot) and the host packages: debootstrap qemu-utils e2fsprogs
# (and qemu-system-x86 to boot it). Everything lands in the cache folder, outside the
# repository: ${XDG_CACHE_HOME:-$HOME/.cache}/checkpoint-station-vm (or $STATION_VM_CACHE).
#
# The image is a blank bookworm with the user "station" (uid 1000, as os-image.md has the
# imager create it), the packages a laptop-style station needs from apt (Python, Qt's system
# libraries, a headless Wayland compositor, ffmpeg, cryptsetup, clevis and tang), and the
# v4l2loopback module built by dkms for the image's own kernel. The station itself is not in
# the image: the check installs it from the repository as install.md describes.
set -euo pipefail

CACHE=${STATION_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/checkpoint-station-vm}
MIRROR=${STATION_VM_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
ROOTFS=$CACHE/rootfs
IMAGE=$CACHE/base.img
IMAGE_SIZE=12G
# Bump when the package list below changes: the folder is debootstrapped again.
RECIPE=3

PACKAGES=(
  systemd-sysv udev dbus kmod iproute2 systemd-timesyncd procps less util-linux-extra
  linux-image-amd64 linux-headers-amd64 dkms v4l2loopback-dkms v4l-utils ffmpeg
  python3 python3-venv ca-certificates curl
  weston libzbar0 libgl1 libegl1 libopengl0 libegl-mesa0 libgl1-mesa-dri libxkbcommon0
  libfontconfig1 fonts-dejavu-core libdbus-1-3 libglib2.0-0 libwayland-client0
  libwayland-cursor0 libwayland-egl1
  cryptsetup cryptsetup-bin clevis clevis-luks clevis-systemd tang jose
)

die() { echo "build_image: $*" >&2; exit 1; }

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

REBUILD=0
case ${1:-} in
  --rebuild) REBUILD=1 ;;
  -h|--help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; die "unknown option $1" ;;
esac

[[ $(id -u) -eq 0 ]] || die "run as root: debootstrap and chroot need it"
for tool in debootstrap mkfs.ext4 chroot; do
  command -v "$tool" >/dev/null || die "$tool is missing: apt-get install debootstrap qemu-utils e2fsprogs"
done

here=$(cd "$(dirname "$0")" && pwd)
stamp=$CACHE/recipe

in_root() { chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }

mounted=()
mount_pseudo() {
  for fs in proc sys dev dev/pts; do
    mkdir -p "$ROOTFS/$fs"
    case $fs in
      proc) mount -t proc proc "$ROOTFS/proc" ;;
      sys) mount -t sysfs sysfs "$ROOTFS/sys" ;;
      *) mount --bind "/$fs" "$ROOTFS/$fs" ;;
    esac
    mounted=("$ROOTFS/$fs" "${mounted[@]}")
  done
}
unmount_pseudo() {
  for target in "${mounted[@]}"; do umount -l "$target" 2>/dev/null || true; done
  mounted=()
}
trap unmount_pseudo EXIT

build_rootfs() {
  rm -rf "$ROOTFS" "$IMAGE" "$stamp"
  echo "build_image: debootstrap $SUITE into $ROOTFS"
  debootstrap --variant=minbase --include=apt-utils,gnupg "$SUITE" "$ROOTFS" "$MIRROR"
  printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s %s-security main\n' \
    "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" http://deb.debian.org/debian-security "$SUITE" \
    >"$ROOTFS/etc/apt/sources.list"
  mount_pseudo
  in_root apt-get update -qq
  # One apt run: the kernel and the headers dkms builds against come from the same suite.
  in_root apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"
  local kernel module
  kernel=$(find "$ROOTFS/lib/modules" -mindepth 1 -maxdepth 1 -name '*-amd64' -printf '%f\n' |
    sort -V | tail -n1)
  echo "build_image: kernel $kernel; building v4l2loopback with dkms"
  in_root dkms autoinstall -k "$kernel" || true
  module=$(find "$ROOTFS/lib/modules/$kernel" -name 'v4l2loopback.ko*' | head -n1)
  if [[ -n $module ]]; then
    echo "build_image: v4l2loopback built: ${module#"$ROOTFS"}"
  else
    echo "build_image: v4l2loopback did not build: the camera check will fail" >&2
  fi
  in_root depmod "$kernel"
  in_root apt-get clean
  unmount_pseudo
  echo "$kernel" >"$CACHE/kernel"
  echo "$RECIPE" >"$stamp"
}

make_image() {
  local kernel
  kernel=$(cat "$CACHE/kernel")
  echo "build_image: configuring the guest"
  "$here/configure_guest.sh" "$ROOTFS"
  cp "$ROOTFS/boot/vmlinuz-$kernel" "$CACHE/vmlinuz"
  cp "$ROOTFS/boot/initrd.img-$kernel" "$CACHE/initrd.img"
  echo "build_image: writing $IMAGE ($IMAGE_SIZE, sparse)"
  rm -f "$IMAGE"
  mkfs.ext4 -q -F -L root -d "$ROOTFS" "$IMAGE" "$IMAGE_SIZE"
}

mkdir -p "$CACHE"
if ((REBUILD)) || [[ ! -f $stamp || $(cat "$stamp") != "$RECIPE" ]]; then
  build_rootfs
fi
if [[ ! -f $IMAGE || $here/configure_guest.sh -nt $IMAGE || $stamp -nt $IMAGE ]]; then
  make_image
else
  echo "build_image: $IMAGE is up to date"
fi
echo "build_image: done ($CACHE)"
