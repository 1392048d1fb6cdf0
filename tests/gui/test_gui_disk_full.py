"""T22 in the app: the station's real entry log on a real filesystem that fills up. The guard
sees the verdict with "Cannot record entry: call supervisor", the strip says the disk is full,
the gate stays shut on a VALID pass, and recording resumes by itself once space returns."""

from __future__ import annotations

import errno
from pathlib import Path

from gui_helpers import RecordingGate, demo_pass

from gui.app_config import Parts
from gui.presenters import Outcome
from station.adapters.clock import SystemClock
from station.entry_recorder import EntryRecorder

pytest_plugins = ["gui_fixtures"]
NOT_RECORDED = "Cannot record entry: call supervisor"


def fill(disk: Path) -> Path:
    """Write a filler file until the filesystem refuses another byte."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as stream:
        try:
            while True:
                stream.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_full_disk_is_shown_and_recording_resumes_when_space_returns(
    start_station, demo_set, small_disk: Path
):
    gate = RecordingGate()
    parts = Parts(
        make_recorder=lambda: EntryRecorder(small_disk, SystemClock()),
        log_available=True,
        gate=gate,
    )
    running = start_station(parts=parts)
    valid = demo_pass(demo_set, "Test certificate").text
    filler = fill(small_disk)

    running.window.submit_text(valid, "paste")
    view = running.wait_verdict()
    assert view.outcome is Outcome.VALID
    assert NOT_RECORDED in running.window.verdict.shown_texts()
    assert running.window.strip.item_text("storage") == "Disk full: not recording"
    assert gate.verdicts[-1] == "CHECK_MANUALLY"  # not recorded: the gate stays shut

    filler.unlink()
    running.window.submit_text(valid, "paste")
    view = running.wait_verdict()
    assert view.outcome is Outcome.VALID
    assert NOT_RECORDED not in running.window.verdict.shown_texts()
    assert running.window.strip.item_text("storage") != "Disk full: not recording"
    assert gate.verdicts[-1] == "VALID"
