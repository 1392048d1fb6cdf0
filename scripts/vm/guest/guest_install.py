"""Phase 1, part 1: install the station as firmware_notes' "short version" does, with a
laptop's equivalents for the Pi-only steps, against a reference hub on 127.0.0.1.

Pi step -> here: apt's picamera2 and lgpio are left out (no CSI camera, no GPIO header); the
`git clone` of the release tag is a copy of the shared repository's working tree into the
release folder; the hub is `station hub serve` on the guest itself, prepared with the demo
world's trust data (vm_hub.py).
"""

from __future__ import annotations

import json
import re
import time
import tomllib
import urllib.request
from pathlib import Path

from guest_common import (
    CURRENT,
    DATA_DIR,
    HUB_URL,
    PREFIX,
    PYTHON,
    STATE_DIR,
    STATION,
    USER,
    Results,
    Runner,
    station_env,
    wait_until,
    write_file,
)

REPO = Path("/mnt/repo")
HUB_DIR = Path("/srv/vm-hub")
WORLD = HUB_DIR / "world"
PIP_CACHE = "/mnt/pipcache"
HOST_CA = Path("/mnt/results/host-ca")
STATION_NAME = "vm-gate1"
#: Left out of the copy: the host's environment, caches and build leftovers.
COPY_EXCLUDES = (
    ".venv",
    ".git",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "__pycache__",
    "*.egg-info",
    "node_modules",
)

HUB_UNIT = f"""[Unit]
Description=Reference hub for the virtual-machine check (station hub serve)
After=network.target

[Service]
ExecStart={CURRENT}/.venv/bin/station hub serve --db {HUB_DIR}/hub.sqlite --port 8700
Restart=always

[Install]
WantedBy=multi-user.target
"""


def install(results: Results, run: Runner) -> bool:
    """Every install step in order; stops at the first that fails (later ones need it)."""
    version = "v" + tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    results.figure("release", version)
    steps = (
        ("install: release folder", lambda: _release(run, version)),
        ("install: venv + pip", lambda: _venv(run, version)),
        ("install: deploy/install.sh --no-enable", lambda: _install_sh(run)),
        ("install: hardware.toml (camera:0, no gate)", lambda: _hardware_toml(run)),
        ("hub: prepared and serving on 127.0.0.1", lambda: _hub(run)),
        ("enroll + first sync", lambda: _enroll(run, results)),
    )
    for name, action in steps:
        started = time.monotonic()
        ok, detail = action()
        results.step(name, ok, detail, time.monotonic() - started)
        if not ok:
            return False
    return True


def _release(run: Runner, version: str) -> tuple[bool, str]:
    releases = PREFIX / "releases"
    target = releases / version
    excludes = " ".join(f"--exclude='{pattern}'" for pattern in COPY_EXCLUDES)
    script = f"""
        mkdir -p {releases} && chown {USER}: {releases}
        runuser -u {USER} -- mkdir -p {target}
        tar -C {REPO} {excludes} -cf - . | runuser -u {USER} -- tar -C {target} -xf -
        ln -sfn releases/{version} {CURRENT}
    """
    done = run.shell(script, timeout=300)
    return done.returncode == 0, f"{target} (copy of the repository's working tree)"


def _venv(run: Runner, version: str) -> tuple[bool, str]:
    folder = str(PREFIX / "releases" / version)
    env = pip_env(run)
    steps = (
        ["python3", "-m", "venv", "--system-site-packages", ".venv"],
        [
            ".venv/bin/pip",
            "install",
            "-q",
            "-c",
            "firmware_notes/constraints-pi.txt",
            "-e",
            ".[pi]",
        ],
        # Only for the hardware test the check runs; not part of a station's install.
        [".venv/bin/pip", "install", "-q", "pytest>=8", "pytest-qt>=4.4"],
        [".venv/bin/station", "--version"],
        [".venv/bin/python", "-c", "import PySide6, cv2, gpiozero, zxingcpp, pyzbar.pyzbar"],
    )
    for command in steps:
        done = run.run(command, user=USER, env=env, cwd=folder, timeout=1800)
        if done.returncode != 0:
            return False, f"{command[0]} {command[1]} failed ({done.returncode})"
    versions = run.run([PYTHON, "-m", "pip", "list", "--format=json"], quiet=True)
    wanted = {"pyside6-essentials", "opencv-python-headless", "numpy", "zxing-cpp"}
    found = {
        p["name"].lower().replace("_", "-"): p["version"]
        for p in json.loads(versions.stdout or "[]")
    }
    return True, ", ".join(f"{name} {found.get(name, '?')}" for name in sorted(wanted))


def pip_env(run: Runner) -> dict[str, str]:
    """pip's settings in the guest: the shared download cache, and the host's CAs if any."""
    env = {"PIP_CACHE_DIR": PIP_CACHE, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    if _trust_host_certificates(run):
        env["PIP_CERT"] = "/etc/ssl/certs/ca-certificates.crt"
    return env


def _trust_host_certificates(run: Runner) -> bool:
    """The host's own CA certificates (a TLS-inspecting proxy between it and PyPI), which
    the driver put in the results folder: trusted system-wide, and by pip through PIP_CERT
    (pip otherwise trusts only its bundled list)."""
    certificates = sorted(HOST_CA.glob("*.crt"))
    if not certificates:
        return False
    for certificate in certificates:
        write_file(
            Path("/usr/local/share/ca-certificates") / certificate.name, certificate.read_text()
        )
    return run.ok(["update-ca-certificates"])


def _install_sh(run: Runner) -> tuple[bool, str]:
    done = run.run([str(CURRENT / "deploy" / "install.sh"), "--no-enable"], cwd=str(CURRENT))
    return done.returncode == 0, (done.stdout.strip().splitlines() or ["no output"])[0]


def _hardware_toml(run: Runner) -> tuple[bool, str]:
    """The example with the USB camera chosen and [gate] removed: no GPIO in a VM."""
    example = (CURRENT / "deploy" / "hardware.toml.example").read_text()
    text = example.split("\n[gate]")[0].replace('source = "picamera"', 'source = "camera:0"')
    target = DATA_DIR / "hardware.toml"
    write_file(target, text)
    parsed = tomllib.loads(target.read_text())
    ok = parsed.get("camera", {}).get("source") == "camera:0" and "gate" not in parsed
    return ok, f"{target}: camera {parsed.get('camera')}"


def _hub(run: Runner) -> tuple[bool, str]:
    script = str(REPO / "scripts" / "vm" / "guest" / "vm_hub.py")
    if not (HUB_DIR / "hub.sqlite").exists():
        made = run.run([PYTHON, script, "--db", str(HUB_DIR / "hub.sqlite"), "--out", str(WORLD)])
        if made.returncode != 0:
            return False, "vm_hub.py failed"
    write_file(Path("/etc/systemd/system/vm-hub.service"), HUB_UNIT)
    run.run(["systemctl", "daemon-reload"])
    run.run(["systemctl", "enable", "--now", "vm-hub.service"])
    waited = wait_until(_hub_answers, timeout=60, every=0.5)
    count = len(json.loads((WORLD / "manifest.json").read_text())["credentials"])
    return waited is not None, f"{HUB_URL}, {count} credentials with expected verdicts"


def _hub_answers() -> bool:
    try:
        with urllib.request.urlopen(HUB_URL + "/context", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def _enroll(run: Runner, results: Results) -> tuple[bool, str]:
    """enrollment.md: a code from the hub, then enroll, sync and settings as the station."""
    code_run = run.run(
        [
            STATION,
            "hub",
            "enroll-code",
            "--db",
            str(HUB_DIR / "hub.sqlite"),
            "--name",
            STATION_NAME,
            "--url",
            HUB_URL,
        ],
    )
    found = re.search(r"station enroll (--hub \S+ --code \S+ --pin \S+)", code_run.stdout)
    if not found:
        return False, "no enrollment line from `station hub enroll-code`"
    env = station_env()
    enroll = [STATION, "enroll", *found.group(1).split(), "--name", STATION_NAME]
    manifest = json.loads((WORLD / "manifest.json").read_text())
    settings = [("checkpoint_id", STATION_NAME), *map(tuple, manifest["station_settings"])]
    commands = [enroll, [STATION, "sync"]]
    commands += [[STATION, "settings", "set", key, value] for key, value in settings]
    for command in commands:
        if run.run(command, user=USER, env=env, timeout=300).returncode != 0:
            return False, f"station {command[1]} failed"
    status = run.run([STATION, "status"], user=USER, env=env)
    results.record("station_status", status.stdout)
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    return True, f"enrolled as {STATION_NAME}; status: {_status_summary(status.stdout)}"


def _status_summary(text: str) -> str:
    words = re.findall(r"\b(FRESH|AGING|STALE|MISSING)\b", text)
    return ", ".join(f"{words.count(w)} {w}" for w in sorted(set(words))) or "no source states"
