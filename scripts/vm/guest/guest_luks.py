"""Phase 1, part 5 and phase 2: the encrypted data partition of storage.md on the VM's second
disk (/dev/vdb), Pi 5 variant (AES-XTS, 4 KiB sectors), unlocked unattended at boot through
clevis and a tang server as the notes describe. The tang server runs on the guest itself
(127.0.0.1); on a site it is another machine, so a stolen station stays locked.

Phase 1 formats, moves the existing data folder onto the partition, writes crypttab and fstab
and binds clevis; the check then reboots. Phase 2 checks the partition opened without anyone
typing a passphrase, is mounted at the data folder, and that the services run on it.
"""

from __future__ import annotations

import json
import re
import time

from guest_common import (
    DATA_DIR,
    STATION,
    USER,
    Results,
    Runner,
    station_env,
    unit_properties,
    wait_until,
)
from guest_services import UNITS

DISK = "/dev/vdb"
NAME = "stationdata"
#: The recovery passphrase (the notes keep it in the site's key safe); a throw-away disk.
PASSPHRASE = "vm-check recovery passphrase"
TANG_URL = "http://127.0.0.1"
CRYPTTAB = f"{NAME} {DISK} none luks,_netdev\n"
FSTAB = f"/dev/mapper/{NAME} {DATA_DIR} ext4 defaults,noatime,commit=5,_netdev,nofail 0 2\n"


def prepare(results: Results, run: Runner) -> bool:
    """Format, move the data, write crypttab/fstab, bind clevis; True when ready to reboot."""
    bench = run.run(["cryptsetup", "benchmark", "-c", "aes-xts", "-s", "256"], timeout=120)
    results.record("cryptsetup_benchmark", bench.stdout)
    started = time.monotonic()
    key = {"input": PASSPHRASE}
    steps = (
        (
            "luksFormat (LUKS2, AES-XTS, 4 KiB sectors)",
            [
                "cryptsetup",
                "luksFormat",
                "--batch-mode",
                "--type",
                "luks2",
                "--sector-size",
                "4096",
                "--key-file=-",
                DISK,
            ],
        ),
        ("open", ["cryptsetup", "open", "--key-file=-", DISK, NAME]),
        ("mkfs.ext4", ["mkfs.ext4", "-q", "-L", NAME, f"/dev/mapper/{NAME}"]),
    )
    for name, command in steps:
        if run.run(command, **(key if "--key-file=-" in command else {})).returncode != 0:
            return results.step("luks: format and open", False, f"{name} failed")
    results.step(
        "luks: format and open",
        True,
        "cryptsetup luksFormat + open + mkfs.ext4",
        time.monotonic() - started,
    )
    return _move_data(results, run) and _bind(results, run)


def _move_data(results: Results, run: Runner) -> bool:
    """The station was installed and enrolled on the root file system: stop the services and
    copy the data folder onto the partition, keeping owner and mode 0700. The partition is
    closed again before the reboot: one left open by hand holds the shutdown forever (systemd
    waits for the device to go, and no unit of its own opened it)."""
    script = f"""
        systemctl stop {" ".join(UNITS)}
        mkdir -p /mnt/newdata && mount /dev/mapper/{NAME} /mnt/newdata
        cp -a {DATA_DIR}/. /mnt/newdata/
        chown {USER}: /mnt/newdata && chmod 0700 /mnt/newdata
        rm -rf /mnt/newdata/lost+found
        umount /mnt/newdata
        cryptsetup close {NAME}
        echo '{CRYPTTAB.strip()}' >> /etc/crypttab
        echo '{FSTAB.strip()}' >> /etc/fstab
        systemctl daemon-reload
    """
    done = run.shell(script)
    return results.step(
        "luks: data moved, crypttab + fstab as storage.md",
        done.returncode == 0,
        f"crypttab: {CRYPTTAB.strip()}; fstab: {FSTAB.strip()}",
    )


def _bind(results: Results, run: Runner) -> bool:
    run.run(["systemctl", "enable", "--now", "tangd.socket"])
    bound = run.run(
        [
            "clevis",
            "luks",
            "bind",
            "-y",
            "-k",
            "-",
            "-d",
            DISK,
            "tang",
            json.dumps({"url": TANG_URL}),
        ],
        input=PASSPHRASE,
    )
    enabled = run.ok(["systemctl", "enable", "clevis-luks-askpass.path"]) and run.ok(
        ["systemctl", "enable", "remote-cryptsetup.target"]
    )
    listing = run.run(["clevis", "luks", "list", "-d", DISK]).stdout.strip()
    return results.step(
        "luks: clevis bound to tang",
        bound.returncode == 0 and enabled,
        listing or "no clevis binding",
    )


def after_reboot(results: Results, run: Runner) -> bool:
    """Phase 2: unlocked at boot without a passphrase, mounted, the services running on it
    (True when they do: the update check needs them)."""
    mounted = wait_until(_mounted, timeout=240, every=1)
    source = run.run(["findmnt", "-n", "-o", "SOURCE,FSTYPE,OPTIONS", str(DATA_DIR)]).stdout.strip()
    status = run.run(["cryptsetup", "status", NAME]).stdout
    results.record("luks_status", status)
    results.record("lsblk", run.run(["lsblk", "-f"]).stdout)
    cipher = re.search(r"cipher:\s*(\S+)", status)
    opened = unit_properties(f"systemd-cryptsetup@{NAME}.service", "ActiveEnterTimestampMonotonic")
    at = int(opened.get("ActiveEnterTimestampMonotonic") or 0) / 1e6
    if at:
        results.figure("luks_unlocked_after_boot_s", at)
    results.step(
        "luks: unlocked at boot (clevis + tang), mounted",
        mounted is not None,
        f"{source}; cipher {cipher.group(1) if cipher else '?'}; opened {at:.1f} s "
        "after the kernel started",
    )
    return _services_on_partition(results, run) and mounted is not None


def _mounted() -> bool:
    with open("/proc/self/mounts") as mounts:
        return any(line.split()[1] == str(DATA_DIR) for line in mounts)


def _services_on_partition(results: Results, run: Runner) -> bool:
    active = wait_until(
        lambda: (
            run.run(["systemctl", "is-active", *UNITS], quiet=True).stdout.split() == ["active"] * 3
        ),
        timeout=240,
        every=2,
    )
    states = run.run(["systemctl", "is-active", *UNITS]).stdout.split()
    sync = run.run([STATION, "--data-dir", str(DATA_DIR), "sync"], user=USER, env=station_env())
    enrolled = (DATA_DIR / "enrollment.json").exists()
    return results.step(
        "luks: services active on the encrypted data folder",
        active is not None and sync.returncode == 0 and enrolled,
        f"{' '.join(states)}; enrollment kept: {enrolled}; station sync exit {sync.returncode}",
    )
