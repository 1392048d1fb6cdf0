"""The terminal wedge reader against a real pseudo-terminal, and its line mode on a real pipe.

A writer thread plays the scanner (all bytes in one write, then CR) or the person (one key every
150 ms) on the pty's master side while the reader reads the slave side, so terminal modes, kernel
buffering and timing are the real ones.
"""

from __future__ import annotations

import os
import termios
import threading
import time
from collections.abc import Iterator

import pytest

from station.adapters.wedge_terminal import TerminalWedgeReader
from station.scan.wedge import WedgeBurstDetector, WedgeScan

HC1 = "HC1:NCFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA.A5:S9MKN4"
NATIONAL = "001099012345|Nguyễn Văn A|01011990|Nam|Số 1 Lê Lợi, Phường Bến Nghé|15082021"
HUMAN_STEP_S = 0.15

#: (pause before, bytes) pairs for the writer thread.
Script = list[tuple[float, bytes]]


@pytest.fixture
def pty() -> Iterator[tuple[int, int]]:
    master, slave = os.openpty()
    yield master, slave
    for fd in (master, slave):
        try:
            os.close(fd)
        except OSError:
            pass


def _keystroke_mode(slave: int) -> bool:
    lflag = termios.tcgetattr(slave)[3]
    return not lflag & (termios.ICANON | termios.ECHO)


def _play(master: int, slave: int, script: Script, stop: threading.Event) -> threading.Thread:
    """Write `script` into the master once the reader has the terminal, then set `stop`."""

    def run() -> None:
        deadline = time.monotonic() + 2.0
        while not _keystroke_mode(slave) and time.monotonic() < deadline:
            time.sleep(0.001)
        for pause, data in script:
            time.sleep(pause)
            os.write(master, data)
        time.sleep(0.1)
        stop.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _read_all(
    pty: tuple[int, int], script: Script, detector: WedgeBurstDetector | None = None
) -> tuple[list[str], WedgeBurstDetector]:
    master, slave = pty
    detector = detector or WedgeBurstDetector()
    stop = threading.Event()
    writer = _play(master, slave, script, stop)
    scans = list(TerminalWedgeReader(slave, detector).read_scans(stop=stop, timeout_s=4.0))
    writer.join()
    return [scan.text for scan in scans], detector


def _human(text: str) -> Script:
    return [(HUMAN_STEP_S, char.encode()) for char in text]


def test_scanner_burst_is_read_as_a_scan(pty: tuple[int, int]) -> None:
    texts, detector = _read_all(pty, [(0.0, (HC1 + "\r").encode())])
    assert texts == [HC1]
    assert detector.take_human_text() == ""


def test_utf8_national_qr_arrives_whole(pty: tuple[int, int]) -> None:
    data = (NATIONAL + "\r").encode()
    split = data.index("ễ".encode()) + 1
    texts, _ = _read_all(pty, [(0.0, data[:split]), (0.002, data[split:])])
    assert texts == [NATIONAL]


def test_human_typing_then_a_scan(pty: tuple[int, int]) -> None:
    typed = "HC1:NCFO"
    texts, detector = _read_all(pty, _human(typed + "\r") + [(0.3, (HC1 + "\r").encode())])
    assert texts == [HC1]
    assert detector.take_human_text() == typed + "\n", "the tty turns CR into LF"


def test_invalid_utf8_is_replaced(pty: tuple[int, int]) -> None:
    texts, _ = _read_all(pty, [(0.0, b"HC1:ABC\xff\xfeDEFGH\r")])
    assert texts == ["HC1:ABC\ufffd\ufffdDEFGH"]


def test_scan_times_are_monotonic_stamps(pty: tuple[int, int]) -> None:
    master, slave = pty
    stop = threading.Event()
    before = time.monotonic()
    _play(master, slave, [(0.0, (HC1 + "\r").encode())], stop)
    scans = list(TerminalWedgeReader(slave, WedgeBurstDetector()).read_scans(stop=stop))
    assert [scan.text for scan in scans] == [HC1]
    assert before <= scans[0].at <= time.monotonic()


def test_terminal_settings_are_restored_after_reading(pty: tuple[int, int]) -> None:
    _, slave = pty
    saved = termios.tcgetattr(slave)
    _read_all(pty, [(0.0, (HC1 + "\r").encode())])
    assert termios.tcgetattr(slave) == saved


def test_terminal_settings_are_restored_after_keyboard_interrupt(pty: tuple[int, int]) -> None:
    _, slave = pty
    saved = termios.tcgetattr(slave)

    def interrupted() -> float:
        raise KeyboardInterrupt

    reader = TerminalWedgeReader(slave, WedgeBurstDetector(), clock=interrupted)
    with pytest.raises(KeyboardInterrupt):
        list(reader.read_scans(timeout_s=1.0))
    assert termios.tcgetattr(slave) == saved


def test_terminal_settings_are_restored_when_the_loop_breaks_early(pty: tuple[int, int]) -> None:
    master, slave = pty
    saved = termios.tcgetattr(slave)
    os.write(master, (HC1 + "\r" + HC1 + "\r").encode())
    scans = TerminalWedgeReader(slave, WedgeBurstDetector()).read_scans(timeout_s=1.0)
    assert next(scans).text == HC1
    assert _keystroke_mode(slave)
    scans.close()
    assert termios.tcgetattr(slave) == saved


def test_hang_up_ends_reading(pty: tuple[int, int]) -> None:
    master, slave = pty
    detector = WedgeBurstDetector(accept_unterminated=True)
    reader = TerminalWedgeReader(slave, detector)
    scans = reader.read_scans(timeout_s=2.0)

    def hang_up() -> None:
        while not _keystroke_mode(slave):
            time.sleep(0.001)
        os.write(master, HC1.encode())
        time.sleep(0.05)
        os.close(master)

    threading.Thread(target=hang_up, daemon=True).start()
    started = time.monotonic()
    assert [scan.text for scan in scans] == [HC1], "end of input completes the burst"
    assert time.monotonic() - started < 1.0


def test_timeout_ends_an_idle_read(pty: tuple[int, int]) -> None:
    _, slave = pty
    started = time.monotonic()
    assert list(TerminalWedgeReader(slave, WedgeBurstDetector()).read_scans(timeout_s=0.1)) == []
    assert 0.1 <= time.monotonic() - started < 1.0


# --- Pipe line mode ----------------------------------------------------------------------------


def _pipe_scans(data: bytes, detector: WedgeBurstDetector | None = None) -> list[WedgeScan]:
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, data)
        os.close(write_end)
        reader = TerminalWedgeReader(read_end, detector or WedgeBurstDetector())
        return list(reader.read_scans(timeout_s=2.0))
    finally:
        os.close(read_end)


def test_pipe_gives_one_scan_per_non_empty_line() -> None:
    data = f"{HC1}\r\n\n{NATIONAL}\nshc:/5676 \n".encode() + b"\xff\xfe tail"
    texts = [scan.text for scan in _pipe_scans(data)]
    assert texts == [HC1, NATIONAL, "shc:/5676 ", "\ufffd\ufffd tail"]


def test_pipe_drops_overlong_lines() -> None:
    detector = WedgeBurstDetector(max_length=len(HC1))
    data = b"X" * 10_000 + b"\n" + HC1.encode() + b"\n" + b"Y" * 10_000
    assert [scan.text for scan in _pipe_scans(data, detector)] == [HC1]
