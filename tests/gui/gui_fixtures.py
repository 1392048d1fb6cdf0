"""Fixtures of the app tests: a demo authority, its passes as QR images, and the real station
app (real verifier, real scan loop, real widgets) on the offscreen platform.

Test modules load this with `pytest_plugins = ["gui_fixtures"]` and import helpers from
`gui_helpers`. Cameras are folders of real QR images played by the app's own `FolderCamera`,
or `gui_helpers.FakeFrameSource` where a camera must be unplugged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from gui_helpers import RunningStation, blank_camera

from gui.app import Station, build_station
from gui.app_config import AppConfig, Parts
from gui.demo_data import DemoStation, trust_demo_authority, write_qr_images
from station.issuer.demo_set import DemoPass
from station.paths import trust_db_path
from station.store.trust import SqliteTrustStore


@pytest.fixture(scope="session")
def demo_set(tmp_path_factory: pytest.TempPathFactory) -> DemoStation:
    """A demo authority and its passes, made once (RSA key generation is slow)."""
    return trust_demo_authority(tmp_path_factory.mktemp("demo-authority"))


@pytest.fixture()
def data_dir(isolated_data_dir: Path, demo_set: DemoStation) -> Path:
    """This test's station data folder, trusting the demo authority's signers."""
    with SqliteTrustStore(trust_db_path(isolated_data_dir)) as store:
        store.import_der((s.der for s in demo_set.authority.trusted), source="demo authority")
    return isolated_data_dir


@pytest.fixture()
def qr_folder(tmp_path: Path) -> Callable[..., Path]:
    """Write the given passes as QR images into a fresh folder (a `file:` camera)."""

    def make(*passes: DemoPass, name: str = "camera") -> Path:
        folder = tmp_path / name
        write_qr_images(tuple(passes), folder)
        return folder

    return make


@pytest.fixture()
def start_station(qtbot, data_dir: Path) -> Iterator[Callable[..., RunningStation]]:
    """Build, start and show the real app; shut it down after the test."""
    started: list[Station] = []

    def start(
        source: str = "",
        *,
        kiosk: bool = True,
        size: tuple[int, int] = (800, 480),
        language: str = "en",
        parts: Parts | None = None,
        verdict_seconds: float | None = None,
    ) -> RunningStation:
        config = AppConfig(
            base=data_dir,
            kiosk=kiosk,
            source=source or "fake:",
            language=language,
            size=size,
            sound=False,
            scheduled_sync=False,
        )
        parts = parts or Parts()
        if not source and parts.open_source is None:
            parts = replace(parts, open_source=lambda spec: blank_camera())
        station = build_station(config, parts)
        if verdict_seconds is not None:
            station.window.verdict.seconds = verdict_seconds
        qtbot.addWidget(station.window)
        station.start()
        station.show()
        started.append(station)
        return RunningStation(station, qtbot)

    yield start
    for station in started:
        station.shutdown()
