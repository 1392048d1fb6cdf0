"""`station verify`: one text, an image or stdin; or `--jsonl` batches for integrators."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import IO, Any

from station.cli.render import render_verdict
from station.cli.requests import Request, RequestRunner, answer, error_answer, parse_request
from station.cli.verifier_options import add_verifier_options, build_verifier
from station.errors import Reject, StationError
from station.reasons import Reason, Status
from station.verify.verifier import Verifier

EXIT_CODES = {Status.VALID: 0, Status.INVALID: 1, Status.CHECK_MANUALLY: 3}
MAX_LINE_CHARS = 1_000_000


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="verify a pass given as text, an image file, or stdin",
        description=(
            "Verify a health pass. Exit status: 0 valid, 1 invalid, 3 check manually, 2 usage."
        ),
    )
    parser.add_argument("text", nargs="?", help="the scanned text, or - to read it from stdin")
    parser.add_argument("--image", help="read the QR code from this image file")
    add_verifier_options(parser)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="batch mode: one JSON request per stdin line, one JSON result per stdout line",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    verifier = build_verifier(args)
    if args.jsonl:
        run_batch(verifier, sys.stdin, sys.stdout)
        return 0
    request = _single_request(args)
    result = RequestRunner(verifier).run(request)
    if args.json:
        print(json.dumps(answer(None, result), ensure_ascii=False, indent=2))
    else:
        print(render_verdict(result))
    return EXIT_CODES[result.status]


def _single_request(args: argparse.Namespace) -> Request:
    if args.image and args.text:
        raise StationError("give either TEXT or --image, not both")
    if args.image:
        return Request(None, image=args.image)
    if args.text is None:
        raise StationError("nothing to verify: give TEXT, - for stdin, or --image FILE")
    text = sys.stdin.read(MAX_LINE_CHARS) if args.text == "-" else args.text
    return Request(None, text=text.rstrip("\r\n"))


def run_batch(verifier: Verifier, lines: Iterable[str], out: IO[str]) -> None:
    """Answer every request line in order; a bad line gets an error answer, never a crash."""
    runner = RequestRunner(verifier)
    for line in lines:
        if not line.strip():
            continue
        request_id: Any = None
        try:
            if len(line) > MAX_LINE_CHARS:
                raise Reject(Reason.REQUEST_MALFORMED, "request line is too long")
            try:
                raw = json.loads(line)
            except ValueError:
                raise Reject(Reason.REQUEST_MALFORMED, "request line is not JSON") from None
            request_id = raw.get("id") if isinstance(raw, dict) else None
            body = answer(request_id, runner.run(parse_request(raw)))
        except Reject as exc:
            body = error_answer(request_id, exc, verifier.clock.now())
        out.write(json.dumps(body, ensure_ascii=False) + "\n")
        out.flush()
