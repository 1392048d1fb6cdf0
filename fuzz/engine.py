"""Run one harness under atheris: `python -m fuzz.engine HARNESS CORPUS_DIR [libFuzzer options]`
(or with a file instead of CORPUS_DIR: replay that one input, e.g. a crash).

The station and sync packages are imported inside `atheris.instrument_imports`, so libFuzzer
sees their branch coverage (and only theirs: the standard library and the C extensions are not
instrumented). The harness's seeds are written into CORPUS_DIR first, which also builds the
fuzzed station before the first timed input.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

#: Harness module names (under `fuzz.`), in the order `fuzz/run.py` runs them.
HARNESSES = ("front_door", "hcert_cose", "shc_card", "nzcp_pass", "sync_lists", "rules_engine")
#: The reliability plan's options (T36); `fuzz/run.py` passes them, listed here for reference.
T36_OPTIONS = ("-max_len=4400", "-rss_limit_mb=512", "-timeout=2")
INSTRUMENTED = ["station", "sync", "fuzz"]
#: Set (by `fuzz/run.py --keep-going`) to record each distinct crash and carry on fuzzing.
KEEP_GOING = "STATION_FUZZ_KEEP_GOING"
Target = Callable[[bytes], None]


def load(name: str) -> ModuleType:
    """The harness module `fuzz.<name>` (ValueError for an unknown name)."""
    if name not in HARNESSES:
        raise ValueError(f"unknown harness {name!r}; choose from {', '.join(HARNESSES)}")
    return importlib.import_module(f"fuzz.{name}")


def write_seeds(module: ModuleType, corpus: Path) -> int:
    """Store each seed in `corpus` under its SHA-1 (libFuzzer's own naming); returns how many."""
    corpus.mkdir(parents=True, exist_ok=True)
    count = 0
    for seed in module.seeds():
        path = corpus / hashlib.sha1(seed).hexdigest()
        if not path.exists():
            path.write_bytes(seed)
        count += 1
    return count


def recording(target: Target, artifacts: Path, keep_going: bool) -> Target:
    """`target`, writing each crashing input to `artifacts` itself before libFuzzer does.

    libFuzzer's own artifact can be lost when its timeout alarm fires while the exception is
    printed; this copy (and the traceback next to it) is always there. With `keep_going` the
    first input per distinct crash site is kept and fuzzing goes on.
    """
    seen: set[str] = set()

    def run(data: bytes) -> None:
        try:
            target(data)
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            site = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            if site not in seen:
                seen.add(site)
                name = f"crash-{hashlib.sha1(data).hexdigest()}"
                artifacts.mkdir(parents=True, exist_ok=True)
                (artifacts / name).write_bytes(data)
                text = "".join(traceback.format_exception(exc))
                (artifacts / f"{name}.txt").write_text(f"{site}\n{text}", encoding="utf-8")
            if not keep_going:
                raise

    return run


def _artifact_folder(options: list[str]) -> Path:
    for option in options:
        if option.startswith("-artifact_prefix="):
            return Path(option.split("=", 1)[1])
    return Path.cwd()


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        raise SystemExit("usage: python -m fuzz.engine HARNESS CORPUS_DIR [libFuzzer options]")
    import atheris  # only here: harnesses import without it

    name, corpus = argv[1], Path(argv[2])
    with atheris.instrument_imports(include=INSTRUMENTED):
        module = load(name)
    from fuzz.station_setup import fuzz_station

    fuzz_station()  # built before the first input, so it never counts against -timeout
    if not corpus.is_file():  # a file is one input to replay (a crash), not a corpus
        seeds = write_seeds(module, corpus)
        print(f"fuzz: {name}: {seeds} seeds written to {corpus}", file=sys.stderr, flush=True)
    options = argv[3:]
    artifacts = _artifact_folder(options)
    artifacts.mkdir(parents=True, exist_ok=True)
    keep_going = os.environ.get(KEEP_GOING) == "1"
    target = recording(module.TestOneInput, artifacts, keep_going)
    atheris.Setup([argv[0], *options, str(corpus)], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
