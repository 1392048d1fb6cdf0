"""`VerifyWorker` (verification and the entry log on their own thread) and thread helpers.

The worker builds its verifier and recorder on its own thread (both hold SQLite connections),
drops a camera or wedge code it verified less than `window_s` seconds ago, verifies, records
the entry and emits `result_ready(Decision)`. The GUI never waits for it.

`CameraWorker` is in `gui.camera`, `StatusWorker` and `SyncWorker` in `gui.background`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from gui.device import Gate, NoGate
from gui.manual_entry import as_typed
from gui.values import Decision, ImageInput, ScanInput
from station.cli.requests import Request, RequestRunner
from station.errors import StationError
from station.model import VerificationResult
from station.scan.loop import DEFAULT_REPEAT_WINDOW_S, RepeatFilter
from station.verify.verifier import Verifier

#: Inputs a machine repeats by itself (a code left in view, a scanner's double read).
FILTERED_KINDS = ("camera", "wedge")
#: A result whose failed check is "image" read nothing: there is no decision to log.
NOTHING_READ_CHECK = "image"
#: What the recorder says when an entry was not written (as `station.entry_recorder`).
NOT_RECORDED = "Cannot record entry: call supervisor"


class Recorder(Protocol):
    """What the worker needs of `station.entry_recorder.EntryRecorder`."""

    direction: str

    def record(self, result: VerificationResult) -> Any: ...

    def close(self) -> None: ...


class VerifyWorker(QObject):
    """Lives in its own QThread; every slot runs there."""

    result_ready = Signal(object)
    started = Signal(str)

    def __init__(
        self,
        make_verifier: Callable[[], Verifier],
        make_recorder: Callable[[], Recorder | None],
        *,
        direction: str = "in",
        gate: Gate | None = None,
        judge_clock: Callable[[VerificationResult], VerificationResult] | None = None,
        window_s: float = DEFAULT_REPEAT_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._make_verifier = make_verifier
        self._make_recorder = make_recorder
        self._verifier: Verifier | None = None
        self._runner: RequestRunner | None = None
        self._recorder: Recorder | None = None
        self._recorder_broken = False
        self._repeats = RepeatFilter(window_s)
        self._gate = gate or NoGate()
        self._judge_clock = judge_clock
        self._clock = clock
        self.direction = direction
        self.failure = ""
        #: Thread of the last verification (tests check it is never the GUI thread).
        self.last_thread: int | None = None

    @Slot()
    def start(self) -> None:
        self._build_verifier()
        self._build_recorder()
        self.started.emit(self.failure)

    @Slot()
    def reload(self) -> None:
        """Build the verifier and the recorder again (profile, checkpoint or trust changed)."""
        self._build_verifier()
        if self._recorder is not None:
            self._recorder.close()
        self._build_recorder()

    @Slot(str)
    def set_direction(self, direction: str) -> None:
        self.direction = direction
        if self._recorder is not None:
            self._recorder.direction = direction

    @Slot(object)
    def on_scan(self, scan: ScanInput) -> None:
        if scan.kind in FILTERED_KINDS and not self._repeats.admit(scan.text, scan.seen_at):
            return
        typed = scan.kind == "manual"

        def verify(verifier: Verifier) -> VerificationResult:
            result = verifier.verify(scan.text)
            return as_typed(result) if typed else result

        self._decide(scan.serial, scan.kind, scan.seen_at, verify)

    @Slot(object)
    def on_image(self, image: ImageInput) -> None:
        def run(verifier: Verifier) -> VerificationResult:
            assert self._runner is not None
            return self._runner.run(Request(image.serial, image=image.path))

        self._decide(image.serial, "image", image.seen_at, run)

    @Slot()
    def stop(self) -> None:
        if self._recorder is not None:
            self._recorder.close()
            self._recorder = None
        self._gate.close()

    def _build_recorder(self) -> None:
        """The recorder, or None without an entry log; one that cannot be opened is noted, so
        every verdict says the entry was not recorded."""
        self._recorder, self._recorder_broken = None, False
        try:
            self._recorder = self._make_recorder()
        except (StationError, sqlite3.Error, OSError, ValueError):
            self._recorder_broken = True
        if self._recorder is not None:
            self._recorder.direction = self.direction

    def _build_verifier(self) -> None:
        try:
            self._verifier = self._make_verifier()
            self._runner = RequestRunner(self._verifier)
            self.failure = ""
        except (StationError, sqlite3.Error, OSError) as exc:
            self._verifier = self._runner = None
            self.failure = f"TRUST_UNAVAILABLE: {type(exc).__name__}"

    def _decide(
        self,
        serial: int,
        kind: str,
        seen_at: float,
        verify: Callable[[Verifier], VerificationResult],
    ) -> None:
        self.last_thread = threading.get_ident()
        if self._verifier is None:
            self._emit(Decision(serial, kind, seen_at, self._clock(), None, "TRUST_UNAVAILABLE"))
            return
        try:
            result = self._clock_policy(verify(self._verifier))
        except Exception:  # whatever failed, the guard must see "cannot verify", not nothing
            self._emit(Decision(serial, kind, seen_at, self._clock(), None, "VERIFIER_FAILED"))
            return
        decision = self._recorded(serial, kind, seen_at, result)
        self._drive_gate(decision)
        self._emit(decision)

    def _drive_gate(self, decision: Decision) -> None:
        """Open the gate for a VALID pass whose entry was written; an entry that could not be
        recorded sends the person to the supervisor, so the gate treats it as "check by hand".
        Nothing read (an image without a code) does not touch the gate."""
        result = decision.result
        if result is None or _nothing_read(result):
            return
        status = str(result.status)
        if decision.recorded is False and status == "VALID":
            status = "CHECK_MANUALLY"
        self._gate.on_verdict(status)

    def _clock_policy(self, result: VerificationResult) -> VerificationResult:
        """The verdict as the station's clock allows it (no VALID on an untrusted clock). When
        the clock's record cannot be read or written (a full or read-only disk) the verdict
        stands as verified; the status strip shows the clock and the storage state."""
        if self._judge_clock is None:
            return result
        try:
            return self._judge_clock(result)
        except (OSError, StationError):
            return result

    def _recorded(
        self, serial: int, kind: str, seen_at: float, result: VerificationResult
    ) -> Decision:
        decided = Decision(serial, kind, seen_at, self._clock(), result, direction=self.direction)
        if _nothing_read(result):
            return decided
        if self._recorder_broken:
            return replace(
                decided, recorded=False, storage_state="STORAGE_IO", problem=NOT_RECORDED
            )
        if self._recorder is None:
            return decided
        outcome = self._recorder.record(result)
        return replace(
            decided,
            recorded=outcome.entry is not None,
            storage_state=outcome.storage_state,
            problem=outcome.problem,
        )

    def _emit(self, decision: Decision) -> None:
        self.result_ready.emit(decision)


def _nothing_read(result: VerificationResult) -> bool:
    failed = result.failed_checks
    return bool(failed) and failed[0].name == NOTHING_READ_CHECK


def start_in_thread(
    worker: QObject,
    name: str,
    start: Callable[[], None],
    stop: Callable[[], None] | None = None,
) -> QThread:
    """Move `worker` to a new QThread named `name`; run `start` there once it starts, and
    `stop` there too, after its event loop has ended (its timers and connections belong to
    that thread, so they must be released on it)."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.started.connect(start)
    if stop is not None:
        thread.finished.connect(stop, Qt.ConnectionType.DirectConnection)
    thread.start()
    return thread


def stop_thread(thread: QThread, timeout_ms: int = 3000) -> bool:
    """Ask the thread's event loop to quit and wait for it; False if it did not stop in time."""
    thread.quit()
    return thread.wait(timeout_ms)
