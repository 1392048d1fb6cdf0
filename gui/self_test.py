"""The admin panel's self-test: each part of the station checked once, in words (no Qt here;
it runs on a pool thread). Nothing is logged: the test pass goes to a verifier of its own."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gui.texts import QT_TRANSLATE_NOOP, Text
from gui.values import StationStatus
from station.errors import StationError
from station.reasons import Reason
from station.verify.verifier import Verifier

#: Text no credential family claims: the verifier must say so, whatever its trust data.
PROBE = "SELF-TEST 0123456789"


@dataclass(frozen=True, slots=True)
class TestLine:
    name: Text
    ok: bool
    detail: str = ""


def run_self_test(
    make_verifier: Callable[[], Verifier],
    *,
    camera_state: str,
    status: StationStatus | None,
    storage_state: str,
    sound_backend: str,
    translations: Callable[[str], Path],
) -> tuple[TestLine, ...]:
    return (
        TestLine(
            QT_TRANSLATE_NOOP("SelfTest", "Camera delivers pictures"),
            camera_state == "LIVE",
            camera_state,
        ),
        _verifier_line(make_verifier),
        TestLine(
            QT_TRANSLATE_NOOP("SelfTest", "Entry log writable"),
            status is not None and status.log_available and storage_state == "OK",
            storage_state if status is None or status.log_available else "no entry log",
        ),
        TestLine(
            QT_TRANSLATE_NOOP("SelfTest", "Synced data fresh"),
            status is not None and status.data_state == "OK",
            "" if status is None else status.data_state,
        ),
        TestLine(
            QT_TRANSLATE_NOOP("SelfTest", "Clock confirmed"),
            status is not None and status.clock_state == "TRUSTED",
            "" if status is None else status.clock_state,
        ),
        TestLine(QT_TRANSLATE_NOOP("SelfTest", "Sound"), sound_backend != "beep", sound_backend),
        TestLine(
            QT_TRANSLATE_NOOP("SelfTest", "Translations installed"),
            all(translations(lang).is_file() for lang in ("vi", "en")),
        ),
    )


def _verifier_line(make_verifier: Callable[[], Verifier]) -> TestLine:
    name = QT_TRANSLATE_NOOP("SelfTest", "Verifier and trust data")
    try:
        result = make_verifier().verify(PROBE)
    except (StationError, sqlite3.Error, OSError) as exc:
        return TestLine(name, False, str(exc)[:120])
    ok = result.reason == Reason.NOT_A_HEALTH_CREDENTIAL
    return TestLine(name, ok, str(result.reason))
