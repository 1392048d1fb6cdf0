"""Run every fuzz harness for a time budget, two at a time, and report (reliability plan T36).

    python -m fuzz.run                      # 180 s per harness (the pull-request budget)
    python -m fuzz.run --seconds 3600       # the nightly budget
    python -m fuzz.run front_door --seconds 60

Corpora and crashes live outside the repository (default ~/.cache/checkpoint-station/fuzz):
`corpus/<harness>/` grows from run to run, `crashes/<harness>/` keeps every crashing, timing-out
or memory-exhausting input libFuzzer wrote. Exits 1 when any harness crashed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fuzz.engine import HARNESSES, KEEP_GOING, T36_OPTIONS

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORK = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
ARTIFACT_PREFIXES = ("crash-", "timeout-", "oom-", "leak-", "slow-unit-")
#: Time a harness may take beyond its budget (building the station, writing seeds) before it is
#: stopped and reported as hung.
GRACE_S = 120
_COVERAGE = re.compile(r"#\d+\s+(INITED|DONE|pulse|NEW|REDUCE)\s+cov: (\d+)")
_STAT = re.compile(r"stat::(\w+):\s+(\d+)")


@dataclass(frozen=True)
class Outcome:
    """What one harness run did."""

    name: str
    seconds: float
    executions: int
    exec_per_s: int
    corpus: int
    new_edges: int | None
    crashes: tuple[Path, ...]
    exit_code: int

    @property
    def failed(self) -> bool:
        return bool(self.crashes) or self.exit_code != 0


def run_harness(name: str, seconds: int, work: Path, keep_going: bool = False) -> Outcome:
    """One libFuzzer run of `name` with the T36 options; its log goes to logs/<name>.log."""
    corpus, crashes, logs = (work / part / name for part in ("corpus", "crashes", "logs"))
    for folder in (corpus, crashes, logs.parent):
        folder.mkdir(parents=True, exist_ok=True)
    before = set(crashes.iterdir())
    command = [
        sys.executable,
        "-m",
        "fuzz.engine",
        name,
        str(corpus),
        f"-max_total_time={seconds}",
        *T36_OPTIONS,
        "-print_final_stats=1",
        f"-artifact_prefix={crashes}/",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT), KEEP_GOING: "1" if keep_going else "0"}
    start = time.monotonic()
    with open(logs.with_suffix(".log"), "w", encoding="utf-8") as log:
        try:
            code = subprocess.run(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                timeout=seconds + GRACE_S, check=False,
            ).returncode  # fmt: skip
        except subprocess.TimeoutExpired:
            code = -1
    text = logs.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    new = tuple(sorted(p for p in set(crashes.iterdir()) - before if _is_artifact(p)))
    return _outcome(name, time.monotonic() - start, text, corpus, new, code)


def _is_artifact(path: Path) -> bool:
    return path.name.startswith(ARTIFACT_PREFIXES) and path.suffix != ".txt"


def crash_site(path: Path) -> str:
    """The exception and the line it came from, as the engine noted it next to the input."""
    note = path.with_name(path.name + ".txt")
    if not note.exists():
        return path.name.split("-", 1)[0]  # a timeout or out-of-memory input
    return note.read_text(encoding="utf-8").splitlines()[0]


def _outcome(
    name: str, seconds: float, log: str, corpus: Path, crashes: tuple[Path, ...], code: int
) -> Outcome:
    stats = {key: int(value) for key, value in _STAT.findall(log)}
    coverage = [(kind, int(edges)) for kind, edges in _COVERAGE.findall(log)]
    initial = next((edges for kind, edges in coverage if kind == "INITED"), None)
    final = coverage[-1][1] if coverage else None
    new_edges = final - initial if initial is not None and final is not None else None
    return Outcome(
        name=name,
        seconds=seconds,
        executions=stats.get("number_of_executed_units", 0),
        exec_per_s=stats.get("average_exec_per_sec", 0),
        corpus=sum(1 for _ in corpus.iterdir()),
        new_edges=new_edges,
        crashes=crashes,
        exit_code=code,
    )


def report(outcomes: list[Outcome], wall_s: float, budget: int, jobs: int) -> str:
    header = (
        f"{'harness':<14}{'seconds':>9}{'executions':>12}{'exec/s':>9}"
        f"{'corpus':>8}{'new edges':>11}{'crashes':>9}"
    )
    lines = [header, "-" * len(header)]
    for o in outcomes:
        edges = "-" if o.new_edges is None else str(o.new_edges)
        lines.append(
            f"{o.name:<14}{o.seconds:>9.0f}{o.executions:>12,}{o.exec_per_s:>9,}"
            f"{o.corpus:>8,}{edges:>11}{len(o.crashes):>9}"
        )
    for o in outcomes:
        for path in o.crashes:
            lines.append(f"{o.name}: {crash_site(path)}: {path}")
        if o.exit_code != 0 and not o.crashes:
            lines.append(f"{o.name}: exited with {o.exit_code} (see its log)")
    failed = [o.name for o in outcomes if o.failed]
    total = sum(o.executions for o in outcomes)
    verdict = f"FAILED: {', '.join(failed)}" if failed else "no crashes"
    lines.append("")
    lines.append(
        f"summary: {len(outcomes)} harnesses x {budget} s, {jobs} at a time, "
        f"{total:,} executions in {wall_s / 60:.1f} min wall: {verdict}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the fuzz harnesses (reliability plan T36).")
    parser.add_argument("harnesses", nargs="*", help=f"any of {', '.join(HARNESSES)} (all)")
    parser.add_argument("--seconds", type=int, default=180, help="budget per harness")
    parser.add_argument("--jobs", type=int, default=2, help="harnesses run at the same time")
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="keep fuzzing after a crash (one input per distinct crash site is kept)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=DEFAULT_WORK / "checkpoint-station" / "fuzz",
        help="folder for corpora, crashes and logs (outside the repository)",
    )
    args = parser.parse_args(argv)
    names = args.harnesses or list(HARNESSES)
    unknown = sorted(set(names) - set(HARNESSES))
    if unknown:
        parser.error(f"unknown harness(es): {', '.join(unknown)}")
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(
            pool.map(lambda n: run_harness(n, args.seconds, args.work, args.keep_going), names)
        )
    print(report(outcomes, time.monotonic() - start, args.seconds, args.jobs))
    print(f"corpora, crashes and logs: {args.work}")
    return 1 if any(o.failed for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
