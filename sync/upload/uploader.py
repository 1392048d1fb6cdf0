"""One upload pass: drain the entry log's outbox to the hub in signed batches.

The rules that make the upload at-least-once without loss or double counting:
- an entry is marked uploaded only after the hub answered `stored` or `duplicate` for it, so a
  crash or a lost answer at any point only means sending it again (the hub dedupes by UUID);
- a retry after an unanswered request resends the identical body under the same
  Idempotency-Key;
- an entry the hub rejects is counted against it and quarantined after `max_attempts`, while
  the rest of the queue keeps flowing; within a pass the queue is read past it (by seq), so a
  rejected entry is tried once per pass, not in a loop;
- if a whole batch is refused as malformed (an older hub or a proxy in the way), it is split in
  halves down to single entries, so one poison entry cannot hold back the others.
Memory stays bounded by one batch: the queue is read `batch_size` rows at a time.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from station.adapters.clock import SystemClock
from station.entrylog.outbox import Outbox, QueueCounts, UploadRecord
from station.errors import StationError
from station.ports import Clock
from sync.errors import DataInvalid, HttpStatusError, SyncError
from sync.http import BackendClient
from sync.upload import batch as wire
from sync.upload.backoff import FLOOR_S, UploadBackoff
from sync.upload.passes import PassTally, UploadPass

log = logging.getLogger("sync.upload")
#: Whole-batch refusals that splitting the batch can get past (malformed, too big, key reused).
SPLIT_STATUSES = frozenset({400, 413, 422})
PassCallback = Callable[[UploadPass], None]


def log_alert(line: str) -> None:
    log.warning("%s", line)


def forget_frames(exc: BaseException) -> None:
    """Clear the frames of a failed request's exception chain.

    The HTTP library's frames hold the exception that holds them (a reference cycle), and with
    them the socket of a request that timed out: left alone, that connection stays open until
    the garbage collector happens to run, and a hub keeps a thread on it all that while.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


class Uploader:
    """Sends the outbox's pending entries (and purge reports) to the hub."""

    def __init__(
        self,
        outbox: Outbox,
        client: BackendClient,
        station_id: str,
        device_key: ec.EllipticCurvePrivateKey,
        *,
        batch_size: int = 100,
        max_attempts: int = 5,
        clock: Clock | None = None,
        sleep: Callable[[float], object] | None = None,
        backoff: UploadBackoff | None = None,
        alert: Callable[[str], None] = log_alert,
    ) -> None:
        if not 1 <= batch_size <= wire.MAX_BATCH:
            raise ValueError(f"batch_size must be 1..{wire.MAX_BATCH}")
        self._outbox = outbox
        self._client = client
        self._station_id = station_id
        self._key = device_key
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._clock = clock or SystemClock()
        self.stopping = threading.Event()
        self._sleep = sleep or self.stopping.wait
        self.backoff = backoff or UploadBackoff()
        self._alert = alert
        self._unanswered: wire.Batch | None = None

    def stop(self) -> None:
        """Finish the batch in flight, then stop (safe from a signal handler)."""
        self.stopping.set()

    def queue_counts(self) -> QueueCounts:
        return self._outbox.counts()

    def drain_once(self) -> UploadPass:
        """Send batches until the queue is empty or one fails, then any unsent purge reports."""
        tally = PassTally()
        try:
            self._drain_entries(tally)
            if tally.failure is None and not self.stopping.is_set():
                self._send_purge_reports(tally)
        except SyncError as exc:
            tally.fail(exc.code, exc.retry_after_s)
            forget_frames(exc)
        except (sqlite3.Error, StationError) as exc:
            tally.fail(str(getattr(exc, "code", "LOG_UNAVAILABLE")), None)
        return tally.freeze()

    def run(self, *, interval_s: float, on_pass: PassCallback | None = None) -> None:
        """Pass after pass until `stop()`: the interval after a success, backoff after a failure."""
        while not self.stopping.is_set():
            result = self.drain_once()
            if on_pass is not None:
                on_pass(result)
            if self.stopping.is_set():
                return
            self._sleep(self.wait_after(result, interval_s))

    def wait_after(self, result: UploadPass, interval_s: float) -> float:
        if result.failure is None:
            self.backoff.reset()
            return max(interval_s, FLOOR_S)
        return self.backoff.next_delay(result.retry_after_s)

    def _drain_entries(self, tally: PassTally) -> None:
        after_seq = 0
        while not self.stopping.is_set():
            records = self._outbox.pending(self._batch_size, after_seq=after_seq)
            if not records:
                return
            after_seq = records[-1].seq
            self._deliver(records, tally)

    def _deliver(self, records: Sequence[UploadRecord], tally: PassTally) -> None:
        batch = self._batch_for(records)
        try:
            document = self._post(wire.ENTRIES_PATH, batch.body, batch.headers)
        except HttpStatusError as exc:
            if exc.status not in SPLIT_STATUSES:
                self._unanswered = batch
                raise
            self._unanswered = None
            self._split(records, f"HTTP_{exc.status}", tally)
            return
        except SyncError:
            self._unanswered = batch
            raise
        self._unanswered = None
        self._apply(records, wire.parse_answer(document, batch.uuids), tally)

    def _batch_for(self, records: Sequence[UploadRecord]) -> wire.Batch:
        """The remembered unanswered batch if these are its entries, else a new one."""
        remembered = self._unanswered
        if remembered is not None and remembered.uuids == tuple(r.uuid for r in records):
            return remembered
        return wire.build_batch(self._station_id, self._outbox.next_seq(), records, self._key)

    def _split(self, records: Sequence[UploadRecord], code: str, tally: PassTally) -> None:
        if len(records) == 1:
            tally.batches += 1
            self._reject(records[0], code, tally)
            return
        middle = len(records) // 2
        self._deliver(records[:middle], tally)
        self._deliver(records[middle:], tally)

    def _apply(
        self, records: Sequence[UploadRecord], answer: wire.BatchAnswer, tally: PassTally
    ) -> None:
        tally.batches += 1
        tally.sent += len(records)
        by_uuid = {record.uuid: record for record in records}
        acknowledged = [s.uuid for s in answer.statuses if s.status in wire.ACKNOWLEDGED]
        self._outbox.mark_uploaded(acknowledged, self._clock.now())
        for status in answer.statuses:
            if status.status == wire.STORED:
                tally.stored += 1
            elif status.status == wire.DUPLICATE:
                tally.duplicate += 1
            else:
                self._reject(by_uuid[status.uuid], status.error or wire.UNKNOWN_ERROR, tally)
        self._outbox.raise_seq_floor(answer.seq_floor)

    def _reject(self, record: UploadRecord, code: str, tally: PassTally) -> None:
        tally.rejected += 1
        attempts = record.attempts + 1
        if self._outbox.record_rejection(record.uuid, code, max_attempts=self._max_attempts):
            tally.quarantined += 1
            self._alert(
                f"upload: entry seq {record.seq} quarantined after {attempts} attempts ({code})"
            )

    def _send_purge_reports(self, tally: PassTally) -> None:
        for report in self._outbox.unsent_purge_reports():
            report_id = str(report["id"])
            body = wire.encode(report)
            headers = wire.signed_headers(self._key, body, wire.idempotency_key(body))
            answer = self._post(wire.PURGE_REPORTS_PATH, body, headers)
            if not isinstance(answer, dict) or answer.get("status") not in wire.ACKNOWLEDGED:
                raise DataInvalid("the purge report answer has no status")
            self._outbox.mark_purge_report_sent(report_id, self._clock.now())
            tally.reports += 1

    def _post(self, path: str, body: bytes, headers: Mapping[str, str]) -> Any:
        response = self._client.request(
            "POST", path, headers=headers, body=body, max_bytes=wire.MAX_ANSWER_BYTES
        )
        return response.json()
