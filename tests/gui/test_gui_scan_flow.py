"""Scan, verdict, back to scanning: the real app with real QR images played as a camera."""

from __future__ import annotations

import threading

from gui_helpers import demo_pass
from PySide6.QtCore import Qt

from gui.app_config import Parts
from gui.presenters import Outcome
from gui.virtual_camera import FolderCamera

pytest_plugins = ["gui_fixtures"]


def test_a_valid_pass_in_view_shows_valid_with_name_and_birth_date_then_clears(
    start_station, demo_set, qr_folder, qtbot
):
    valid = demo_pass(demo_set, "Vaccine passport")
    running = start_station(f"file:{qr_folder(valid)}", verdict_seconds=1)
    view = running.wait_verdict()
    assert view.outcome is Outcome.VALID
    shown = running.window.verdict.shown_texts()
    assert shown[:4] == ["Entry", "VALID", "Lê, Thu Hà", "Date of birth: 30/09/1972"]
    with qtbot.waitSignal(running.window.verdict.finished, timeout=5000):
        pass
    assert running.window.stack.currentWidget() is running.window.scan
    assert running.window.verdict.view is None and running.window.verdict.shown_texts() == []


def test_verification_runs_off_the_gui_thread(start_station, demo_set, qr_folder):
    running = start_station(f"file:{qr_folder(demo_pass(demo_set, 'Expired'))}")
    view = running.wait_verdict()
    assert view.outcome is Outcome.INVALID
    assert view.reason.english() == "The pass has expired."
    assert running.station.verify.last_thread not in (None, threading.main_thread().ident)


def test_each_person_in_a_row_gets_a_verdict(start_station, demo_set, qr_folder):
    passes = [demo_pass(demo_set, label) for label in ("Vaccination pass", "Tampered", "Shop")]
    folder = qr_folder(*passes)
    camera = Parts(open_source=lambda spec: FolderCamera(folder, hold_s=1.0, gap_s=0.5))
    running = start_station(parts=camera)
    outcomes = [running.wait_verdict().outcome for _ in passes]
    assert outcomes == [Outcome.VALID, Outcome.INVALID, Outcome.INVALID]


def test_tapping_the_verdict_returns_at_once(start_station, demo_set, qtbot):
    running = start_station()
    running.window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    assert running.wait_verdict().outcome is Outcome.VALID
    with qtbot.waitSignal(running.window.verdict.finished, timeout=1000):
        qtbot.mouseClick(running.window.verdict, Qt.MouseButton.LeftButton)
    assert running.window.verdict.view is None


def test_the_entry_exit_toggle_reaches_the_verdict(start_station, demo_set):
    running = start_station()
    running.window.scan.direction.click()
    assert running.window.scan.direction.text() == "Direction: Exit"
    running.window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    running.wait_verdict()
    assert running.window.verdict.shown_texts()[0] == "Exit"
