"""Keyboard-wedge scanners read from a terminal, or scan texts read line by line from a pipe.

`TerminalWedgeReader(fd, detector).read_scans(stop, timeout_s)` yields a `WedgeScan` for every scan
that arrives on `fd`:

* **Terminal** (`os.isatty(fd)`): the terminal is switched to non-canonical mode without echo, so
  every keystroke is readable as it arrives and the scanned text is not printed.  Bytes are
  decoded as UTF-8 incrementally (a character split across two reads is not lost; invalid bytes
  become U+FFFD) and each character is fed to the `WedgeBurstDetector` with the monotonic time of
  the read that delivered it.  Characters read together share a timestamp, which is what lets a
  scan burst that the kernel buffered in one go count as fast.  Signals stay enabled, so Ctrl+C
  still raises `KeyboardInterrupt`.  The previous settings are restored when the iterator ends,
  raises, or is closed: finish the loop or close the iterator (`contextlib.closing`) rather than
  abandoning it half-way.  Human typing is left in the detector: `detector.take_human_text()`.
* **Anything else** (a pipe or a file, for scripting): each non-empty line is one scan, timing is
  not used, and a final line without newline counts at end of input.  A trailing CR is removed;
  other whitespace is kept, since a Base45 payload may end in a space.  Lines longer than the
  detector's `max_length` are dropped without being stored whole.

Timing is measured when bytes are read, so keystrokes that queue up while the consumer is busy
reach the detector together and lose their pacing: keep the loop body short, e.g. hand each scan
to a worker through a queue.  Reading stops at end of input (EOF, or the terminal hanging up),
when `stop` is set (checked every `poll_interval_s`), or after `timeout_s` of real time.  End of
input ends the burst in progress (`WedgeBurstDetector.finish`); after `stop` or a timeout it stays
in the detector, so a later `read_scans` call continues where this one left off.
"""

from __future__ import annotations

import codecs
import errno
import os
import select
import termios
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any

from station.scan.wedge import WedgeBurstDetector, WedgeScan

_READ_SIZE = 4096
#: UTF-8 needs at most this many bytes per character; bounds a pipe line before decoding.
_MAX_UTF8_BYTES = 4


class TerminalWedgeReader:
    """Yields the scans typed into a terminal by a wedge scanner, or the lines of a pipe."""

    def __init__(
        self,
        fd: int,
        detector: WedgeBurstDetector,
        *,
        clock: Callable[[], float] = time.monotonic,
        poll_interval_s: float = 0.02,
    ) -> None:
        if poll_interval_s <= 0:
            raise ValueError("poll_interval_s must be positive")
        self._fd = fd
        self._detector = detector
        self._clock = clock
        self._poll_interval_s = poll_interval_s

    def read_scans(
        self, stop: threading.Event | None = None, timeout_s: float | None = None
    ) -> Generator[WedgeScan, None, None]:
        """Scans as they complete, until end of input, `stop` is set, or `timeout_s` elapses."""
        if os.isatty(self._fd):
            return self._terminal_scans(stop, timeout_s)
        return self._line_scans(stop, timeout_s)

    def _terminal_scans(
        self, stop: threading.Event | None, timeout_s: float | None
    ) -> Generator[WedgeScan, None, None]:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        with _noncanonical(self._fd):
            for chunk in self._chunks(stop, timeout_s):
                at = self._clock()
                if chunk is None:
                    yield from self._feed(decoder.decode(b"", final=True), at)
                    yield from _as_scan(self._detector.finish(), at)
                    return
                yield from self._feed(decoder.decode(chunk), at)
                yield from _as_scan(self._detector.poll(at), at)

    def _feed(self, text: str, at: float) -> Iterator[WedgeScan]:
        for char in text:
            yield from _as_scan(self._detector.feed(char, at), at)

    def _line_scans(
        self, stop: threading.Event | None, timeout_s: float | None
    ) -> Generator[WedgeScan, None, None]:
        lines = _LineSplitter(self._detector.max_length)
        for chunk in self._chunks(stop, timeout_s):
            at = self._clock()
            raw_lines = lines.finish() if chunk is None else lines.push(chunk)
            for raw in raw_lines:
                text = _line_text(raw)
                if text and len(text) <= self._detector.max_length:
                    yield WedgeScan(text, at)

    def _chunks(
        self, stop: threading.Event | None, timeout_s: float | None
    ) -> Iterator[bytes | None]:
        """Bytes as they arrive, b"" on each idle tick, then None once at end of input.

        The iterator simply stops (without None) when `stop` is set or the timeout elapses.
        """
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while stop is None or not stop.is_set():
            wait = self._poll_interval_s
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    return
            readable, _, _ = select.select([self._fd], [], [], wait)
            chunk = self._read() if readable else b""
            yield chunk
            if chunk is None:
                return

    def _read(self) -> bytes | None:
        """Available bytes, or None at end of input (EOF, or EIO once a pty's other end closed)."""
        try:
            data = os.read(self._fd, _READ_SIZE)
        except OSError as error:
            if error.errno == errno.EIO:
                return None
            raise
        return data or None


def _as_scan(text: str | None, at: float) -> Iterator[WedgeScan]:
    if text is not None:
        yield WedgeScan(text, at)


@contextmanager
def _noncanonical(fd: int) -> Iterator[None]:
    """Per-keystroke reads without echo on terminal `fd`; the old settings come back on exit."""
    saved = termios.tcgetattr(fd)
    keystrokes = termios.tcgetattr(fd)
    keystrokes[3] &= ~(termios.ICANON | termios.ECHO)
    keystrokes[6][termios.VMIN] = 1
    keystrokes[6][termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSANOW, keystrokes)
    try:
        yield
    finally:
        _restore(fd, saved)


def _restore(fd: int, saved: list[Any]) -> None:
    """Put the saved settings back, unless the terminal hung up (then nobody is left to care)."""
    try:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
    except termios.error as error:
        if error.args[0] != errno.EIO:
            raise


class _LineSplitter:
    """Splits a byte stream into lines, holding at most one bounded partial line."""

    def __init__(self, max_chars: int) -> None:
        self._max_bytes = max_chars * _MAX_UTF8_BYTES + 1  # + the CR of a CR LF ending
        self._pending = bytearray()
        self._overlong = False

    def push(self, data: bytes) -> list[bytes]:
        """Complete lines in `data` (newline removed); an overlong line is dropped."""
        *complete, rest = (bytes(self._pending) + data).split(b"\n")
        lines = [line for line in complete if not self._skip_line(line)]
        self._pending = bytearray(rest)
        if len(self._pending) > self._max_bytes:
            self._pending.clear()
            self._overlong = True
        return lines

    def finish(self) -> list[bytes]:
        """The unterminated last line, if any, at end of input."""
        rest = bytes(self._pending)
        self._pending.clear()
        return [] if self._skip_line(rest) or not rest else [rest]

    def _skip_line(self, line: bytes) -> bool:
        """True for the tail of a line already dropped as overlong (and resets that state)."""
        skip, self._overlong = self._overlong, False
        return skip or len(line) > self._max_bytes


def _line_text(raw: bytes) -> str:
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    return raw.decode("utf-8", errors="replace")
