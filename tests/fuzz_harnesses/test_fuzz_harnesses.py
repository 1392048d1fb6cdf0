"""The fuzz harnesses (fuzz/) run on their seeds, so they never rot between fuzzing runs.

Each harness's `TestOneInput` is called on every seed in-process, without atheris: the harness
modules import it only in `fuzz/engine.py`. One short libFuzzer run through the engine checks
the atheris wiring itself and is skipped where atheris is not installed (`pip install .[fuzz]`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `fuzz/` is a top-level folder, not an installed package
    sys.path.insert(0, str(ROOT))

from fuzz import engine  # noqa: E402
from fuzz.station_setup import as_scanned_text, scanned_bytes  # noqa: E402

#: Seeds a harness must at least have: vectors and issued passes of what it covers.
MINIMUM_SEEDS = {
    "front_door": 60,
    "hcert_cose": 60,
    "shc_card": 6,
    "nzcp_pass": 6,
    "sync_lists": 8,
    "rules_engine": 100,
}


@pytest.mark.parametrize("name", engine.HARNESSES)
def test_harness_runs_every_seed(name: str) -> None:
    module = engine.load(name)
    seeds = list(module.seeds())
    assert len(seeds) >= MINIMUM_SEEDS[name]
    for seed in seeds:
        module.TestOneInput(seed)  # raises on any broken promise


def test_front_door_seeds_reach_every_family() -> None:
    from fuzz.station_setup import fuzz_station

    verifier = fuzz_station().verifier
    module = engine.load("front_door")
    formats = {verifier.verify(as_scanned_text(seed)).format for seed in module.seeds()}
    assert formats >= {"dcc", "ddcc", "shc", "nzcp", "vds", "divoc", "unknown"}
    assert any(fmt.startswith("vn_") for fmt in formats)


@pytest.mark.parametrize(
    "text", ["HC1:6BF", "Nguyễn Văn An|1990", "PK\x03\x04\x14\x00\x00\x08\x08\x00\xff"], ids=repr
)
def test_seed_bytes_read_back_as_the_scanned_text(text: str) -> None:
    assert as_scanned_text(scanned_bytes(text)) == text


def test_unknown_harness_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown harness"):
        engine.load("os")


def test_recording_keeps_the_crashing_input(tmp_path: Path) -> None:
    def target(data: bytes) -> None:
        if data.startswith(b"boom"):
            raise KeyError("a bug")

    wrapped = engine.recording(target, tmp_path, keep_going=True)
    for data in (b"fine", b"boom-1", b"boom-2"):
        wrapped(data)
    inputs = sorted(p for p in tmp_path.iterdir() if p.suffix != ".txt")
    assert [p.read_bytes() for p in inputs] == [b"boom-1"]  # one input per crash site
    note = inputs[0].with_name(inputs[0].name + ".txt").read_text(encoding="utf-8")
    assert note.startswith("KeyError at test_fuzz_harnesses.py:")
    with pytest.raises(KeyError):
        engine.recording(target, tmp_path, keep_going=False)(b"boom-3")


def test_libfuzzer_run_through_the_engine(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    corpus, artifacts = tmp_path / "corpus", tmp_path / "crashes"
    # Not T36's -rss_limit_mb=512: Linux carries the peak RSS over fork and exec, so a child of
    # a long test session would start "above" the limit (fuzz/run.py forks from a small process).
    command = [
        sys.executable, "-m", "fuzz.engine", "nzcp_pass", str(corpus),
        "-runs=200", "-seed=1", "-max_len=4400", "-timeout=2", "-rss_limit_mb=4096",
        f"-artifact_prefix={artifacts}/",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "INITED cov:" in done.stderr
    assert not artifacts.exists() or not any(artifacts.iterdir())
    assert any(corpus.iterdir())
