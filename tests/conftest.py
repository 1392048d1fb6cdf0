"""Shared fixtures: offscreen Qt, a fixed validation clock, and a fresh test PKI per session."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

VECTORS = Path(__file__).parent / "vectors"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def es256_signer():
    from station.issuer.pki import make_signer

    return make_signer(algorithm="ES256", not_before=datetime(2025, 1, 1, tzinfo=UTC), usages="vtr")


@pytest.fixture(scope="session")
def ps256_signer():
    from station.issuer.pki import make_signer

    return make_signer(algorithm="PS256", not_before=datetime(2025, 1, 1, tzinfo=UTC))


#: Crash-loop tests run this many kill -9 iterations; `make test-long` runs the full count.
LONG_MODE = os.environ.get("STATION_LONG_TESTS") == "1"


@pytest.fixture(scope="session")
def crash_iterations() -> int:
    """How many random kill -9 rounds a crash test runs (200 in long mode, 20 otherwise)."""
    return 200 if LONG_MODE else 20


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test (and every `station` process it starts) gets its own empty data folder, so no
    test reads or writes the data of the machine's real station."""
    folder = tmp_path_factory.mktemp("station-data")
    monkeypatch.setenv("STATION_DATA_DIR", str(folder))
    return folder


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 512 KB tmpfs (grow it with `mount -o remount,size=...`). Mounting needs root
    (CAP_SYS_ADMIN); elsewhere the test is skipped, and the unprivileged RLIMIT_FSIZE tests in
    tests/entrylog cover the same paths."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a tmpfs needs root; the RLIMIT_FSIZE variant covers this path")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
