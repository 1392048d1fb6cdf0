"""The strip's clock item says what the station's clock policy (`station.time_floor`) decided:
confirmed, not confirmed, wrong (behind the time floor) or jumped, in Vietnamese and English,
from the real time-floor files on disk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from gui_helpers import demo_pass
from PySide6.QtWidgets import QApplication

from gui.i18n import Translations
from gui.presenters import Outcome
from gui.station_status import StatusReader
from gui.status_presenter import BAD, OK, WARN, present_status
from gui.status_strip import StatusStrip
from gui.values import CameraStatus
from station.adapters.time_evidence import current_boot
from station.adapters.time_floor_file import Anchor, FloorRecord, save_record
from station.clock_trust import record_reference_time

pytest_plugins = ["gui_fixtures"]

BEHIND = "Clock wrong: behind the last known time"


def hub_confirmed(base: Path) -> None:
    """The hub's signed time agreed with the clock just now."""
    now = datetime.now(UTC)
    record_reference_time(base, local_now=now, reference=now, source="hub")


def no_evidence(base: Path) -> None:
    """A station booted offline: nothing has confirmed its clock."""


def floor_ahead(base: Path) -> None:
    """Entries were logged on a trusted clock a year from now: today's clock is behind them."""
    save_record(base, FloorRecord(parts={"log": datetime.now(UTC) + timedelta(days=365)}))


def jumped_ahead(base: Path) -> None:
    """Confirmed in this boot, but the wall clock has since run a day ahead of the boot clock."""
    anchor = Anchor.at(current_boot(), datetime.now(UTC) - timedelta(days=1), "technician")
    save_record(base, FloorRecord(anchor=anchor))


CASES = [
    ("TRUSTED", hub_confirmed, OK, "Clock confirmed", "Giờ đã xác nhận"),
    ("UNCONFIRMED", no_evidence, WARN, "Clock not confirmed", "Giờ chưa xác nhận"),
    ("BELOW_FLOOR", floor_ahead, BAD, BEHIND, "Giờ sai: chậm hơn thời điểm đã biết"),
    ("JUMPED", jumped_ahead, BAD, "Clock jumped: check time", "Giờ bị nhảy: kiểm tra lại giờ"),
]


@pytest.mark.parametrize(("state", "prepare", "level", "english", "vietnamese"), CASES)
def test_each_clock_state_shows_on_the_strip_in_both_languages(
    qtbot,
    tmp_path: Path,
    state: str,
    prepare: Callable[[Path], None],
    level: str,
    english: str,
    vietnamese: str,
) -> None:
    prepare(tmp_path)
    reader = StatusReader(tmp_path, log_available=True, ntp_synchronized=lambda: False)
    try:
        status = reader.read(datetime.now(UTC))
    finally:
        reader.close()
    assert status.clock_state == state
    strip = StatusStrip()
    qtbot.addWidget(strip)
    now = datetime.now(UTC)
    strip.show_items(present_status(status, CameraStatus("LIVE"), storage_state="OK", now=now))
    clock = strip.item("clock")
    assert clock is not None and clock.level == level
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = Translations(app)
    try:
        translations.switch("en")
        assert strip.item_text("clock") == english
        translations.switch("vi")
        assert strip.item_text("clock") == vietnamese
    finally:
        translations.remove()


def test_a_station_behind_its_time_floor_says_so_and_gives_no_valid_verdict(
    start_station, data_dir: Path, demo_set, qtbot
) -> None:
    floor_ahead(data_dir)
    running = start_station()
    strip = running.window.strip
    qtbot.waitUntil(lambda: strip.item_text("clock") == BEHIND, timeout=10_000)
    clock = strip.item("clock")
    assert clock is not None and clock.level == BAD
    assert running.window.station_status.clock_state == "BELOW_FLOOR"
    running.window.submit_text(demo_pass(demo_set, "Test certificate").text, "paste")
    view = running.wait_verdict()
    assert view.outcome is Outcome.CHECK_MANUALLY
    assert "clock is not trusted" in view.reason.english()


def test_the_self_test_names_the_clock_state(start_station, data_dir: Path, qtbot) -> None:
    jumped_ahead(data_dir)
    running = start_station()
    qtbot.waitUntil(lambda: running.window.station_status is not None, timeout=10_000)
    panel = running.window.admin.panel
    panel.self_test_requested.emit()
    qtbot.waitUntil(lambda: "Clock confirmed" in panel.test_results.text(), timeout=10_000)
    assert "✗ Clock confirmed (JUMPED)" in panel.test_results.text()
