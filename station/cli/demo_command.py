"""`station demo`: the whole pipeline with no camera and no server.

Creates a demo authority, trusts its signers in a throw-away trust store, issues a set of
passes (valid and broken), renders each as a QR image, reads it back from the pixels and
verifies it, printing the verdict a guard would see.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from station.adapters.clock import FixedClock
from station.cli.render import render_verdict
from station.cli.requests import Request, RequestRunner
from station.issuer.demo_set import demo_now, demo_passes, make_authority
from station.issuer.qr_image import qr_png
from station.paths import trust_db_path
from station.store.trust import SqliteTrustStore
from station.verify.verifier import Verifier


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("demo", help="run a self-contained demonstration")
    parser.add_argument("--keep", metavar="DIR", help="keep the demo files (QR images) in DIR")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.keep:
        return _run_in(Path(args.keep))
    with tempfile.TemporaryDirectory(prefix="station-demo-") as folder:
        return _run_in(Path(folder))


def _run_in(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    now = demo_now()
    authority = make_authority(now)
    store = SqliteTrustStore(trust_db_path(folder))
    store.import_der((s.der for s in authority.trusted), source="demo authority")
    runner = RequestRunner(Verifier(store.index(), FixedClock(now)))
    print(f"Demo station: {len(store.rows())} trusted signers, clock {now.isoformat()}\n")
    mismatches = 0
    for number, demo in enumerate(demo_passes(authority, now), start=1):
        image = folder / f"pass-{number}.png"
        image.write_bytes(qr_png(demo.text))
        result = runner.run(Request(number, image=str(image)))
        print(f"#{number} {demo.label}")
        print(render_verdict(result))
        print()
        mismatches += result.status != demo.expected
    print(f"Demo finished: {mismatches} unexpected verdicts.")
    return 1 if mismatches else 0
