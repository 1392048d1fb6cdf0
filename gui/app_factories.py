"""The real parts `build_station` uses unless `Parts` replaces them: frame sources, the
verifier, the entry log's recorder, the clock policy and camera workers."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from pathlib import Path

from gui.app_config import AppConfig, Parts
from gui.camera import CameraWorker
from gui.device import Device
from gui.virtual_camera import FolderCamera
from gui.workers import Recorder
from station.adapters.clock import SystemClock
from station.cli.verifier_options import build_verifier
from station.errors import ConfigError
from station.model import VerificationResult
from station.ports import FrameSource
from station.scan.sources import SourceOptions, open_source
from station.settings import load_settings
from station.verify.verifier import Verifier


def open_station_source(spec: str, options: SourceOptions | None = None) -> FrameSource:
    """A frame source by spec; `file:<folder>` plays a folder of QR images as a camera."""
    kind, _, target = spec.partition(":")
    if kind == "file" and Path(target).is_dir():
        return FolderCamera(target)
    return open_source(spec, options or SourceOptions())


def real_recorder_factory(base: Path) -> Callable[[], Recorder | None] | None:
    """The entry log's recorder, or None on an install without it."""
    try:
        from station.entry_recorder import EntryRecorder
    except ImportError:
        return None
    return lambda: EntryRecorder(base, SystemClock())


def clock_judge(config: AppConfig) -> Callable[[VerificationResult], VerificationResult] | None:
    """The station's clock policy on each verdict (`station.time_floor`: below the time floor
    or after a jump, no VALID verdict); none when replaying a past time with `--at`."""
    if config.at:
        return None
    try:
        from station.time_floor import TimeGuard, apply_clock_policy
    except ImportError:
        return None
    guard = TimeGuard(config.base)
    return lambda result: apply_clock_policy(result, guard.assess())


def verifier_factory(config: AppConfig) -> Callable[[], Verifier]:
    args = argparse.Namespace(
        at=config.at,
        trust_cert=list(config.trust_cert),
        profile=config.profile,
        data_dir=str(config.base),
    )
    return functools.partial(build_verifier, args)


def camera_factory(
    config: AppConfig, parts: Parts, device: Device, next_serial: Callable[[], int]
) -> Callable[[str], CameraWorker]:
    """Camera workers for a source spec: the hardware file's size and frame rate apply to the
    camera it names; the decode budget is the station's `scan_budget_ms` setting."""
    budget_s = settings_budget(config.base)

    def open_configured(spec: str) -> FrameSource:
        same = spec == device.camera_source
        return open_station_source(spec, device.camera_options if same else None)

    opener = parts.open_source or open_configured

    def make_camera(spec: str) -> CameraWorker:
        return CameraWorker(lambda: opener(spec), next_serial=next_serial, budget_s=budget_s)

    return make_camera


def settings_budget(base: Path) -> float:
    try:
        return load_settings(base).scan_budget_ms / 1000
    except ConfigError:
        return 0.04
