"""Helpers of the entry-log tests (plain functions; the fixtures are in entrylog_fixtures)."""

from __future__ import annotations

import base64
import os
import shutil
import signal
import subprocess
import sys
import threading
import uuid as uuidlib
from datetime import datetime
from pathlib import Path
from typing import IO

from station.entrylog.database import open_log, side_file
from station.entrylog.entry import minute_of
from station.entrylog.sealing import SealingKey

WRITER = Path(__file__).with_name("entrylog_writer_proc.py")
LOG_FILES = ("", "-wal", "-shm")


def writer_command(mode: str, log: Path, key: SealingKey | None = None) -> list[str]:
    command = [sys.executable, str(WRITER), mode, str(log)]
    if key is not None:
        command += ["--key", base64.b64encode(key.raw()).decode("ascii")]
    return command


class SeqReader:
    """Follows a writer's stdout on a thread: the seqs it acknowledged, its child's pid, `done`."""

    def __init__(self, stream: IO[str]) -> None:
        self.seqs: list[int] = []
        self.pid = 0
        self.first = threading.Event()
        self.started = threading.Event()
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        with stream:
            for line in stream:
                if line.startswith("pid "):
                    self.pid = int(line.split()[1])
                    self.started.set()
                elif line.strip() == "done":
                    self.done.set()
                else:
                    self.seqs.append(int(line))
                    self.first.set()
        self.first.set()
        self.done.set()

    def join(self, timeout: float = 10.0) -> list[int]:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the writer's stdout never closed"
        return list(self.seqs)


def start_burst(log: Path, key: SealingKey | None) -> tuple[subprocess.Popen[str], SeqReader]:
    proc = subprocess.Popen(
        writer_command("burst", log, key), stdout=subprocess.PIPE, text=True, bufsize=1
    )
    assert proc.stdout is not None
    return proc, SeqReader(proc.stdout)


class ForkServer:
    """A writer process that forks a fresh writer child per round, for fast kill -9 loops."""

    def __init__(self, log: Path, key: SealingKey | None) -> None:
        self.proc = subprocess.Popen(
            writer_command("forkserver", log, key),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.stdin = self.proc.stdin
        self.reader = SeqReader(self.proc.stdout)

    def start_child(self) -> int:
        """Fork a writer child and wait for its first acknowledged entry; returns its pid."""
        for event in (self.reader.started, self.reader.first, self.reader.done):
            event.clear()
        self.stdin.write("go\n")
        self.stdin.flush()
        assert self.reader.started.wait(30) and self.reader.first.wait(30)
        return self.reader.pid

    def kill_child(self) -> list[int]:
        """SIGKILL the child; every seq acknowledged so far (all rounds)."""
        os.kill(self.reader.pid, signal.SIGKILL)
        assert self.reader.done.wait(30), "the fork server did not see its child die"
        return list(self.reader.seqs)

    def close(self) -> None:
        self.stdin.close()
        self.proc.wait(timeout=30)
        self.reader.join()


def kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def log_seqs(path: Path) -> list[int]:
    """Every seq in the log, in order, read through the production open path."""
    conn = open_log(path)
    try:
        return [row[0] for row in conn.execute("SELECT seq FROM entries ORDER BY seq")]
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = open_log(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def copy_image(log: Path, folder: Path) -> Path:
    """A crash image: the log and its WAL as they are on disk now (the -shm is rebuilt)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / log.name
    shutil.copyfile(log, target)
    wal = side_file(log, "-wal")
    if wal.exists():
        shutil.copyfile(wal, side_file(target, "-wal"))
    return target


def is_prefix_of_commit_order(seqs: list[int]) -> bool:
    """Seqs are handed out 1, 2, 3, ... in commit order: a prefix is 1..n without holes."""
    return seqs == list(range(1, len(seqs) + 1))


def raw_bytes(log: Path) -> bytes:
    """The log, its -wal and its -shm, concatenated, as anything reading the disk would see."""
    parts = [side_file(log, suffix) if suffix else log for suffix in LOG_FILES]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def insert_synthetic(
    log: Path,
    recorded: list[datetime],
    *,
    states: list[str] | None = None,
    uploaded_at: list[datetime | None] | None = None,
) -> None:
    """A synthetic queue, written in one transaction (the kiosk would take hours to make it):
    entry i is recorded at `recorded[i]` with seq i + 1 after the log's last one."""
    conn = open_log(log)
    try:
        conn.execute("BEGIN IMMEDIATE")
        start = conn.execute("SELECT coalesce(max(seq), 0) FROM entries").fetchone()[0]
        rows = []
        for i, at in enumerate(recorded):
            minute = minute_of(at)
            state = states[i] if states else "pending"
            done = uploaded_at[i] if uploaded_at else None
            rows.append(
                (
                    str(uuidlib.uuid4()), start + i + 1, "gate-1", "in", minute, 1,
                    "VALID", "OK", "dcc", "trust-list:1", os.urandom(185), state,
                    5 if state == "quarantined" else 0, minute,
                    minute_of(done) if done else None,
                )
            )  # fmt: skip
        conn.executemany(
            "INSERT INTO entries (uuid, seq, checkpoint_id, direction, minute, clock_trusted,"
            " verdict, reason, format, data_version, sealed, state, attempts, recorded_at,"
            " uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute(
            "UPDATE log_meta SET value = ? WHERE key = 'next_seq'", (str(start + len(rows) + 1),)
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def file_size(log: Path) -> int:
    return sum(p.stat().st_size for p in (log, side_file(log, "-wal")) if p.exists())
