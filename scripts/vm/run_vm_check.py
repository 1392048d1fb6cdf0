"""Boot a blank Debian 12 virtual machine, install the station in it as firmware_notes
describes, and check what only a real systemd machine with real kernel devices can show:
a V4L2 webcam for `station scan`, the units under PID 1 (restart, watchdog, safe state), the
doctor, the LUKS data partition unlocked at boot, the RTC and clock jumps.

    sudo .venv/bin/python scripts/vm/run_vm_check.py          # or: make test-vm

Host packages (Debian 12): qemu-system-x86 qemu-utils debootstrap e2fsprogs, and a usable
/dev/kvm. Root is needed to build the image (debootstrap, chroot) the first time. The image,
pip's downloads and each run's results live in ${XDG_CACHE_HOME:-~/.cache}/checkpoint-station-vm
(or $STATION_VM_CACHE), never in the repository; the repository is shared read-only.

KVM is used when it boots a stock kernel; otherwise (no /dev/kvm, or a host whose KVM only
runs specially built guests, such as a PVM nested host) the check falls back to qemu's
emulated CPU (TCG): every outcome still holds, the timings are then several times slower
than real hardware and say so in the report.

Prints one row per check, the measured figures and a `summary:` line; exit status 1 when a
check failed or the run did not finish. The results stay in <cache>/runs/latest/results.json
(read by tests/vm/test_vm_checks.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from vm_report import print_report

REPO = Path(__file__).resolve().parents[2]
HOST_TOOLS = {
    "qemu-system-x86_64": "qemu-system-x86",
    "qemu-img": "qemu-utils",
    "debootstrap": "debootstrap",
    "mkfs.ext4": "e2fsprogs",
}


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(os.environ.get("STATION_VM_CACHE") or Path(base) / "checkpoint-station-vm")


def kvm_usable() -> bool:
    return os.access("/dev/kvm", os.R_OK | os.W_OK)


def missing_tools() -> list[str]:
    return [f"{tool} ({package})" for tool, package in HOST_TOOLS.items() if not shutil.which(tool)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", type=Path, help="where this run's disks and results go")
    parser.add_argument("--memory", default="4096", help="guest memory in MiB")
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=10800, help="seconds for the whole run")
    parser.add_argument("--keep-disks", action="store_true", help="keep the run's disk images")
    parser.add_argument("--accel", choices=("auto", "kvm", "tcg"), default="auto")
    args = parser.parse_args(argv)
    problems = missing_tools()
    if problems:
        print("vm check: cannot run here:", file=sys.stderr)
        for problem in problems:
            print(f"  missing {problem}: apt-get install {problem.split('(')[1][:-1]}")
        return 2
    cache = cache_dir()
    build = subprocess.run([str(REPO / "scripts" / "vm" / "build_image.sh")], check=False)
    if build.returncode != 0:
        print("vm check: the image could not be built (see above)", file=sys.stderr)
        return 2
    run_dir = args.run_dir or cache / "runs" / datetime.now().strftime("%Y%m%d-%H%M%S")
    results = prepare_run(cache, run_dir)
    args.accel = choose_accel(cache, args.accel, run_dir)
    print(f"vm check: accelerator {args.accel}", flush=True)
    finished = boot_until_done(cache, run_dir, args)
    if not args.keep_disks:
        for disk in run_dir.glob("*.qcow2"):
            disk.unlink()
    link = cache / "runs" / "latest"
    if run_dir.parent == link.parent:
        link.unlink(missing_ok=True)
        link.symlink_to(run_dir.name)
    data = json.loads(results.read_text()) if results.exists() else {}
    data["accel"] = args.accel
    return print_report(data, finished, run_dir)


def choose_accel(cache: Path, requested: str, run_dir: Path) -> str:
    """ "kvm" when asked for, or when a KVM guest boots the image's kernel far enough to
    print its banner within 60 s; "tcg" otherwise."""
    if requested != "auto":
        return requested
    if not kvm_usable():
        return "tcg"
    probe = run_dir / "kvm-probe.log"
    probe.unlink(missing_ok=True)
    command = [
        "qemu-system-x86_64", *ACCEL["kvm"], "-m", "512", "-no-reboot", "-display", "none",
        "-vga", "none", "-monitor", "none", "-serial", f"file:{probe}",
        "-kernel", str(cache / "vmlinuz"), "-append", "console=ttyS0 panic=-1",
    ]  # fmt: skip
    try:
        subprocess.run(command, capture_output=True, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        pass
    booted = probe.exists() and "Linux version" in probe.read_text(errors="replace")
    return "kvm" if booted else "tcg"


def prepare_run(cache: Path, run_dir: Path) -> Path:
    """Fresh disks for this run: the root as a copy-on-write layer over the cached image (so
    every run starts blank) and an empty second disk for the data partition."""
    results = run_dir / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "results.json").unlink(missing_ok=True)
    # A network behind a TLS-inspecting proxy: the guest must trust what the host trusts.
    host_ca = results / "host-ca"
    shutil.rmtree(host_ca, ignore_errors=True)
    local = sorted(Path("/usr/local/share/ca-certificates").glob("*.crt"))
    if local:
        host_ca.mkdir()
        for certificate in local:
            shutil.copy(certificate, host_ca / certificate.name)
    pip_cache = cache / "pip"
    pip_cache.mkdir(exist_ok=True)
    pip_cache.chmod(0o777)  # written by the guest's "station" user through 9p
    for name, command in (
        ("root", ["-b", str(cache / "base.img"), "-F", "raw"]),
        ("data", []),
    ):
        disk = run_dir / f"{name}.qcow2"
        disk.unlink(missing_ok=True)
        size = [] if command else ["2G"]
        subprocess.run(
            ["qemu-img", "create", "-q", "-f", "qcow2", *command, str(disk), *size], check=True
        )
    return results / "results.json"


ACCEL = {
    "kvm": ["-enable-kvm", "-cpu", "host"],
    "tcg": ["-accel", "tcg,thread=multi", "-cpu", "max"],
}


def qemu_command(cache: Path, run_dir: Path, args: argparse.Namespace) -> list[str]:
    share = "security_model=none"
    return [
        "qemu-system-x86_64", *ACCEL[args.accel], "-smp", str(args.cpus),
        "-m", args.memory, "-no-reboot", "-display", "none", "-vga", "none",
        "-monitor", "none", "-serial", f"file:{run_dir / 'serial.log'}",
        "-kernel", str(cache / "vmlinuz"), "-initrd", str(cache / "initrd.img"),
        "-append", "root=/dev/vda ro console=ttyS0 panic=-1",
        "-drive", f"file={run_dir / 'root.qcow2'},if=virtio,format=qcow2",
        "-drive", f"file={run_dir / 'data.qcow2'},if=virtio,format=qcow2",
        "-netdev", "user,id=net0", "-device", "virtio-net-pci,netdev=net0",
        "-device", "virtio-rng-pci", "-rtc", "base=utc",
        "-virtfs", f"local,path={REPO},mount_tag=repo,{share},readonly=on",
        "-virtfs", f"local,path={run_dir / 'results'},mount_tag=results,{share}",
        "-virtfs", f"local,path={cache / 'pip'},mount_tag=pipcache,{share}",
    ]  # fmt: skip


def boot_until_done(cache: Path, run_dir: Path, args: argparse.Namespace) -> bool:
    """Boot; the guest reboots once (the LUKS check), which ends qemu (-no-reboot): boot
    again, as a power cycle would. True when the guest reported its last phase over."""
    deadline = time.monotonic() + args.timeout
    results = run_dir / "results" / "results.json"
    shown = 0
    for boot in (1, 2):
        print(f"vm check: boot {boot} ({run_dir})", flush=True)
        with subprocess.Popen(qemu_command(cache, run_dir, args)) as qemu:
            while qemu.poll() is None:
                if time.monotonic() > deadline:
                    qemu.terminate()
                    qemu.wait(timeout=30)
                    print("vm check: timed out", file=sys.stderr)
                    return False
                shown = show_progress(results, shown)
                time.sleep(2)
        shown = show_progress(results, shown)
        data = json.loads(results.read_text()) if results.exists() else {}
        if data.get(f"phase_{boot}_finished") != "2":
            return data.get(f"phase_{boot}_finished") == "done"
    return False


def show_progress(results: Path, shown: int) -> int:
    """Print the steps the guest has finished since the last call."""
    try:
        steps = json.loads(results.read_text())["steps"]
    except (OSError, ValueError, KeyError):
        return shown
    for step in steps[shown:]:
        word = {True: "PASS", False: "FAIL", None: "SKIP"}[step["ok"]]
        print(f"  {word:<4} {step['name']}", flush=True)
    return len(steps)


if __name__ == "__main__":
    raise SystemExit(main())
