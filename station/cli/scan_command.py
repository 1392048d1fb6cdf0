"""`station scan`: read codes from a camera, a file played as a camera, or a wedge scanner,
verify each new one, and print one verdict line per person (or one JSON object per line)."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from typing import IO, Any

from station.adapters.clock import SystemClock
from station.adapters.wedge_terminal import TerminalWedgeReader
from station.cli.render import verdict_line
from station.cli.verifier_options import add_verifier_options, build_verifier
from station.entry_recorder import DIRECTIONS, EntryRecorder
from station.errors import StationError
from station.paths import data_dir
from station.scan import read_codes
from station.scan.frames import SourceState
from station.scan.loop import (
    DEFAULT_REPEAT_WINDOW_S,
    CodeRead,
    RepeatFilter,
    ScanLoop,
    StateChange,
)
from station.scan.sources import SPEC_FORMS, SourceOptions, open_source
from station.scan.wedge import WedgeBurstDetector
from station.scan.wedge_layout import LAYOUTS, detect_layout, remap_layout
from station.settings import load_settings
from station.verify.verifier import Verifier


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "scan",
        help="scan codes continuously from a camera, a video, an image folder or a scanner",
        description=(
            "Scan and verify continuously; one line per person. Sources: "
            f"{SPEC_FORMS}, wedge (a USB scanner that types into this terminal)."
        ),
    )
    parser.add_argument("--source", default="camera:0", help="where codes come from")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--repeat-window",
        type=float,
        default=DEFAULT_REPEAT_WINDOW_S,
        metavar="SECONDS",
        help="do not verify the same code again until it was out of view this long",
    )
    parser.add_argument("--resolution", default="1280x720", help="camera resolution WxH")
    parser.add_argument(
        "--fps", type=float, help="frames per second (camera default 15; files: their own)"
    )
    parser.add_argument(
        "--once", action="store_true", help="play a file or folder once instead of looping"
    )
    parser.add_argument(
        "--as-fast-as-possible",
        dest="fast",
        action="store_true",
        help="decode every frame of a file without pacing (for replaying recordings)",
    )
    parser.add_argument(
        "--budget-ms",
        type=float,
        help="decode time per camera frame (default: the scan_budget_ms setting, 40)",
    )
    parser.add_argument("--limit", type=int, help="stop after this many verdicts")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        help="host keyboard layout a US-mode wedge scanner types through (default: detect)",
    )
    parser.add_argument(
        "--direction", choices=DIRECTIONS, default="in", help="people entering or leaving"
    )
    parser.add_argument(
        "--no-log",
        action="store_true",
        help="do not record entries (testing a camera; a checkpoint always records)",
    )
    add_verifier_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    verifier = build_verifier(args)
    if args.limit is not None and args.limit < 1:
        raise StationError("--limit must be at least 1")
    deadline = time.monotonic() + args.duration if args.duration else None
    reads = (
        _wedge_reads(args, deadline) if args.source == "wedge" else _camera_reads(args, deadline)
    )
    recorder = None
    if not args.no_log:
        recorder = EntryRecorder(data_dir(args.data_dir), SystemClock(), direction=args.direction)
    printed = 0
    try:
        for read in reads:
            _print_verdict(verifier, read, args.json, sys.stdout, recorder)
            printed += 1
            if args.limit is not None and printed >= args.limit:
                break
    finally:
        if recorder is not None:
            recorder.close()
    return 0


def _camera_reads(args: argparse.Namespace, deadline: float | None) -> Iterator[CodeRead]:
    options = SourceOptions(
        *_resolution(args.resolution), fps=args.fps, loop=not args.once, realtime=not args.fast
    )
    budget_ms = args.budget_ms or load_settings(data_dir(args.data_dir)).scan_budget_ms
    if not 5 <= budget_ms <= 2000:
        raise StationError("--budget-ms must be 5 to 2000")
    loop = ScanLoop(
        open_source(args.source, options),
        read=functools.partial(read_codes, budget_s=budget_ms / 1000),
        window_s=args.repeat_window,
        lossless=args.fast,
    )
    with loop:
        for event in loop.events(deadline):
            if isinstance(event, CodeRead):
                yield event
                continue
            _report_state(event, sys.stderr)
            if event.state is SourceState.ENDED and event.problem:
                raise StationError(event.problem)


def _wedge_reads(args: argparse.Namespace, deadline: float | None) -> Iterator[CodeRead]:
    """Scans typed into this terminal by a USB scanner (or lines piped in), as code reads."""
    reader = TerminalWedgeReader(sys.stdin.fileno(), WedgeBurstDetector())
    repeats = RepeatFilter(args.repeat_window)
    timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
    if os.isatty(sys.stdin.fileno()):
        print("[LIVE] waiting for the scanner (Ctrl+C to stop)", file=sys.stderr, flush=True)
    with closing(reader.read_scans(timeout_s=timeout)) as scans:
        for scan in scans:
            text = _undo_layout(scan.text, args.layout)
            if repeats.admit(text, scan.at):
                yield CodeRead(text, scan.at, scan.at, datetime.now(UTC), 0, "wedge")


def _undo_layout(text: str, layout: str | None) -> str:
    """Repair text from a scanner typing US keycodes on another host layout (see wedge.py)."""
    chosen = layout or detect_layout(text) or "us"
    if chosen != "us" and layout is None:
        print(
            f"[WEDGE] scanner types US keys on a {chosen!r} keyboard layout; repaired. "
            "Set the scanner to the host's layout to avoid lost characters.",
            file=sys.stderr,
            flush=True,
        )
    return remap_layout(text, chosen)


def _resolution(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()) or int(width) < 16 or int(height) < 16:
        raise StationError(f"resolution must look like 1280x720, not {text!r}")
    return int(width), int(height)


def _report_state(event: StateChange, err: IO[str]) -> None:
    words = {
        SourceState.LIVE: "camera picture OK",
        SourceState.NO_SIGNAL: "no picture (lens covered, too dark, or frozen)",
        SourceState.DISCONNECTED: "camera not available; retrying",
        SourceState.ENDED: "source ended",
        SourceState.STARTING: "starting",
    }
    detail = f" ({event.problem})" if event.problem else ""
    print(f"[{event.state}] {words[event.state]}{detail}", file=err, flush=True)


def _print_verdict(
    verifier: Verifier,
    read: CodeRead,
    as_json: bool,
    out: IO[str],
    recorder: EntryRecorder | None,
) -> None:
    result = verifier.verify(read.text)
    latency_ms = (time.monotonic() - read.frame_at) * 1000
    outcome = recorder.record(result) if recorder is not None else None
    if as_json:
        body = {
            **result.to_json(),
            "source": read.source,
            "frame": read.frame_index,
            "latency_ms": round(latency_ms, 1),
        }
        if outcome is not None:
            body["entry"] = {
                "recorded": outcome.recorded,
                "seq": outcome.entry.seq if outcome.entry else None,
                "storage": outcome.storage_state,
            }
        out.write(json.dumps(body, ensure_ascii=False) + "\n")
    else:
        out.write(verdict_line(result) + "\n")
    if outcome is not None and outcome.problem:
        print(f"[{outcome.storage_state}] {outcome.problem}", file=sys.stderr, flush=True)
    out.flush()
