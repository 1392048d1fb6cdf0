"""Line coverage of the decode/verify modules reached by the fuzz corpora (reliability plan T36).

    python -m fuzz.corpus_coverage                     # every harness's corpus
    python -m fuzz.corpus_coverage --work DIR --data-file .coverage.fuzz

Each harness's `TestOneInput` is replayed in-process on every input of its corpus (what
`fuzz/run.py` left in `<work>/corpus/<harness>/`) under coverage.py, measuring station/codec and
station/verify. The data file can be combined with the test suite's (`coverage combine`) to see
what either reaches. Needs coverage.py; atheris is not used.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from fuzz.run import DEFAULT_WORK

MEASURED = ["station.codec", "station.verify"]


def replay(names: list[str], work: Path) -> tuple[int, list[str]]:
    """Run every corpus input through its harness; (inputs run, one line per input that raised)."""
    from fuzz.engine import HARNESSES, load

    count, failures = 0, []
    for name in names or HARNESSES:
        module = load(name)
        folder = work / "corpus" / name
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            count += 1
            try:
                module.TestOneInput(path.read_bytes())
            except Exception as exc:  # any exception here is a finding to report
                failures.append(f"{name}: {path.name}: {type(exc).__name__}: {exc}"[:200])
    return count, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("harnesses", nargs="*", help="harnesses to replay (all)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK / "checkpoint-station" / "fuzz")
    parser.add_argument("--data-file", default=".coverage.fuzz-corpus")
    args = parser.parse_args(argv)
    import coverage  # a development tool, only needed here

    measured = coverage.Coverage(data_file=args.data_file, source=MEASURED, branch=False)
    start = time.monotonic()
    measured.start()  # before the station is imported, so module-level lines count too
    count, failures = replay(args.harnesses, args.work)
    measured.stop()
    measured.save()
    print(f"{count:,} corpus inputs replayed in {time.monotonic() - start:.0f} s")
    percent = measured.report(show_missing=False, skip_covered=False)
    for line in failures:
        print(f"raised: {line}")
    print(f"summary: fuzz corpora cover {percent:.1f}% of station/codec + station/verify lines")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
