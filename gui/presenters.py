"""What the screen shows for a decision, a station state or today's counters (no Qt here).

A presenter turns a value into words (`Text`, translated by the GUI), colours, an icon name and
a sound name, so the choices a guard depends on (what colour INVALID is, which reason shows,
what happens when the entry was not recorded) are plain functions with plain tests.

Every verdict has a colour, an icon *and* a word, so nobody depends on telling colours apart.
Only the name and date of birth of the holder are shown, for comparison with an ID document:
no vaccination, test or recovery details, and nothing is kept after the screen clears.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from gui.reason_texts import reason_text
from gui.texts import QT_TRANSLATE_NOOP, Localized, Text
from gui.values import Decision
from station.reasons import Reason, Status


class Outcome(StrEnum):
    VALID = "VALID"
    INVALID = "INVALID"
    CHECK_MANUALLY = "CHECK_MANUALLY"
    #: Nothing could be read (an image without a code, an empty scan): no entry is logged.
    UNREADABLE = "UNREADABLE"
    #: The station itself failed (trust data unreadable, an internal error).
    CANNOT_VERIFY = "CANNOT_VERIFY"


@dataclass(frozen=True, slots=True)
class Look:
    background: str
    foreground: str
    icon: str
    #: The icon's colour on its white disc.
    mark: str


#: Colours with at least 4.5:1 contrast for their text; icons differ in shape as well.
LOOKS: dict[Outcome, Look] = {
    Outcome.VALID: Look("#1b7a3a", "#ffffff", "check", "#17692f"),
    Outcome.INVALID: Look("#b3261e", "#ffffff", "cross", "#9a2019"),
    Outcome.CHECK_MANUALLY: Look("#f2b705", "#1a1a1a", "exclamation", "#1a1a1a"),
    Outcome.UNREADABLE: Look("#455a64", "#ffffff", "question", "#3b4d56"),
    Outcome.CANNOT_VERIFY: Look("#37306b", "#ffffff", "stop", "#2f295c"),
}

WORDS: dict[Outcome, Text] = {
    Outcome.VALID: QT_TRANSLATE_NOOP("Verdict", "VALID"),
    Outcome.INVALID: QT_TRANSLATE_NOOP("Verdict", "INVALID"),
    Outcome.CHECK_MANUALLY: QT_TRANSLATE_NOOP("Verdict", "CHECK BY HAND"),
    Outcome.UNREADABLE: QT_TRANSLATE_NOOP("Verdict", "UNREADABLE"),
    Outcome.CANNOT_VERIFY: QT_TRANSLATE_NOOP("Verdict", "CANNOT VERIFY"),
}

SOUNDS: dict[Outcome, str] = {
    Outcome.VALID: "valid",
    Outcome.INVALID: "invalid",
    Outcome.CHECK_MANUALLY: "check",
    Outcome.UNREADABLE: "unreadable",
    Outcome.CANNOT_VERIFY: "fault",
}

#: Reasons that mean nothing was read at all, rather than a pass that failed.
UNREADABLE_REASONS = frozenset(
    {Reason.INPUT_EMPTY, Reason.IMAGE_UNREADABLE, Reason.NO_CODE_FOUND, Reason.NOT_A_QR_CODE}
)

VALID_TEXT = QT_TRANSLATE_NOOP(
    "Verdict", "All checks passed: compare the name and date of birth with an ID document."
)
FAILURE_TEXTS: dict[str, Text] = {
    "TRUST_UNAVAILABLE": QT_TRANSLATE_NOOP(
        "Verdict", "The station's trust data cannot be read: call the supervisor."
    ),
    "VERIFIER_FAILED": QT_TRANSLATE_NOOP(
        "Verdict", "The station could not check this pass: call the supervisor."
    ),
}
NOT_RECORDED = QT_TRANSLATE_NOOP("Verdict", "Cannot record entry: call supervisor")
DATA_STALE_NOTE = QT_TRANSLATE_NOOP("Verdict", "The station's data is out of date.")
MANUAL_NOTE = QT_TRANSLATE_NOOP("Verdict", "ID number entered by hand.")
#: A rules verdict's reason followed by the failing rule's own description.
RULE_REASON = QT_TRANSLATE_NOOP("Verdict", "{reason} Rule: {description}")
DIRECTIONS: dict[str, Text] = {
    "in": QT_TRANSLATE_NOOP("Direction", "Entry"),
    "out": QT_TRANSLATE_NOOP("Direction", "Exit"),
}

MAX_NAME_CHARS = 80
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass(frozen=True, slots=True)
class VerdictView:
    """One verdict screen: outcome first, then who, then why."""

    serial: int
    outcome: Outcome
    word: Text
    look: Look
    sound: str
    reason: Text
    holder_name: str
    date_of_birth: str
    notes: tuple[Text, ...]
    direction: Text


def outcome_of(decision: Decision) -> Outcome:
    result = decision.result
    if result is None:
        return Outcome.CANNOT_VERIFY
    if result.reason in UNREADABLE_REASONS:
        return Outcome.UNREADABLE
    return {
        Status.VALID: Outcome.VALID,
        Status.INVALID: Outcome.INVALID,
        Status.CHECK_MANUALLY: Outcome.CHECK_MANUALLY,
    }[result.status]


def present_decision(decision: Decision) -> VerdictView:
    outcome = outcome_of(decision)
    result = decision.result
    holder = result.holder if result is not None else None
    manual = decision.kind == "manual"
    return VerdictView(
        serial=decision.serial,
        outcome=outcome,
        word=WORDS[outcome],
        look=LOOKS[outcome],
        sound=SOUNDS[outcome],
        reason=_reason(decision, outcome),
        holder_name="" if holder is None or manual else shown_text(holder.name),
        date_of_birth="" if holder is None else shown_date(holder.date_of_birth),
        notes=_notes(decision, manual),
        direction=DIRECTIONS.get(decision.direction, DIRECTIONS["in"]),
    )


def _reason(decision: Decision, outcome: Outcome) -> Text:
    if decision.result is None:
        return FAILURE_TEXTS.get(decision.failure, FAILURE_TEXTS["VERIFIER_FAILED"])
    if outcome is Outcome.VALID:
        return VALID_TEXT
    reason = reason_text(decision.result.reason)
    description = first_rule_description(decision.result.details)
    if description is None:
        return reason
    return RULE_REASON.with_args(reason=reason, description=description)


def first_rule_description(details: object) -> Localized | None:
    """The description, in every language its rule gives, of the first failed rule (else the
    first that could not be checked): what the guard tells the person, in the guard's language."""
    rules = details.get("rules") if isinstance(details, Mapping) else None
    results = rules.get("rules") if isinstance(rules, Mapping) else None
    if not isinstance(results, list):
        return None
    for wanted in ("FAIL", "OPEN"):
        for item in results:
            if isinstance(item, Mapping) and item.get("result") == wanted:
                texts = item.get("descriptions")
                if isinstance(texts, Mapping) and texts:
                    return Localized(tuple((str(k), str(v)) for k, v in texts.items()))
    return None


def _notes(decision: Decision, manual: bool) -> tuple[Text, ...]:
    notes = []
    if decision.recorded is False:
        notes.append(NOT_RECORDED)
    if decision.result is not None and _data_stale(decision.result.details):
        notes.append(DATA_STALE_NOTE)
    if manual:
        notes.append(MANUAL_NOTE)
    return tuple(notes)


def _data_stale(details: object) -> bool:
    data = details.get("data") if isinstance(details, Mapping) else None
    return isinstance(data, Mapping) and data.get("stale") is True


def shown_text(value: str) -> str:
    """A name as it may be painted: no control or format characters (a hostile code could
    carry bidi overrides or line breaks), whitespace collapsed, length capped."""
    kept = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in value)
    collapsed = " ".join(kept.split())
    if len(collapsed) > MAX_NAME_CHARS:
        return collapsed[: MAX_NAME_CHARS - 1] + "…"
    return collapsed


def shown_date(value: str) -> str:
    """An ISO date of birth as printed on Vietnamese documents: 30/09/1972, 09/1972 or 1972."""
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        return shown_text(value)[:20]
    year, month, day = match.groups()
    return "/".join(part for part in (day, month, year) if part)
