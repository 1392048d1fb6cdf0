"""Fixtures of the Vietnam national QR tests; load with `pytest_plugins = ["vn_fixtures"]`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from vn_helpers import person

from station.cache.database import CacheDatabase, open_cache
from station.issuer.vn_qr import VnPerson


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[CacheDatabase]:
    opened = open_cache(tmp_path / "cache.sqlite")
    yield opened
    opened.close()


@pytest.fixture()
def someone() -> VnPerson:
    return person(1)
