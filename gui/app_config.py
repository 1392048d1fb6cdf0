"""What `station run` is asked for (`AppConfig`) and what tests, the benchmark and the screenshot
script put in place of real parts (`Parts`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gui.background import UPLOAD_INTERVAL_MS
from gui.device import Gate
from gui.workers import Recorder
from station.model import VerificationResult
from station.ports import FrameSource
from station.verify.verifier import Verifier

#: The camera used when neither the command line, the admin panel nor hardware.toml names one.
DEFAULT_SOURCE = "camera:0"


@dataclass(frozen=True, slots=True)
class AppConfig:
    base: Path
    kiosk: bool = False
    #: Frame source spec; "" = the one saved in the admin panel, else camera:0.
    source: str = ""
    language: str | None = None
    size: tuple[int, int] | None = None
    at: str | None = None
    trust_cert: tuple[str, ...] = ()
    profile: str | None = None
    sound: bool | None = None
    #: Sync and upload on their schedule (off for tests and benchmarks).
    scheduled_sync: bool = True
    #: Seconds between uploads of new entries (the demo uploads every few seconds).
    upload_interval_s: float = UPLOAD_INTERVAL_MS / 1000


@dataclass(frozen=True, slots=True)
class Parts:
    """Replacements for the real frame source, verifier or recorder (tests, bench, screenshots)."""

    open_source: Callable[[str], FrameSource] | None = None
    make_verifier: Callable[[], Verifier] | None = None
    make_recorder: Callable[[], Recorder | None] | None = None
    log_available: bool | None = None
    gate: Gate | None = None
    judge_clock: Callable[[VerificationResult], VerificationResult] | None = None
