"""What the screen says for each decision and state: presenters only, no Qt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest

from gui.i18n import I18N_DIR, LANGUAGES
from gui.i18n.build import unfinished
from gui.presenters import (
    LOOKS,
    NOT_RECORDED,
    WORDS,
    Outcome,
    present_decision,
    shown_date,
    shown_text,
)
from gui.reason_texts import REASON_TEXTS
from gui.status_presenter import BAD, OK, WARN, present_counters, present_status
from gui.values import CameraStatus, DayCounts, Decision, QueueState, StationStatus
from station.model import Check, Holder
from station.reasons import REASON_MESSAGES, Reason
from station.verify.outcome import build_result

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def decision(reason: Reason | None, *, recorded: bool | None = True, **details: object) -> Decision:
    if reason is None:
        return Decision(1, "camera", 0.0, 0.1, None, "TRUST_UNAVAILABLE")
    checks = [Check.passed("signature") if reason is Reason.OK else Check.failed("x", reason)]
    holder = Holder("Lê, Thu Hà", "1972-09-30")
    result = build_result("dcc", checks, NOW, None, holder=holder, details=dict(details))
    return Decision(1, "camera", 0.0, 0.1, result, recorded=recorded)


@pytest.mark.parametrize(
    ("reason", "outcome"),
    [
        (Reason.OK, Outcome.VALID),
        (Reason.EXPIRED, Outcome.INVALID),
        (Reason.RULE_OPEN, Outcome.CHECK_MANUALLY),
        (Reason.NO_CODE_FOUND, Outcome.UNREADABLE),
        (None, Outcome.CANNOT_VERIFY),
    ],
)
def test_every_outcome_has_a_colour_an_icon_and_a_word(reason, outcome):
    view = present_decision(decision(reason))
    assert view.outcome is outcome
    assert view.word == WORDS[outcome] and view.look == LOOKS[outcome]
    assert view.reason.source


def test_icons_and_words_differ_between_outcomes():
    assert len({look.icon for look in LOOKS.values()}) == len(Outcome)
    assert len({word.source for word in WORDS.values()}) == len(Outcome)


def test_a_failed_pass_shows_the_translatable_reason_and_the_holder():
    view = present_decision(decision(Reason.SIGNATURE_INVALID))
    assert view.reason == REASON_TEXTS[Reason.SIGNATURE_INVALID]
    assert (view.holder_name, view.date_of_birth) == ("Lê, Thu Hà", "30/09/1972")


def test_an_entry_that_was_not_recorded_says_so_on_the_verdict():
    assert NOT_RECORDED in present_decision(decision(Reason.OK, recorded=False)).notes
    assert NOT_RECORDED not in present_decision(decision(Reason.OK, recorded=True)).notes
    assert NOT_RECORDED not in present_decision(decision(Reason.OK, recorded=None)).notes


def test_stale_data_is_noted_on_the_verdict():
    view = present_decision(decision(Reason.OK, data={"stale": True}))
    assert any("out of date" in note.source for note in view.notes)


def test_hostile_names_are_cleaned_before_painting():
    assert shown_text("A\u202eB\nC\x00D") == "A B C D"
    assert len(shown_text("X" * 500)) == 80
    assert shown_date("1972-09") == "09/1972" and shown_date("1972") == "1972"
    assert shown_date("not a date \u202e") == "not a date"


def test_the_reason_table_covers_every_code_in_the_core_english():
    assert set(REASON_TEXTS) == set(Reason)
    assert {code: text.source for code, text in REASON_TEXTS.items()} == {
        code: message for code, message in REASON_MESSAGES.items()
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_are_complete_and_built(language):
    ts = I18N_DIR / f"station_{language}.ts"
    assert unfinished(ts) == []
    assert (I18N_DIR / f"station_{language}.qm").stat().st_size > 0
    sources = {m.findtext("source") for m in ET.parse(ts).getroot().iter("message")}
    assert set(REASON_MESSAGES.values()) <= sources


def test_vietnamese_keeps_every_placeholder():
    root = ET.parse(I18N_DIR / "station_vi.ts").getroot()
    for message in root.iter("message"):
        source, translation = message.findtext("source") or "", message.findtext("translation")
        names = {part.split("}")[0] for part in source.split("{")[1:]}
        assert all("{" + name + "}" in (translation or "") for name in names), source


def status(**changes: object) -> StationStatus:
    values: dict[str, object] = {
        "enrolled": True,
        "data_state": "OK",
        "oldest_age_s": 600.0,
        "sources": (),
        "clock_state": "TRUSTED",
        "free_bytes": 10**10,
        "log_available": True,
        "queue": QueueState(0, 5, 0, None),
    }
    values.update(changes)
    return StationStatus(**values)  # type: ignore[arg-type]


def levels(items) -> dict[str, str]:
    return {item.key: item.level for item in items}


def test_a_healthy_station_is_all_green():
    items = present_status(status(), CameraStatus("LIVE"), storage_state="OK", now=NOW)
    assert [item.key for item in items] == ["data", "clock", "camera", "storage", "queue"]
    assert set(levels(items).values()) == {OK}


@pytest.mark.parametrize(
    ("changes", "camera", "storage", "key", "level", "words"),
    [
        ({}, "DISCONNECTED", "OK", "camera", BAD, "Camera disconnected"),
        ({"data_state": "DEGRADED", "oldest_age_s": 4 * 86400}, "LIVE", "OK", "data", BAD, "4"),
        ({"clock_state": "UNCONFIRMED"}, "LIVE", "OK", "clock", WARN, "not confirmed"),
        ({"clock_state": "UNKNOWN"}, "LIVE", "OK", "clock", WARN, "not confirmed"),
        ({"clock_state": "BELOW_FLOOR"}, "LIVE", "OK", "clock", BAD, "behind the last known"),
        ({"clock_state": "JUMPED"}, "LIVE", "OK", "clock", BAD, "Clock jumped"),
        ({}, "LIVE", "STORAGE_FULL", "storage", BAD, "Disk full"),
        ({"log_available": False}, "LIVE", "OK", "storage", BAD, "No entry log"),
        ({"free_bytes": 10**6}, "LIVE", "OK", "storage", WARN, "almost full"),
        ({"queue": None}, "LIVE", "OK", "queue", WARN, "unknown"),
        ({"queue": QueueState(3, 0, 1, None)}, "LIVE", "OK", "queue", WARN, "held"),
    ],
)
def test_each_fault_shows_on_its_own_item(changes, camera, storage, key, level, words):
    items = present_status(status(**changes), CameraStatus(camera), storage_state=storage, now=NOW)
    item = next(item for item in items if item.key == key)
    assert item.level == level
    assert words in item.label.english()


def test_a_queue_that_waits_for_over_an_hour_warns():
    late = QueueState(4, 0, 0, "2026-06-01T10:00Z")
    items = present_status(status(queue=late), CameraStatus("LIVE"), storage_state="OK", now=NOW)
    assert levels(items)["queue"] == WARN


def test_counters_are_counts_by_verdict_and_hour_only():
    counts = DayCounts(
        date(2026, 6, 1), ((8, (("VALID", 3), ("INVALID", 1))), (9, (("VALID", 2),)))
    )
    view = present_counters(counts)
    assert view.total == 6 and view.peak == 4
    assert [(v, n) for v, _, n in view.by_verdict] == [
        ("VALID", 5),
        ("INVALID", 1),
        ("CHECK_MANUALLY", 0),
    ]
    assert view.hours[8] == (8, 3, 1, 0) and len(view.hours) == 24
