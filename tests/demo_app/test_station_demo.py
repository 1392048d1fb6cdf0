"""`station demo` end to end: a real hub, enrollment, sync, the app on its virtual camera,
uploads and a trace, in a child process exactly as the README's first command runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from station.entrylog.outbox import Outbox
from station.paths import log_db_path
from sync.hub import Hub

STATION = [sys.executable, "-m", "station.cli.main"]


@pytest.fixture(scope="module")
def demo_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    folder = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STATION_DATA_DIR": str(folder / "unused")}
    done = subprocess.run(
        [*STATION, "demo", "--keep", str(folder), "--pace", "0.8"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    return done, folder


def test_the_demo_judges_every_credential_as_expected_and_exits_0(demo_run):
    done, _folder = demo_run
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "No display here: the app runs headless" in done.stdout
    summary = re.search(r"Verdicts: (\d+) of (\d+) credentials judged as expected", done.stdout)
    assert summary is not None and summary.group(1) == summary.group(2)
    lines = [line for line in done.stdout.splitlines() if re.match(r"\s+\d+/\d+\s", line)]
    assert len(lines) >= int(summary.group(2)) > 15
    assert not [line for line in lines if "EXPECTED" in line or "NOT LOGGED" in line]
    for verdict in ("VALID", "INVALID", "CHECK_MANUALLY"):
        assert any(f" {verdict}" in line for line in lines), verdict


def test_every_decision_reached_the_hub_and_nothing_waits(demo_run):
    done, folder = demo_run
    decided = int(re.search(r"Entries: (\d+) decisions logged", done.stdout).group(1))
    with Hub(folder / "hub" / "hub.sqlite") as hub:
        (health,) = hub.log_health()
        assert health.entries == decided and health.missing == ()
    outbox = Outbox(log_db_path(folder / "station"))
    try:
        assert outbox.counts().pending == 0
    finally:
        outbox.close()


def test_the_authority_traces_a_case_from_the_uploaded_entries(demo_run):
    done, _folder = demo_run
    traced = re.search(r"passed (\d+) times?; (\d+) contacts? .*; (\d+) decryptions", done.stdout)
    assert traced is not None, done.stdout[-2000:]
    entries, contacts, audited = (int(group) for group in traced.groups())
    assert entries >= 1 and contacts >= 1 and audited >= entries + contacts


def test_the_station_enrolled_synced_and_keeps_no_scanned_text(demo_run):
    done, folder = demo_run
    assert "enroll: Enrolled as" in done.stdout
    assert re.search(r"sync: status-list: version \d+, \+\d+", done.stdout)
    assert re.search(r"enroll: sealing-key: version 1", done.stdout)
    station_files = b"".join(
        path.read_bytes() for path in (folder / "station").rglob("*") if path.is_file()
    )
    for image_text in ("HC1:", "shc:/", "NZCP:/"):
        assert image_text.encode() not in station_files


def test_the_terminal_demo_still_runs_with_text():
    done = subprocess.run([*STATION, "demo", "--text"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Demo finished: 0 unexpected verdicts." in done.stdout


def test_the_demo_prints_no_platform_noise(demo_run):
    done, _folder = demo_run
    assert "propagateSizeHints" not in done.stdout + done.stderr
    assert "leaked" not in done.stderr
