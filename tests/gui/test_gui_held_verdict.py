"""A verdict that comes back while the admin screen is opening or open is not lost: the gate
acts on it at once as always, and the guard sees it when the admin screen closes, for the rest
of its display time and without its sound; an expired one is dropped with the holder's name."""

from __future__ import annotations

import time
from pathlib import Path

from gui_helpers import WAIT_MS, RecordingGate, demo_pass, set_pin

from gui.app_config import Parts
from gui.presenters import Outcome
from gui.values import ScanInput
from gui.widgets import TouchButton

pytest_plugins = ["gui_fixtures"]


def test_a_verdict_that_lands_on_the_pin_pad_is_shown_when_it_closes(
    start_station, demo_set, qtbot
) -> None:
    gate = RecordingGate()
    running = start_station(parts=Parts(gate=gate))
    window = running.window
    window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    window.scan.admin.click()  # before the verdict is back: the event loop has not run since
    qtbot.waitUntil(lambda: window.held.view is not None, timeout=WAIT_MS)
    assert window.stack.currentWidget() is window.admin
    assert window.verdict.view is None
    assert gate.verdicts == ["VALID"]  # the gate acted at the decision, as always
    assert window.sound.last is None
    window.admin.pin_screen.findChild(TouchButton, "pin-back").click()
    assert window.stack.currentWidget() is window.verdict
    assert window.verdict.view is not None and window.verdict.view.outcome is Outcome.VALID
    assert window.verdict.view.holder_name in window.verdict.shown_texts()
    assert window.held.view is None
    assert window.sound.last is None  # its sound is not replayed late
    assert gate.verdicts == ["VALID"]


def test_a_verdict_that_arrives_in_the_open_panel_waits_for_close(
    start_station, demo_set, data_dir: Path, qtbot
) -> None:
    set_pin(data_dir, "2468")
    running = start_station()
    window = running.window
    window.scan.admin.click()
    window.admin.pin_screen.pad.press("2468=")
    qtbot.waitUntil(lambda: window.admin.unlocked, timeout=10_000)
    text = demo_pass(demo_set, "Expired").text
    window.scan_submitted.emit(ScanInput(text, "camera", time.monotonic(), 99))  # in flight
    qtbot.waitUntil(lambda: window.held.view is not None, timeout=WAIT_MS)
    assert window.admin.unlocked
    window.admin.panel.findChild(TouchButton, "admin-close").click()
    assert window.stack.currentWidget() is window.verdict
    assert window.verdict.view is not None and window.verdict.view.outcome is Outcome.INVALID
    with qtbot.waitSignal(window.verdict.finished, timeout=WAIT_MS):
        pass
    assert window.stack.currentWidget() is window.scan


def test_a_verdict_past_its_time_is_dropped_not_shown(start_station, demo_set, qtbot) -> None:
    running = start_station(verdict_seconds=1)
    window = running.window
    window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    window.scan.admin.click()
    qtbot.waitUntil(lambda: window.held.view is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.held.view is None, timeout=5000)
    window.admin.pin_screen.findChild(TouchButton, "pin-back").click()
    assert window.stack.currentWidget() is window.scan
    assert window.verdict.view is None


def test_an_id_typed_in_manual_entry_replaces_a_held_verdict(
    start_station, demo_set, qtbot
) -> None:
    running = start_station()
    window = running.window
    window.submit_text(demo_pass(demo_set, "Expired").text, "paste")
    window.scan.manual.click()
    qtbot.waitUntil(lambda: window.held.view is not None, timeout=WAIT_MS)
    window.manual.pad.press("079203000123=")
    window.manual.pad.press("01052003=")
    assert window.held.view is None
    assert running.wait_verdict().outcome is Outcome.CHECK_MANUALLY
    assert "ID number entered by hand." in window.verdict.shown_texts()
