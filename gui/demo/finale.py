"""The demo's ending: the last upload, what the hub holds, and a case traced from it.

After the app closes, the station uploads whatever is still queued (as its upload daemon would
within the minute), then the demo reports from both ends: verdicts as expected, entries logged
on the station and held at the hub, and a contact trace the health authority runs at the hub
with its own key (the station cannot open the identities it logged).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from gui.demo.tracker import DemoTracker, Judged
from station.errors import StationError
from sync.demo_backend import DemoBackend, Printer
from sync.errors import SyncError
from sync.hub.tracing import TraceRequest, TracingError
from sync.upload.daemon import open_uploader

CASE_ID = "DEMO-CASE-1"


@dataclass(frozen=True, slots=True)
class DemoOutcome:
    judged: int
    expected: int
    mismatched: tuple[Judged, ...]
    unseen: int
    uploaded: int
    pending: int

    @property
    def ok(self) -> bool:
        return not self.mismatched and not self.unseen and self.pending == 0 and self.uploaded > 0


def finish(backend: DemoBackend, tracker: DemoTracker, say: Printer = print) -> DemoOutcome:
    """Upload the rest, print the summary and a trace; the outcome decides the exit status."""
    pending = _upload_rest(backend, say)
    judged = tracker.judged
    mismatched = tuple(item for item in judged if not item.as_expected)
    held = sum(health.entries for health in backend.hub.log_health())
    outcome = DemoOutcome(
        judged=len(judged),
        expected=len(judged) - len(mismatched),
        mismatched=mismatched,
        unseen=len(tracker.unseen),
        uploaded=held,
        pending=pending,
    )
    say("")
    say(f"Verdicts: {outcome.expected} of {len(judged)} credentials judged as expected.")
    for item in mismatched:
        say(f"  {item.credential.label}: {item.status}, expected {item.credential.expected}")
    if outcome.unseen:
        say(f"  {outcome.unseen} credentials were not read: {_labels(tracker)}")
    say(f"Entries: {tracker.decisions} decisions logged; the hub holds {held}; {pending} queued.")
    _trace(backend, judged, say)
    return outcome


def _upload_rest(backend: DemoBackend, say: Printer) -> int:
    """Drain the station's queue; how many entries are still waiting afterwards."""
    try:
        with open_uploader(backend.station_base, alert=say) as uploader:
            uploader.drain_once()
            return uploader.queue_counts().pending
    except (SyncError, StationError, sqlite3.Error) as exc:
        say(f"Upload failed: {getattr(exc, 'code', type(exc).__name__)}")
        return -1


def _trace(backend: DemoBackend, judged: tuple[Judged, ...], say: Printer) -> None:
    """The authority traces the first person let in, by name and date of birth."""
    case = next((item for item in judged if item.status == "VALID" and item.holder), None)
    if case is None or case.holder is None:
        return
    request = TraceRequest(
        case_id=CASE_ID,
        operator="demo-tracer",
        name=case.holder.name,
        date_of_birth=case.holder.date_of_birth,
    )
    try:
        result = backend.hub.trace(backend.authority_key, request)
    except TracingError as exc:
        say(f"Tracing failed: {exc}")
        return
    audit = len(backend.hub.audit_trail(CASE_ID))
    say(
        f"Tracing at the hub (authority key): the holder of '{case.credential.label}' passed "
        f"{_count(len(result.case_entries), 'time')}; {_count(len(result.contacts), 'contact')} "
        f"passed the same gate within {request.window_minutes} minutes; {audit} decryptions "
        "are in the audit trail."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _labels(tracker: DemoTracker) -> str:
    return ", ".join(credential.label for credential in tracker.unseen)
