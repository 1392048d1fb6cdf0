"""Bad input and faults each show a clear state: hostile codes, a full disk, unreadable trust
data, stale data, and the counters of a real entry log (counts only)."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta

from gui_helpers import FullDiskRecorder, RecordingGate, demo_pass

from gui.app_config import Parts
from gui.presenters import Outcome
from station.adapters.clock import FixedClock
from station.errors import StationError
from station.paths import enrollment_path
from station.time_floor import TimeGuard, apply_clock_policy

pytest_plugins = ["gui_fixtures"]


def test_hostile_and_foreign_codes_are_invalid_with_a_plain_reason(start_station):
    running = start_station()
    cases = {
        "A" * 6000: "more data than a QR code can",
        "https://example.test/\u202e\x00": "not a health pass",
        "079203000123|012345678|\u202eNGUYEN|01011990|Nam|x|01012021": "ID QR",
    }
    for text, words in cases.items():
        running.window.submit_text(text, "wedge")
        view = running.wait_verdict()
        assert view.outcome is Outcome.INVALID, text[:20]
        assert words in view.reason.english()
        assert all(ord(c) >= 32 and c != "\u202e" for c in view.holder_name)


def test_an_entry_that_cannot_be_recorded_is_said_on_the_verdict_and_the_strip(
    start_station, demo_set
):
    running = start_station(parts=Parts(make_recorder=FullDiskRecorder, log_available=True))
    running.window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    view = running.wait_verdict()
    assert view.outcome is Outcome.VALID
    assert "Cannot record entry: call supervisor" in running.window.verdict.shown_texts()
    assert running.window.strip.item_text("storage") == "Disk full: not recording"


def test_unreadable_trust_data_means_cannot_verify(start_station, demo_set):
    def broken() -> object:
        raise StationError("the trust store is damaged")

    running = start_station(parts=Parts(make_verifier=broken))
    running.window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    view = running.wait_verdict()
    assert view.outcome is Outcome.CANNOT_VERIFY
    assert "call the supervisor" in view.reason.english()


def test_an_enrolled_station_without_synced_data_warns_everywhere(
    start_station, demo_set, data_dir, qtbot
):
    enrollment = {
        "hub_url": "https://hub.test:8700",
        "station_id": "gate-7",
        "token": "t",
        "hub_keys": [],
        "ca_file": None,
        "enrolled_at": "2026-06-01T00:00:00+00:00",
    }
    enrollment_path(data_dir).write_text(json.dumps(enrollment))
    running = start_station()
    strip = running.window.strip
    qtbot.waitUntil(lambda: strip.item_text("data") == "Data never synced", timeout=5000)
    assert strip.item("data").level == "bad"
    running.window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    running.wait_verdict()
    assert "The station's data is out of date." in running.window.verdict.shown_texts()


def test_decisions_are_logged_and_counted_without_naming_anyone(start_station, demo_set, qtbot):
    running = start_station(kiosk=False, size=(1280, 800))
    for label in ("Test certificate", "Expired", "Tampered"):
        running.window.submit_text(demo_pass(demo_set, label).text, "paste")
        running.wait_verdict()
    counters = running.window.counters
    qtbot.waitUntil(lambda: counters.count_of("INVALID") == 2, timeout=10_000)
    assert counters.count_of("VALID") == 1
    qtbot.waitUntil(lambda: running.window.strip.item_text("queue") == "To send: 3", timeout=10_000)


def test_a_log_that_cannot_be_opened_is_said_on_every_verdict(start_station, demo_set):
    def unopenable() -> object:
        raise OSError(30, "Read-only file system")

    running = start_station(parts=Parts(make_recorder=unopenable, log_available=True))
    running.window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    running.wait_verdict()
    assert "Cannot record entry: call supervisor" in running.window.verdict.shown_texts()
    assert running.window.strip.item("storage").level == "bad"


def test_the_gate_opens_only_for_a_valid_pass_that_was_recorded(start_station, demo_set):
    gate = RecordingGate()
    running = start_station(parts=Parts(gate=gate))
    for label in ("Test certificate", "Expired"):
        running.window.submit_text(demo_pass(demo_set, label).text, "paste")
        running.wait_verdict()
    assert gate.verdicts == ["VALID", "INVALID"]
    unrecorded = RecordingGate()
    running = start_station(parts=Parts(gate=unrecorded, make_recorder=FullDiskRecorder))
    running.window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    running.wait_verdict()
    assert unrecorded.verdicts == ["CHECK_MANUALLY"]


def test_a_hub_that_is_down_shows_in_the_sync_report_and_the_screen_keeps_working(
    start_station, demo_set, data_dir, qtbot
):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    enrollment = {
        "hub_url": f"http://127.0.0.1:{port}",
        "station_id": "gate-7",
        "token": "t",
        "hub_keys": [],
        "ca_file": None,
        "enrolled_at": "2026-06-01T00:00:00+00:00",
    }
    enrollment_path(data_dir).write_text(json.dumps(enrollment))
    running = start_station()
    panel = running.window.admin.panel
    panel.sync_requested.emit()
    qtbot.waitUntil(
        lambda: "FAILED NETWORK_UNREACHABLE" in panel.sync_report.text(), timeout=30_000
    )
    assert panel.sync_button.isEnabled()
    running.window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    assert running.wait_verdict().outcome is Outcome.VALID


def test_a_clock_set_back_two_years_gives_no_valid_verdict(start_station, demo_set, data_dir):
    guard = TimeGuard(data_dir, clock=FixedClock(datetime.now(UTC) - timedelta(days=730)))
    running = start_station(
        parts=Parts(judge_clock=lambda r: apply_clock_policy(r, guard.assess()))
    )
    running.window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    view = running.wait_verdict()
    assert view.outcome is Outcome.CHECK_MANUALLY
    assert "clock is not trusted" in view.reason.english()
