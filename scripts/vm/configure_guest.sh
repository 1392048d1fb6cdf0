#!/usr/bin/env bash
# Configure a debootstrapped bookworm folder as the check's guest (called by build_image.sh).
#
#   scripts/vm/configure_guest.sh ROOTFS
#
# What the Pi's imager and first boot would set (os-image.md), reduced to what a virtual
# machine needs: host name, the user "station" (uid 1000), DHCP on the virtio network, the
# root file system on /dev/vda, and the three folders qemu shares over 9p: the repository
# (read-only), the run's results folder and pip's download cache. A oneshot-style service
# runs the in-guest check from the shared repository at every boot and writes its results
# to the shared folder, so editing the check never needs a new image.
set -euo pipefail

ROOTFS=${1:?usage: configure_guest.sh ROOTFS}
[[ -d $ROOTFS/etc ]] || { echo "configure_guest: $ROOTFS is not a root file system" >&2; exit 1; }

echo station-vm-gate1 >"$ROOTFS/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 station-vm-gate1\n' >"$ROOTFS/etc/hosts"

share_options=trans=virtio,version=9p2000.L,msize=262144,nofail
cat >"$ROOTFS/etc/fstab" <<EOF
/dev/vda  /             ext4  errors=remount-ro  0 1
repo      /mnt/repo     9p    $share_options,ro  0 0
results   /mnt/results  9p    $share_options     0 0
pipcache  /mnt/pipcache 9p    $share_options     0 0
EOF
mkdir -p "$ROOTFS/mnt/repo" "$ROOTFS/mnt/results" "$ROOTFS/mnt/pipcache"
printf '9p\n9pnet_virtio\n' >"$ROOTFS/etc/modules-load.d/9p.conf"

mkdir -p "$ROOTFS/etc/systemd/network"
cat >"$ROOTFS/etc/systemd/network/10-wired.network" <<'EOF'
[Match]
Name=en* eth*

[Network]
DHCP=yes
EOF
# qemu's user-mode network answers DNS at 10.0.2.3.
rm -f "$ROOTFS/etc/resolv.conf"
echo 'nameserver 10.0.2.3' >"$ROOTFS/etc/resolv.conf"

cat >"$ROOTFS/etc/systemd/system/vm-check.service" <<'EOF'
[Unit]
Description=Checkpoint station: virtual-machine check (scripts/vm/guest)
Wants=network-online.target
After=network-online.target
RequiresMountsFor=/mnt/repo /mnt/results /mnt/pipcache

[Service]
Type=simple
ExecStart=/usr/bin/python3 /mnt/repo/scripts/vm/guest/check.py /mnt/results
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF

chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -eu -c '
  id station >/dev/null 2>&1 || useradd --create-home --uid 1000 --shell /bin/bash station
  passwd --lock root >/dev/null
  systemctl enable systemd-networkd.service systemd-networkd-wait-online.service
  systemctl enable vm-check.service
  systemctl mask getty@tty1.service
'
echo "configure_guest: done"
