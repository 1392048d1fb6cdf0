"""On the touch kiosk the admin panel's text fields open on-screen keyboards: letters for the
checkpoint id, the digit keypad for a new PIN. Real station, real taps on the real keys."""

from __future__ import annotations

import pytest
from gui_helpers import set_pin
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QPushButton

from station.settings import load_settings

pytest_plugins = ["gui_fixtures"]

PIN = "2468"


def unlock(running, qtbot, pin: str = PIN):
    """Open the admin screen and type `pin` on its pad; the panel once it is open."""
    admin = running.window.admin
    running.window.scan.admin.click()
    admin.pin_screen.pad.press(pin + "=")
    qtbot.waitUntil(lambda: admin.unlocked, timeout=10_000)
    return admin.panel


def tap(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tap_keys(qtbot, overlay, *names: str) -> None:
    for name in names:
        tap(qtbot, overlay.keys[name])


def button(panel, name: str) -> QPushButton:
    return panel.findChild(QPushButton, name)


def kiosk_panel(start_station, data_dir, qtbot, **options):
    set_pin(data_dir, PIN)
    running = start_station(**options)
    return running, unlock(running, qtbot)


def test_the_checkpoint_is_typed_on_the_keyboard_and_saved(start_station, data_dir, qtbot):
    running, panel = kiosk_panel(start_station, data_dir, qtbot)
    scans: list[str] = []
    running.station.wedge.scanned.connect(scans.append)
    keyboard = panel.touch_input.keyboard
    assert not keyboard.isVisible()
    tap(qtbot, panel.checkpoint)
    assert keyboard.isVisible() and panel.touch_input.current is keyboard
    assert keyboard.text() == "main", "the keyboard starts from the field's text"
    tap_keys(qtbot, keyboard, "clear", "shift")
    assert keyboard.keys["g"].text() == "G", "letter keys show capitals while Shift is on"
    tap_keys(qtbot, keyboard, "g", "x")
    assert keyboard.text() == "Gx", "Shift tapped once makes one capital"
    tap_keys(qtbot, keyboard, "delete", "shift", "shift", "a", "t", "e", "shift")
    assert keyboard.keys["shift"].text() == "Shift" and not keyboard.keys["shift"].isChecked()
    tap_keys(qtbot, keyboard, "-", "2", "space", "n", "o", "r", "t", "h")
    assert keyboard.text() == "GATE-2 north"
    assert panel.checkpoint.text() == "main", "the field changes only on Done"
    tap(qtbot, keyboard.keys["done"])
    assert not keyboard.isVisible() and panel.touch_input.current is None
    assert panel.checkpoint.text() == "GATE-2 north"
    tap(qtbot, button(panel, "save-station"))
    assert load_settings(data_dir).checkpoint_id == "GATE-2 north"
    assert scans == [] and running.station.wedge.detector.pending == 0, (
        "taps on the keys are not scanner input"
    )


def test_cancel_leaves_the_field_as_it_was(start_station, data_dir, qtbot):
    running, panel = kiosk_panel(start_station, data_dir, qtbot)
    keyboard = panel.touch_input.keyboard
    tap(qtbot, panel.checkpoint)
    tap_keys(qtbot, keyboard, "clear", "x", "y", "z")
    tap(qtbot, keyboard.keys["cancel"])
    assert not keyboard.isVisible() and panel.checkpoint.text() == "main"
    tap(qtbot, panel.checkpoint)
    assert keyboard.text() == "main"
    running.window.admin.lock()  # the idle lock while the keyboard is up
    panel = unlock(running, qtbot)
    assert not keyboard.isVisible(), "a panel unlocked again opens without the keyboard"


def test_a_new_pin_typed_on_the_keypad_unlocks_the_panel_next_time(start_station, data_dir, qtbot):
    running, panel = kiosk_panel(start_station, data_dir, qtbot)
    field, keypad = panel.settings.new_pin, panel.touch_input.keypad
    panel.tabs.setCurrentWidget(field.parentWidget())
    tap(qtbot, field)
    assert keypad.isVisible() and not panel.touch_input.keyboard.isVisible()
    tap_keys(qtbot, keypad.pad, "9", "9", "1", "3", "5", "7")
    tap(qtbot, keypad.pad.keys["delete"])
    assert keypad.display.text() == "•••••", "the new PIN is never shown"
    tap(qtbot, keypad.cancel)
    assert field.text() == "", "Cancel keeps the field empty"
    tap(qtbot, field)
    tap_keys(qtbot, keypad.pad, "1", "3", "5", "7", "9", "ok")
    assert not keypad.isVisible() and field.text() == "13579"
    tap(qtbot, button(panel, "change-pin"))
    qtbot.waitUntil(lambda: panel.message.text() == "PIN changed.", timeout=10_000)
    tap(qtbot, button(panel, "admin-close"))
    admin = running.window.admin
    assert not admin.unlocked
    running.window.scan.admin.click()
    admin.pin_screen.pad.press(PIN + "=")
    qtbot.waitUntil(lambda: admin.pin_screen.message.text().startswith("Wrong PIN"), timeout=10_000)
    assert not admin.unlocked, "the old PIN no longer opens the panel"
    admin.pin_screen.pad.press("13579=")
    qtbot.waitUntil(lambda: admin.unlocked, timeout=10_000)


def within(window, widget) -> QRect:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return QRect(top_left, widget.size())


@pytest.mark.parametrize("size", [(800, 480), (1280, 800), (1920, 1080)])
def test_the_keyboard_and_keypad_fit_the_screen(start_station, data_dir, qtbot, size):
    running, panel = kiosk_panel(start_station, data_dir, qtbot, size=size)
    window = running.window
    tap(qtbot, panel.checkpoint)
    panel.touch_input.close()
    panel.tabs.setCurrentWidget(panel.settings.new_pin.parentWidget())
    tap(qtbot, panel.settings.new_pin)
    keypad_buttons = panel.touch_input.keypad.findChildren(QPushButton)
    tap(qtbot, panel.touch_input.keypad.cancel)
    panel.tabs.setCurrentIndex(0)
    tap(qtbot, panel.checkpoint)
    keyboard_buttons = panel.touch_input.keyboard.findChildren(QPushButton)
    assert len(keyboard_buttons) == 3 + 11 + 11 + 11 + 9 and len(keypad_buttons) == 13
    for key in keyboard_buttons:
        assert key.isVisible()
        assert window.rect().contains(within(window, key)), key.objectName()
        assert key.width() >= 40 and key.height() >= 48, key.objectName()
    for key in keypad_buttons:
        assert window.rect().contains(within(window, key)), key.objectName()
        assert key.width() >= 40 and key.height() >= 48, key.objectName()


def test_the_keyboard_speaks_vietnamese(start_station, data_dir, qtbot):
    running, panel = kiosk_panel(start_station, data_dir, qtbot, language="vi")
    keyboard = panel.touch_input.keyboard
    tap(qtbot, panel.checkpoint)
    labels = {name: keyboard.keys[name].text() for name in ("done", "cancel", "clear", "space")}
    assert labels == {"done": "Xong", "cancel": "Hủy", "clear": "Xóa hết", "space": "Dấu cách"}
    assert keyboard.title.text() == "Điểm kiểm soát (cửa hoặc làn)"
    tap_keys(qtbot, keyboard, "shift", "shift")
    assert keyboard.keys["shift"].text() == "Khóa chữ hoa"


def test_in_laptop_mode_the_fields_take_the_physical_keyboard(start_station, data_dir, qtbot):
    running, panel = kiosk_panel(start_station, data_dir, qtbot, kiosk=False, size=(1280, 800))
    tap(qtbot, panel.checkpoint)
    assert panel.touch_input.current is None and not panel.touch_input.keyboard.isVisible()
    panel.checkpoint.selectAll()
    qtbot.keyClicks(panel.checkpoint, "gate-9")
    assert panel.checkpoint.text() == "gate-9"
    panel.tabs.setCurrentWidget(panel.settings.new_pin.parentWidget())
    tap(qtbot, panel.settings.new_pin)
    assert not panel.touch_input.keypad.isVisible()


def test_taps_anywhere_in_the_unlocked_panel_keep_it_open(start_station, data_dir, qtbot):
    running, panel = kiosk_panel(start_station, data_dir, qtbot)
    admin = running.window.admin
    qtbot.wait(1500)  # idle: the countdown runs down (a tap would start it again)
    before = admin.idle_left_ms
    tap(qtbot, panel.checkpoint)  # a child field, which opens the keyboard
    tap_keys(qtbot, panel.touch_input.keyboard, "a")
    after = admin.idle_left_ms
    assert 0 < before < after, (before, after)
    admin.lock()
    assert admin.idle_left_ms == -1
