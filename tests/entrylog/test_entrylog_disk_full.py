"""Disk full (T22, unprivileged: RLIMIT_FSIZE in the writer process): the failure comes out as
a storage code, committed entries stay intact, and writing resumes once space returns, without
restarting the process."""

from __future__ import annotations

import queue
import resource
import signal
import subprocess
import threading

from entrylog_helpers import integrity, log_seqs, writer_command

pytest_plugins = ["entrylog_fixtures"]

SOFT_LIMIT = 256 * 1024
MAX_RECORDS = 5000
FAILURES_IN_A_ROW = 5


def _limit_file_size() -> None:
    """Runs in the child before exec: a small file-size limit it may raise again itself."""
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (SOFT_LIMIT, hard))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


class Writer:
    def __init__(self, command: list[str]) -> None:
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            preexec_fn=_limit_file_size,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin = self.proc.stdin
        self.lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
        self._reader.start()

    def _read(self, stream) -> None:  # type: ignore[no-untyped-def]
        with stream:
            for line in stream:
                self.lines.put(line.strip())

    def ask(self, command: str) -> list[str]:
        self.stdin.write(command + "\n")
        self.stdin.flush()
        return self.lines.get(timeout=60).split()

    def quit(self) -> int:
        self.stdin.write("quit\n")
        self.stdin.close()
        code = self.proc.wait(timeout=60)
        self._reader.join(10)
        return code


def test_a_full_disk_is_reported_and_the_log_recovers_without_a_restart(log_path, sealing_key):
    writer = Writer(writer_command("commands", log_path, sealing_key))
    try:
        committed: list[int] = []
        failures: list[list[str]] = []
        consecutive = 0
        while consecutive < FAILURES_IN_A_ROW and len(committed) < MAX_RECORDS:
            answer = writer.ask("record")
            if answer[0] == "ok":
                committed.append(int(answer[1]))
                consecutive = 0
            else:
                failures.append(answer)
                consecutive += 1
        assert consecutive == FAILURES_IN_A_ROW, "the file-size limit was never reached"
        # A write cut short by the limit; until the main file itself is full, the checkpoint
        # on reopening may make room in the WAL, so a few writes in between may still succeed.
        for _, code, state in failures:
            assert code in ("STORAGE_IO", "STORAGE_FULL") and state == code
        assert writer.ask("state") == [failures[-1][1]]
        assert log_seqs(log_path) == committed  # read while the writer still runs
        assert integrity(log_path) == "ok"
        assert writer.ask("raise") == ["raised"]
        assert writer.ask("record") == ["ok", str(committed[-1] + 1)]
        assert writer.ask("state") == ["OK"]
    finally:
        assert writer.quit() == 0
    assert log_seqs(log_path) == [*committed, committed[-1] + 1]
    assert integrity(log_path) == "ok"
    print(f"{len(committed)} entries fitted under {SOFT_LIMIT // 1024} KiB; {len(failures)} failed")
