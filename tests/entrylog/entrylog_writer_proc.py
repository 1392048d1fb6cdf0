"""A writer process for the entry-log crash tests (run as a script, never imported by pytest).

`burst LOG [--key B64]`: records entries as fast as it can and prints each seq on its own line
once `record` has returned, so the test knows exactly which commits were acknowledged.

`forkserver LOG [--key B64]`: for each `go` line on stdin, forks a child that opens the log,
prints `pid <pid>` and bursts like `burst`; once the child is gone (the test kills it) it prints
`done`. The imports are paid once, so a kill -9 loop runs hundreds of rounds in seconds.

`commands LOG [--key B64]`: reads commands from stdin, one per line, and answers each on stdout:
`record` → `ok <seq>` or `fail <code> <storage_state>`; `raise` lifts this process's file-size
limit to its hard limit → `raised`; `state` → the storage state; `quit` ends.
"""

from __future__ import annotations

import argparse
import base64
import os
import resource
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.entrylog.sealing import SealingKey
from station.entrylog.storage import StorageFailure
from station.entrylog.writer import EntryLog
from station.model import Holder, VerificationResult
from station.reasons import Status

START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def result(number: int) -> VerificationResult:
    return VerificationResult(
        format="dcc",
        status=Status.VALID,
        reason="OK",
        checks=(),
        checked_at=START,
        payload={"v": [{"ci": f"URN:UVCI:01:VN:CRASH{number:010d}"}]},
        holder=Holder("Crash Writer", "1990-05-17"),
    )


def record(log: EntryLog, number: int) -> int:
    entry = log.record(
        result(number),
        direction="in",
        checkpoint_id="gate-1",
        clock_trusted=True,
        now=START + timedelta(seconds=number),
    )
    return entry.seq


def burst(log: EntryLog) -> None:
    number = 0
    while True:
        seq = record(log, number)
        sys.stdout.write(f"{seq}\n")
        sys.stdout.flush()
        number += 1


def fork_server(path: Path, key: SealingKey | None) -> None:
    for line in sys.stdin:
        if line.strip() != "go":
            break
        child = os.fork()
        if child == 0:
            try:
                log = EntryLog(path, sealing_key=key)  # opened after the fork, never shared
                sys.stdout.write(f"pid {os.getpid()}\n")
                sys.stdout.flush()
                burst(log)
            finally:
                os._exit(1)
        os.waitpid(child, 0)
        sys.stdout.write("done\n")
        sys.stdout.flush()


def commands(log: EntryLog) -> None:
    number = 0
    for line in sys.stdin:
        command = line.strip()
        if command == "record":
            try:
                answer = f"ok {record(log, number)}"
            except StorageFailure as exc:
                answer = f"fail {exc.code} {log.storage_state}"
            number += 1
        elif command == "raise":
            _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
            answer = "raised"
        elif command == "state":
            answer = log.storage_state
        elif command == "quit":
            break
        else:
            answer = "unknown"
        sys.stdout.write(answer + "\n")
        sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("burst", "forkserver", "commands"))
    parser.add_argument("log", type=Path)
    parser.add_argument("--key", help="the authority's raw public key, base64")
    args = parser.parse_args()
    key = SealingKey.from_raw(base64.b64decode(args.key)) if args.key else None
    if args.mode == "forkserver":
        fork_server(args.log, key)
        return
    log = EntryLog(args.log, sealing_key=key)
    if args.mode == "burst":
        burst(log)
    else:
        commands(log)
    log.close()


if __name__ == "__main__":
    main()
