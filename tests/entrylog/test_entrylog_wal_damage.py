"""A crash image whose WAL was truncated, bit-flipped, deleted or swapped for another log's
(T21): the log always opens, what survives is a prefix of commit order, and once the hub's
floor is known the allocator never hands out a number the hub already holds."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from entrylog_helpers import copy_image, integrity, is_prefix_of_commit_order, log_seqs

from station.entrylog.database import open_log, side_file
from station.entrylog.outbox import Outbox
from station.entrylog.writer import EntryLog

pytest_plugins = ["entrylog_fixtures"]

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CHECKPOINTED, IN_WAL = 10, 30
TOTAL = CHECKPOINTED + IN_WAL


def _record(log: EntryLog, result) -> int:  # type: ignore[no-untyped-def]
    return log.record(result, direction="in", checkpoint_id="g", clock_trusted=True, now=AT).seq


def _crash_image(folder: Path, result, sealing_key) -> Path:  # type: ignore[no-untyped-def]
    """A log with CHECKPOINTED entries in the main file and IN_WAL more only in its WAL."""
    source = folder / "live" / "log.sqlite"
    log = EntryLog(source, sealing_key=sealing_key)
    for _ in range(CHECKPOINTED):
        _record(log, result)
    conn = open_log(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for _ in range(IN_WAL):
        _record(log, result)
    image = copy_image(source, folder / "image")  # taken while the writer still has it open
    log.close()
    return image


@pytest.fixture(scope="module")
def image(tmp_path_factory, dcc_result, sealing_key) -> Path:  # type: ignore[no-untyped-def]
    return _crash_image(tmp_path_factory.mktemp("wal"), dcc_result(), sealing_key)


@pytest.fixture(scope="module")
def foreign_wal(tmp_path_factory, dcc_result, sealing_key) -> bytes:  # type: ignore[no-untyped-def]
    other = _crash_image(tmp_path_factory.mktemp("other"), dcc_result("Other"), sealing_key)
    return side_file(other, "-wal").read_bytes()


def _damaged(image: Path, folder: Path, damage: Callable[[bytes], bytes | None]) -> Path:
    folder.mkdir(parents=True)
    target = folder / image.name
    shutil.copyfile(image, target)
    wal = damage(side_file(image, "-wal").read_bytes())
    if wal is not None:
        side_file(target, "-wal").write_bytes(wal)
    return target


def _check(path: Path, result, floor: int = TOTAL, quarantine_allowed: bool = False) -> list[int]:  # type: ignore[no-untyped-def]
    """Opens, integrity ok, a prefix survives; after the hub's floor, numbering goes above it."""
    conn = open_log(path)
    assert quarantine_allowed or conn.quarantined is None
    conn.close()
    stored = log_seqs(path)
    assert is_prefix_of_commit_order(stored), stored
    assert integrity(path) == "ok"
    with Outbox(path) as outbox:
        outbox.raise_seq_floor(floor)
        assert outbox.next_seq() == floor + 1
    with EntryLog(path, sealing_key=None) as log:
        assert _record(log, result) == floor + 1
    return stored


def test_the_untouched_image_holds_every_entry(image, tmp_path, dcc_result):
    assert _check(_damaged(image, tmp_path / "same", lambda wal: wal), dcc_result()) == list(
        range(1, TOTAL + 1)
    )


def test_a_wal_truncated_anywhere_leaves_a_prefix(image, tmp_path, dcc_result, crash_iterations):
    size = side_file(image, "-wal").stat().st_size
    offsets = list(range(0, size, 512))
    step = max(1, len(offsets) // (crash_iterations * 3))
    survivors = set()
    for offset in offsets[::step] + [size - 1]:
        cut = _damaged(image, tmp_path / f"cut-{offset}", lambda wal, n=offset: wal[:n])
        stored = _check(cut, dcc_result())
        assert len(stored) >= CHECKPOINTED  # what reached the main file never depends on the WAL
        survivors.add(len(stored))
    assert min(survivors) == CHECKPOINTED and max(survivors) == TOTAL - 1


def test_a_wal_with_flipped_bytes_leaves_a_prefix(image, tmp_path, dcc_result, crash_iterations):
    rng = random.Random(21)
    size = side_file(image, "-wal").stat().st_size
    for number in range(crash_iterations * 2):
        offset = rng.randrange(size)

        def flip(wal: bytes, at: int = offset) -> bytes:
            return wal[:at] + bytes([wal[at] ^ (1 << rng.randrange(8))]) + wal[at + 1 :]

        stored = _check(_damaged(image, tmp_path / f"flip-{number}", flip), dcc_result())
        assert len(stored) >= CHECKPOINTED


def test_a_deleted_wal_leaves_what_was_checkpointed(image, tmp_path, dcc_result):
    stored = _check(_damaged(image, tmp_path / "deleted", lambda wal: None), dcc_result())
    assert stored == list(range(1, CHECKPOINTED + 1))


def _uuids(path: Path) -> list[str]:
    conn = open_log(path)
    try:
        return [row[0] for row in conn.execute("SELECT uuid FROM entries ORDER BY seq")]
    finally:
        conn.close()


def test_another_logs_wal_still_opens_and_numbering_stays_above_the_floor(
    image, foreign_wal, tmp_path, dcc_result
):
    commit_order = _uuids(_damaged(image, tmp_path / "ours", lambda wal: wal))
    swapped = _damaged(image, tmp_path / "swapped", lambda wal: foreign_wal)
    survivors = set(_uuids(swapped))
    ours = [uuid for uuid in commit_order if uuid in survivors]
    assert ours == commit_order[: len(ours)]  # of our entries, a prefix survives
    # The other log's entries now sit under our numbers with new UUIDs: exactly what the hub
    # reports as "seq reused with a new UUID". The floor it answers with keeps us above them.
    _check(swapped, dcc_result(), quarantine_allowed=True)
