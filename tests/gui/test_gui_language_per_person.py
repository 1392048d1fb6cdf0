"""The language button is one person's choice: their verdict's return to scanning brings back the
station's default language, which only `--lang` and the admin panel set (and save)."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import demo_pass, set_pin
from PySide6.QtCore import Qt

from gui.options import AppOptions, load_options, options_path, save_options
from gui.widgets import TouchButton

pytest_plugins = ["gui_fixtures"]

VIETNAMESE_TITLE = "Xuất trình mã QR"
ENGLISH_TITLE = "Show your QR code"


def wait_title(qtbot, window, title: str) -> None:
    """Widgets retranslate on the LanguageChange event Qt posts after a switch."""
    qtbot.waitUntil(lambda: window.scan.title.text() == title, timeout=2000)


def test_a_guest_s_english_lasts_until_their_verdict_is_tapped_away(
    start_station, demo_set, data_dir: Path, qtbot
) -> None:
    running = start_station(language="")  # no saved options: Vietnamese
    window = running.window
    wait_title(qtbot, window, VIETNAMESE_TITLE)
    window.scan.language.click()
    wait_title(qtbot, window, ENGLISH_TITLE)
    window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    running.wait_verdict()
    assert window.verdict.shown_texts()[1] == "VALID"
    # The same person's second pass, shown before they leave: still in their language.
    window.submit_text(demo_pass(demo_set, "Expired").text, "paste")
    running.wait_verdict()
    assert window.verdict.shown_texts()[1] == "INVALID"
    qtbot.mouseClick(window.verdict, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.scan
    wait_title(qtbot, window, VIETNAMESE_TITLE)
    assert window.scan.language.text() == "English"
    assert window.language == window.default_language == "vi"
    assert not options_path(data_dir).exists()


def test_the_verdict_s_own_return_restores_the_saved_default(
    start_station, demo_set, data_dir: Path, qtbot
) -> None:
    save_options(data_dir, AppOptions(language="en"))
    running = start_station(language="", verdict_seconds=1)
    window = running.window
    wait_title(qtbot, window, ENGLISH_TITLE)
    window.scan.language.click()
    wait_title(qtbot, window, VIETNAMESE_TITLE)
    window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    running.wait_verdict()
    assert window.verdict.shown_texts()[1] == "HỢP LỆ"
    with qtbot.waitSignal(window.verdict.finished, timeout=5000):
        pass
    wait_title(qtbot, window, ENGLISH_TITLE)
    assert load_options(data_dir).language == "en"


def test_the_admin_panel_sets_the_default_and_the_toggle_leaves_it(
    start_station, demo_set, data_dir: Path, qtbot
) -> None:
    set_pin(data_dir, "2468")
    running = start_station(language="")
    window = running.window
    admin = window.admin
    window.scan.admin.click()
    admin.pin_screen.pad.press("2468=")
    qtbot.waitUntil(lambda: admin.unlocked, timeout=10_000)
    settings = admin.panel.settings
    settings.language.setCurrentIndex(settings.language.findData("en"))
    settings.sound.setChecked(False)
    admin.panel.findChild(TouchButton, "save-kiosk").click()
    assert load_options(data_dir).language == "en"
    assert window.default_language == "en"
    admin.panel.findChild(TouchButton, "admin-close").click()
    wait_title(qtbot, window, ENGLISH_TITLE)
    window.scan.language.click()
    wait_title(qtbot, window, VIETNAMESE_TITLE)
    window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    running.wait_verdict()
    assert window.verdict.shown_texts()[1] == "HỢP LỆ"
    qtbot.mouseClick(window.verdict, Qt.MouseButton.LeftButton)
    wait_title(qtbot, window, ENGLISH_TITLE)
    assert load_options(data_dir).language == "en"


def test_the_command_line_language_is_the_default_for_the_session(
    start_station, demo_set, qtbot
) -> None:
    running = start_station(language="en")
    window = running.window
    window.scan.language.click()
    wait_title(qtbot, window, VIETNAMESE_TITLE)
    window.submit_text(demo_pass(demo_set, "Expired").text, "paste")
    running.wait_verdict()
    qtbot.mouseClick(window.verdict, Qt.MouseButton.LeftButton)
    wait_title(qtbot, window, ENGLISH_TITLE)


def test_a_guest_who_leaves_without_scanning_leaves_the_default_behind(
    start_station, qtbot
) -> None:
    running = start_station(language="")
    window = running.window
    window.guest_language_timer.setInterval(300)
    window.scan.language.click()
    wait_title(qtbot, window, ENGLISH_TITLE)
    assert window.guest_language_timer.isActive()
    wait_title(qtbot, window, VIETNAMESE_TITLE)
    assert window.language == window.default_language == "vi"
    assert not window.guest_language_timer.isActive()


def test_the_idle_reset_waits_while_a_verdict_is_on_screen(start_station, demo_set, qtbot) -> None:
    running = start_station(language="", verdict_seconds=60)
    window = running.window
    window.guest_language_timer.setInterval(200)
    window.scan.language.click()
    wait_title(qtbot, window, ENGLISH_TITLE)
    window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    running.wait_verdict()
    qtbot.wait(600)  # the guest timer has fired at least twice behind the verdict
    assert window.verdict.shown_texts()[1] == "VALID"
    assert window.language == "en"
    qtbot.mouseClick(window.verdict, Qt.MouseButton.LeftButton)
    wait_title(qtbot, window, VIETNAMESE_TITLE)


def test_switching_back_by_hand_stops_the_idle_reset(start_station, qtbot) -> None:
    running = start_station(language="")
    window = running.window
    window.scan.language.click()
    wait_title(qtbot, window, ENGLISH_TITLE)
    window.scan.language.click()
    wait_title(qtbot, window, VIETNAMESE_TITLE)
    assert not window.guest_language_timer.isActive()
