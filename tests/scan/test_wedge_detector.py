"""Keyboard-wedge burst detection and keyboard-layout recovery, as pure logic with scripted times.

The layout tests carry their own table of what a US-keycode scanner produces on German and French
hosts (written from the printed keyboards), independent of the module's key-position tables, so a
slip in either shows up as a failed round trip.
"""

from __future__ import annotations

import string

import pytest

from station.codec.base45 import ALPHABET as BASE45_ALPHABET
from station.codec.base45 import encode_base45
from station.scan.wedge import WedgeBurstDetector
from station.scan.wedge_layout import (
    COVERED_CHARACTERS,
    LAYOUTS,
    detect_layout,
    remap_layout,
    unrecoverable,
)

HC1 = "HC1:" + encode_base45(bytes(range(256)) * 2)
SHC = "shc:/" + "56762909524320603460292437404460312229595326546034602925407728043360287028647167"
NZCP = "NZCP:/1/2KCEVIQEIVVWK6JNGEASNICZAEP2KALYDZSGSZB2O5SWEOTOPJRXALTDCMFIZAFH5UKBAXRFYSZGRSQ"
NATIONAL = "001099012345|Nguyễn Văn A|01011990|Nam|Số 1 Lê Lợi, Phường Bến Nghé, Quận 1|15082021"
PAYLOADS = [HC1, SHC, NZCP, NATIONAL]

SCANNER_STEP_S = 0.002


def type_keys(
    detector: WedgeBurstDetector, text: str, *, start: float, step: float
) -> tuple[list[str], float]:
    """Feed `text` one key every `step` seconds from `start`; the scans and the next free time."""
    scans = []
    at = start
    for char in text:
        scan = detector.feed(char, at)
        if scan is not None:
            scans.append(scan)
        at += step
    return scans, at


def scan_burst(detector: WedgeBurstDetector, text: str, start: float = 0.0) -> list[str]:
    scans, _ = type_keys(detector, text, start=start, step=SCANNER_STEP_S)
    return scans


# --- Bursts versus typing ----------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=["hc1", "shc", "nzcp", "national"])
@pytest.mark.parametrize("terminator", ["\r", "\n"])
def test_scanner_speed_burst_is_one_scan(payload: str, terminator: str) -> None:
    detector = WedgeBurstDetector()
    assert scan_burst(detector, payload + terminator) == [payload]
    assert detector.take_human_text() == ""
    assert detector.rejected_bursts == 0


@pytest.mark.parametrize("step", [0.08, 0.15, 0.25])
def test_human_typing_never_makes_a_scan(step: float) -> None:
    detector = WedgeBurstDetector()
    typed = "HC1:NCFOXN%TS3DH0\r"
    scans, _ = type_keys(detector, typed, start=0.0, step=step)
    assert scans == []
    assert detector.take_human_text() == typed
    assert detector.take_human_text() == "", "take_human_text drains"


def test_quick_two_key_roll_and_enter_stay_human() -> None:
    detector = WedgeBurstDetector()
    assert detector.feed("o", 0.0) is None
    assert detector.feed("k", 0.03) is None
    assert detector.feed("\r", 0.06) is None
    assert detector.take_human_text() == "ok\r"


def test_human_typing_then_a_scan() -> None:
    detector = WedgeBurstDetector()
    scans, at = type_keys(detector, "hello", start=0.0, step=0.12)
    scans += scan_burst(detector, SHC + "\r", start=at + 0.5)
    assert scans == [SHC]
    assert detector.take_human_text() == "hello"


def test_scan_then_human_enter() -> None:
    detector = WedgeBurstDetector()
    assert scan_burst(detector, NZCP + "\r") == [NZCP]
    assert detector.feed("\r", 5.0) is None
    assert detector.take_human_text() == "\r"


def test_cr_lf_suffix_gives_one_scan_and_no_stray_enter() -> None:
    detector = WedgeBurstDetector()
    assert scan_burst(detector, HC1 + "\r\n" + SHC + "\r\n", start=0.0) == [HC1, SHC]
    assert detector.take_human_text() == ""


def test_tab_terminator() -> None:
    detector = WedgeBurstDetector(terminators=("\t",))
    assert scan_burst(detector, SHC + "\t") == [SHC]
    assert scan_burst(detector, SHC + "\r", start=10.0) == [], "Enter is data, not a terminator"


def test_poll_releases_human_keys_after_a_pause() -> None:
    detector = WedgeBurstDetector()
    detector.feed("a", 0.0)
    assert detector.poll(0.01) is None
    assert detector.take_human_text() == "", "the run may still be a burst"
    assert detector.poll(0.2) is None
    assert detector.take_human_text() == "a"


# --- Broken bursts -----------------------------------------------------------------------------


def test_burst_that_stalls_is_discarded_with_its_tail() -> None:
    detector = WedgeBurstDetector()
    head, tail = HC1[:40], HC1[40:]
    scans, at = type_keys(detector, head, start=0.0, step=SCANNER_STEP_S)
    scans += scan_burst(detector, tail + "\r", start=at + 0.1)
    assert scans == []
    assert detector.rejected_bursts == 1
    assert detector.take_human_text() == "", "a stalled burst is not typing"
    assert scan_burst(detector, SHC + "\r", start=5.0) == [SHC]


def test_typing_after_a_long_silence_follows_a_stalled_burst() -> None:
    detector = WedgeBurstDetector()
    _, at = type_keys(detector, HC1[:40], start=0.0, step=SCANNER_STEP_S)
    scans, _ = type_keys(detector, "ab", start=at + 1.0, step=0.2)
    assert detector.poll(at + 2.0) is None
    assert scans == []
    assert detector.rejected_bursts == 1
    assert detector.take_human_text() == "ab"


def test_unterminated_burst_is_dropped_by_default() -> None:
    detector = WedgeBurstDetector()
    _, at = type_keys(detector, SHC, start=0.0, step=SCANNER_STEP_S)
    assert detector.poll(at + 1.0) is None
    assert detector.rejected_bursts == 1
    assert detector.pending == 0


def test_flood_is_bounded_and_rejected() -> None:
    detector = WedgeBurstDetector(max_length=100)
    largest = 0
    for index in range(10_000):
        assert detector.feed("A", index * 0.001) is None
        largest = max(largest, detector.pending)
    assert detector.feed("\r", 10.0005) is None
    assert largest == 100
    assert detector.rejected_bursts == 1
    assert detector.take_human_text() == ""
    assert scan_burst(detector, SHC + "\r", start=20.0) == [SHC], "detector recovers"


def test_scan_of_exactly_max_length_is_kept() -> None:
    detector = WedgeBurstDetector(max_length=len(SHC))
    assert scan_burst(detector, SHC + "\r") == [SHC]


def test_human_buffer_is_bounded() -> None:
    detector = WedgeBurstDetector(max_length=16)
    type_keys(detector, string.ascii_letters, start=0.0, step=0.2)
    detector.poll(100.0)
    assert detector.take_human_text() == string.ascii_letters[-16:]


# --- Scanners without a terminator -------------------------------------------------------------


def test_unterminated_scan_completes_after_idle_flush() -> None:
    detector = WedgeBurstDetector(accept_unterminated=True, idle_flush_s=0.15)
    scans, at = type_keys(detector, NZCP, start=0.0, step=SCANNER_STEP_S)
    last_key = at - SCANNER_STEP_S
    assert scans == []
    assert detector.poll(last_key + 0.1) is None, "still inside the idle window"
    assert detector.poll(last_key + 0.2) == NZCP
    assert detector.poll(last_key + 0.3) is None


def test_unterminated_scan_completes_when_the_next_key_comes_late() -> None:
    detector = WedgeBurstDetector(accept_unterminated=True)
    _, at = type_keys(detector, SHC, start=0.0, step=SCANNER_STEP_S)
    assert detector.feed("x", at + 1.0) == SHC
    detector.poll(at + 2.0)
    assert detector.take_human_text() == "x"


def test_unterminated_scan_that_resumes_too_soon_is_discarded() -> None:
    detector = WedgeBurstDetector(accept_unterminated=True, idle_flush_s=0.15)
    _, at = type_keys(detector, SHC, start=0.0, step=SCANNER_STEP_S)
    scans, at = type_keys(detector, "12345678", start=at + 0.1, step=SCANNER_STEP_S)
    assert scans == []
    assert detector.poll(at + 1.0) is None
    assert detector.rejected_bursts == 1


def test_finish_flushes_an_unterminated_scan() -> None:
    detector = WedgeBurstDetector(accept_unterminated=True)
    scan_burst(detector, SHC)
    assert detector.finish() == SHC


def test_reset_forgets_everything() -> None:
    detector = WedgeBurstDetector()
    scan_burst(detector, SHC[:20])
    detector.reset()
    assert detector.pending == 0
    assert scan_burst(detector, SHC + "\r", start=0.001) == [SHC]


# --- Input validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"max_gap_s": 0.0},
        {"min_length": 0},
        {"min_length": 10, "max_length": 9},
        {"terminators": ()},
        {"terminators": ("\r\n",)},
        {"max_gap_s": 0.2, "idle_flush_s": 0.1},
    ],
)
def test_inconsistent_configuration_is_refused(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WedgeBurstDetector(**options)


@pytest.mark.parametrize("chars", ["", "ab"])
def test_feed_takes_one_character(chars: str) -> None:
    with pytest.raises(ValueError):
        WedgeBurstDetector().feed(chars, 0.0)


# --- Keyboard layouts --------------------------------------------------------------------------

#: What a scanner emulating a US keyboard produces on each host, for every character it changes.
#: None marks a dead key: the result depends on the host's compose handling.
US_SCANNER_ON_HOST: dict[str, dict[str, str | None]] = {
    "de": {
        "y": "z", "z": "y", "Y": "Z", "Z": "Y",
        "*": "(", "-": "ß", "/": "-", ":": "Ö", "|": "'", "+": None,
    },
    "fr": {
        "a": "q", "q": "a", "w": "z", "z": "w", "A": "Q", "Q": "A", "W": "Z", "Z": "W",
        "m": ",", "M": "?",
        "1": "&", "2": "é", "3": '"', "4": "'", "5": "(",
        "6": "-", "7": "è", "8": "_", "9": "ç", "0": "à",
        "$": "4", "%": "5", "*": "8", "-": ")", ".": ":", "/": "!", ":": "M", "|": "\u00b5",
    },
}  # fmt: skip


def typed_by_us_scanner(text: str, layout: str) -> str:
    """What the host shows when a US-keycode scanner types `text` (dead keys not modelled)."""
    changes = US_SCANNER_ON_HOST.get(layout, {})
    produced = []
    for char in text:
        out = changes.get(char, char)
        if out is None:
            raise ValueError(f"{char!r} is a dead key on {layout}")
        produced.append(out)
    return "".join(produced)


def recoverable(layout: str, chars: str) -> str:
    dead = {char for char, out in US_SCANNER_ON_HOST.get(layout, {}).items() if out is None}
    return "".join(char for char in chars if char not in dead)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_remap_inverts_every_base45_character_and_digit(layout: str) -> None:
    for char in recoverable(layout, BASE45_ALPHABET + string.digits):
        assert remap_layout(typed_by_us_scanner(char, layout), layout) == char, char


@pytest.mark.parametrize("layout", LAYOUTS)
def test_remap_inverts_every_covered_character(layout: str) -> None:
    chars = recoverable(layout, COVERED_CHARACTERS)
    typed = typed_by_us_scanner(chars, layout)
    assert len(set(typed)) == len(typed), "the host layout keeps characters apart"
    assert remap_layout(typed, layout) == chars


def test_unrecoverable_characters_are_the_dead_keys() -> None:
    assert unrecoverable("us") == frozenset()
    assert unrecoverable("de") == {"+"}
    assert unrecoverable("fr") == frozenset()


@pytest.mark.parametrize(
    "payload", [SHC, NZCP, NATIONAL[:13] + "0123|ABC"], ids=["shc", "nzcp", "national"]
)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_payload_round_trips_and_its_layout_is_detected(payload: str, layout: str) -> None:
    typed = typed_by_us_scanner(payload, layout)
    assert detect_layout(typed) == layout
    assert remap_layout(typed, layout) == payload


@pytest.mark.parametrize("layout", LAYOUTS)
def test_hc1_without_dead_keys_round_trips(layout: str) -> None:
    payload = recoverable(layout, HC1)
    typed = typed_by_us_scanner(payload, layout)
    assert detect_layout(typed) == layout
    assert remap_layout(typed, layout) == payload


@pytest.mark.parametrize(
    ("typed", "layout"),
    [
        ("HC1:NCF", "us"),
        ("HC1ÖNCF", "de"),
        ("HC&MNCF", "fr"),
        ("shc:/5676", "us"),
        ("shcÖ-5676", "de"),
        ("shcM!(-è-", "fr"),
        ("NZCP:/1/", "us"),
        ("NYCPÖ-1-", "de"),
        ("NWCPM!&!", "fr"),
        ("001099012345|Nguyễn", "us"),
        ("001099012345'Ngu", "de"),
        ("àà&àççà&é\"'(\u00b5Ngu", "fr"),
        ("hello world", None),
        ("HC1", None),
        ("0010990|short id", None),
    ],
)
def test_detect_layout_from_known_prefixes(typed: str, layout: str | None) -> None:
    assert detect_layout(typed) == layout


def test_characters_outside_the_table_pass_through() -> None:
    assert remap_layout("ễăĐươ", "de") == "ễăĐươ"
    assert remap_layout("ễăĐươ", "fr") == "ễăĐươ"
    assert remap_layout(NATIONAL, "us") == NATIONAL


def test_unknown_layout_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown keyboard layout"):
        remap_layout("HC1:", "dvorak")
    with pytest.raises(ValueError, match="unknown keyboard layout"):
        unrecoverable("dvorak")
