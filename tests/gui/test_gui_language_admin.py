"""Language toggle (Vietnamese by default, English), the admin PIN pad and its lockout."""

from __future__ import annotations

import json

from gui_helpers import demo_pass, set_pin

from gui.pin import MAX_FAILURES
from station.settings import load_settings

pytest_plugins = ["gui_fixtures"]


def test_vietnamese_is_the_default_and_the_toggle_switches_everything(
    start_station, demo_set, qtbot
):
    running = start_station(language="")
    window = running.window
    qtbot.waitUntil(lambda: window.station_status is not None, timeout=5000)
    assert window.scan.title.text() == "Xuất trình mã QR"
    assert window.strip.item_text("camera") in ("Camera tốt", "Đang mở camera")
    window.scan.language.click()
    qtbot.waitUntil(lambda: window.scan.title.text() == "Show your QR code")
    assert window.scan.language.text() == "Tiếng Việt"
    assert window.strip.item_text("clock").startswith("Clock")
    window.submit_text(demo_pass(demo_set, "Expired").text, "paste")
    running.wait_verdict()
    assert window.verdict.shown_texts()[1:2] == ["INVALID"]
    window.scan.language.click()
    assert window.verdict.shown_texts()[1] == "KHÔNG HỢP LỆ"
    assert "Thẻ đã hết hạn." in window.verdict.shown_texts()


def open_admin(running):
    running.window.scan.admin.click()
    return running.window.admin


def test_without_a_pin_the_admin_panel_stays_shut(start_station):
    admin = open_admin(start_station())
    assert "No admin PIN is set" in admin.pin_screen.message.text()
    admin.pin_screen.pad.press("1234=")
    assert not admin.unlocked


def test_the_right_pin_opens_the_panel_and_close_locks_it(start_station, data_dir, qtbot):
    set_pin(data_dir, "2468")
    running = start_station()
    admin = open_admin(running)
    admin.pin_screen.pad.press("2468=")
    qtbot.waitUntil(lambda: admin.unlocked, timeout=10_000)
    admin.panel.findChild(type(admin.panel.message), "admin-message")
    admin.panel.checkpoint.setText("gate-2")
    admin.panel.findChild(type(admin.pin_screen.pad.keys["ok"]), "save-station").click()
    assert load_settings(data_dir).checkpoint_id == "gate-2"
    admin.panel.findChild(type(admin.pin_screen.pad.keys["ok"]), "admin-close").click()
    assert not admin.unlocked
    assert running.window.stack.currentWidget() is running.window.scan


def test_repeated_wrong_pins_lock_the_pad_even_for_the_right_pin(start_station, data_dir, qtbot):
    set_pin(data_dir, "2468")
    admin = open_admin(start_station())
    message = admin.pin_screen.message
    for attempt in range(1, MAX_FAILURES + 1):
        admin.pin_screen.pad.press("1111=")
        expected = "Too many wrong PINs" if attempt == MAX_FAILURES else "Wrong PIN"
        qtbot.waitUntil(
            lambda expected=expected: message.text().startswith(expected), timeout=10_000
        )
    admin.pin_screen.pad.press("2468=")
    assert message.text().startswith("Too many wrong PINs")
    assert not admin.unlocked
    assert json.loads((data_dir / "admin-pin.json").read_text())["failures"] == MAX_FAILURES


def test_the_pin_is_never_shown(start_station, data_dir):
    set_pin(data_dir, "2468")
    admin = open_admin(start_station())
    admin.pin_screen.pad.press("24")
    assert admin.pin_screen.display.text() == "••"
