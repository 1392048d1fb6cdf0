"""Every way a code reaches the station: camera loss and recovery, a keyboard-wedge scanner,
manual ID entry, and in laptop mode an image file, a drop and pasted text."""

from __future__ import annotations

import sqlite3

from gui_helpers import FakeFrameSource, demo_pass, qr_picture
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from gui.app_config import Parts
from gui.demo_data import write_qr_images
from gui.presenters import Outcome
from gui.wedge_input import WedgeInput
from station.paths import log_db_path
from station.scan.wedge import WedgeBurstDetector

pytest_plugins = ["gui_fixtures"]


def camera_item(running) -> str:
    return running.window.strip.item_text("camera")


def test_camera_loss_shows_disconnected_and_recovers_by_itself(start_station, qtbot):
    camera = FakeFrameSource(None)
    running = start_station(parts=Parts(open_source=lambda spec: camera))
    window = running.window
    qtbot.waitUntil(lambda: camera_item(running) == "Camera OK", timeout=5000)
    camera.unplug()
    qtbot.waitUntil(lambda: camera_item(running) == "Camera disconnected", timeout=5000)
    assert "check the cable" in window.scan.preview.message().english()
    camera.plug()
    qtbot.waitUntil(lambda: camera_item(running) == "Camera OK", timeout=5000)
    qtbot.waitUntil(lambda: window.scan.preview.message() is None, timeout=5000)


def test_a_source_that_reports_its_loss_is_shown_the_same_way(start_station, qtbot):
    camera = FakeFrameSource(None)
    running = start_station(parts=Parts(open_source=lambda spec: camera))
    qtbot.waitUntil(lambda: camera_item(running) == "Camera OK", timeout=5000)
    camera.unplug(report=True)
    qtbot.waitUntil(lambda: camera_item(running) == "Camera disconnected", timeout=5000)
    camera.plug()
    qtbot.waitUntil(lambda: camera_item(running) == "Camera OK", timeout=5000)


def test_the_camera_is_released_on_shutdown(start_station, qtbot):
    camera = FakeFrameSource(None)
    running = start_station(parts=Parts(open_source=lambda spec: camera))
    qtbot.waitUntil(lambda: camera_item(running) == "Camera OK", timeout=5000)
    running.station.stop_camera()
    assert camera.closed


def test_a_code_seen_after_the_camera_returns_is_verified(start_station, demo_set, qtbot):
    camera = FakeFrameSource(qr_picture(demo_pass(demo_set, "Test certificate").text))
    camera.unplug()
    running = start_station(parts=Parts(open_source=lambda spec: camera))
    qtbot.waitUntil(lambda: camera_item(running) == "Camera disconnected", timeout=5000)
    camera.plug()
    assert running.wait_verdict().outcome is Outcome.VALID


def test_a_wedge_scanner_burst_is_verified(start_station, demo_set, qtbot):
    running = start_station()
    text = demo_pass(demo_set, "Vaccination pass").text
    qtbot.keyClicks(running.window, text)
    qtbot.keyClick(running.window, Qt.Key.Key_Return)
    assert running.wait_verdict().outcome is Outcome.VALID


class SteppingClock:
    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_person_typing_is_not_taken_for_a_scan(qtbot):
    from PySide6.QtWidgets import QWidget

    target = QWidget()
    qtbot.addWidget(target)
    wedge = WedgeInput(target, detector=WedgeBurstDetector(), clock=SteppingClock(0.2))
    QApplication.instance().installEventFilter(wedge)
    scans: list[str] = []
    wedge.scanned.connect(scans.append)
    try:
        qtbot.keyClicks(target, "HC1:NCFOXN")
        qtbot.keyClick(target, Qt.Key.Key_Return)
    finally:
        QApplication.instance().removeEventFilter(wedge)
    assert scans == []


def test_manual_id_entry_checks_the_person_by_hand(start_station):
    running = start_station()
    window = running.window
    window.scan.manual.click()
    pad = window.manual.pad
    pad.press("0792")
    pad.press("=")
    assert window.manual.error.text() == "An ID number has 12 or 9 digits."
    pad.press("03000123=")
    pad.press("01052003=")
    view = running.wait_verdict()
    assert view.outcome is Outcome.CHECK_MANUALLY
    shown = window.verdict.shown_texts()
    assert "Date of birth: 01/05/2003" in shown and "ID number entered by hand." in shown
    assert "NHAP TAY" not in " ".join(shown)


def test_a_typed_id_is_logged_as_typed_and_a_scanned_one_as_a_personal_qr(start_station, data_dir):
    """Contact tracing can tell a number typed at the door from a QR the person showed."""
    running = start_station()
    window = running.window
    window.scan.manual.click()
    window.manual.pad.press("079203000123=")
    window.manual.pad.press("01052003=")
    assert running.wait_verdict().outcome is Outcome.CHECK_MANUALLY
    with running.qtbot.waitSignal(window.verdict.verdict_painted, timeout=10_000):
        window.submit_text("079203000124|Nguyen Van A|2003-05-01|0|QID-1|", "wedge")
    with sqlite3.connect(log_db_path(data_dir)) as log:
        formats = [row[0] for row in log.execute("SELECT format FROM entries ORDER BY seq")]
    assert formats == ["vn_typed_id", "vn_pccovid"]


def test_a_camera_code_is_not_verified_while_the_admin_pad_is_open(
    start_station, demo_set, qr_folder, qtbot
):
    running = start_station(f"file:{qr_folder(demo_pass(demo_set, 'Test certificate'))}")
    running.window.open_admin()
    qtbot.wait(1500)
    assert running.window.stack.currentWidget() is running.window.admin
    assert running.window.verdict.view is None


def test_laptop_mode_reads_an_image_file(start_station, demo_set, tmp_path):
    running = start_station(kiosk=False, size=(1280, 800))
    (path,) = write_qr_images((demo_pass(demo_set, "Pass from an unknown"),), tmp_path / "in")
    running.window.open_image(str(path))
    view = running.wait_verdict()
    assert view.outcome is Outcome.INVALID
    assert "does not trust" in view.reason.english()


def test_laptop_mode_says_when_an_image_holds_no_code(start_station, tmp_path):
    running = start_station(kiosk=False, size=(1280, 800))
    blank = tmp_path / "blank.png"
    assert write_blank_png(blank)
    running.window.open_image(str(blank))
    assert running.wait_verdict().outcome is Outcome.UNREADABLE


def write_blank_png(path) -> bool:
    from PySide6.QtGui import QImage

    image = QImage(200, 200, QImage.Format.Format_RGB888)
    image.fill(Qt.GlobalColor.white)
    return image.save(str(path))


def test_laptop_mode_takes_pasted_and_dropped_text(start_station, demo_set, qtbot):
    running = start_station(kiosk=False, size=(1280, 800))
    QApplication.clipboard().setText(demo_pass(demo_set, "Test certificate").text)
    running.window.laptop.paste_button.click()
    assert running.wait_verdict().outcome is Outcome.VALID
    data = QMimeData()
    data.setText(demo_pass(demo_set, "Tampered").text)
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    running.window.dropEvent(drop)
    assert running.wait_verdict().outcome is Outcome.INVALID


def test_laptop_mode_takes_a_dropped_image(start_station, demo_set, tmp_path):
    running = start_station(kiosk=False, size=(1280, 800))
    (path,) = write_qr_images((demo_pass(demo_set, "Test certificate"),), tmp_path / "drop")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    running.window.dropEvent(drop)
    assert running.wait_verdict().outcome is Outcome.VALID
