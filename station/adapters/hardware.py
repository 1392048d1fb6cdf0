"""The kiosk's hardware: which camera, which gate pins. `<data dir>/hardware.toml`.

Wiring is decided once per device by the technician who installs it, so it lives in a small
file beside the station's data rather than in the synced settings. Without the file the
station uses the first USB camera and drives no gate. An invalid file is an error naming the
file: a kiosk must not silently run without its gate. Example (deploy/hardware.toml.example):

    [camera]
    source = "picamera"        # or "camera:0", "camera:/dev/video2"
    width = 1280
    height = 720
    fps = 15

    [gate]
    open_s = 5
    relay = { pin = "GPIO17", active_high = false }
    buzzer = { pin = "GPIO27" }
    green = { pin = "GPIO22" }
    red = { pin = "GPIO23" }
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.adapters.gate import GateConfig, OutputPin
from station.errors import ConfigError, StationError

if TYPE_CHECKING:  # the scan stack (NumPy, OpenCV) loads only when a camera is opened, so
    # the kiosk unit's ExecStopPost (`station doctor --safe-state`) starts in a fraction of
    # its TimeoutStopSec even on a slow or busy CPU
    from station.ports import FrameSource
    from station.scan.sources import SourceOptions

HARDWARE_FILE = "hardware.toml"
MAX_FILE_BYTES = 16 * 1024
_CAMERA_KEYS = {"source", "width", "height", "fps"}
_GATE_KEYS = {"open_s", "relay", "buzzer", "green", "red"}


@dataclass(frozen=True, slots=True)
class CameraConfig:
    source: str = "camera:0"
    width: int = 1280
    height: int = 720
    fps: float = 15.0

    def options(self) -> SourceOptions:
        from station.scan.sources import SourceOptions

        return SourceOptions(width=self.width, height=self.height, fps=self.fps)


@dataclass(frozen=True, slots=True)
class HardwareConfig:
    camera: CameraConfig = field(default_factory=CameraConfig)
    gate: GateConfig = field(default_factory=GateConfig)


def hardware_path(base: Path) -> Path:
    return base / HARDWARE_FILE


def load_hardware(base: Path) -> HardwareConfig:
    """The device's hardware file, or the defaults when there is none."""
    path = hardware_path(base)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return HardwareConfig()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError(f"{path}: too large to be a hardware file")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
        return HardwareConfig(_camera(data.get("camera", {})), _gate(data.get("gate", {})))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def open_camera(config: HardwareConfig) -> FrameSource:
    """The configured camera as a frame source (opened lazily on its first read)."""
    from station.scan.sources import open_source

    try:
        return open_source(config.camera.source, config.camera.options())
    except StationError as exc:
        raise ConfigError(f"[camera] source: {exc}") from exc


def _camera(table: Any) -> CameraConfig:
    _require_table(table, "camera", _CAMERA_KEYS)
    camera = CameraConfig(
        source=str(table.get("source", "camera:0")),
        width=int(table.get("width", 1280)),
        height=int(table.get("height", 720)),
        fps=float(table.get("fps", 15.0)),
    )
    if not (160 <= camera.width <= 4608 and 120 <= camera.height <= 2592):
        raise ValueError("[camera] width/height must be 160x120 to 4608x2592")
    if not 1 <= camera.fps <= 120:
        raise ValueError("[camera] fps must be 1 to 120")
    return camera


def _gate(table: Any) -> GateConfig:
    _require_table(table, "gate", _GATE_KEYS)
    return GateConfig(
        relay=_output(table, "relay"),
        buzzer=_output(table, "buzzer"),
        green=_output(table, "green"),
        red=_output(table, "red"),
        open_s=float(table.get("open_s", 5.0)),
    )


def _output(table: dict[str, Any], name: str) -> OutputPin | None:
    if name not in table:
        return None
    value = table[name]
    if not isinstance(value, dict) or "pin" not in value or set(value) - {"pin", "active_high"}:
        raise ValueError(f"[gate] {name} must be {{ pin = ..., active_high = true|false }}")
    pin = value["pin"]
    if isinstance(pin, bool) or not isinstance(pin, int | str) or str(pin).strip() == "":
        raise ValueError(f"[gate] {name}.pin must be a BCM number or a name such as GPIO17")
    active_high = value.get("active_high", True)
    if not isinstance(active_high, bool):
        raise ValueError(f"[gate] {name}.active_high must be true or false")
    return OutputPin(pin, active_high)


def _require_table(table: Any, name: str, allowed: set[str]) -> None:
    if not isinstance(table, dict):
        raise ValueError(f"[{name}] must be a table")
    unknown = set(table) - allowed
    if unknown:
        raise ValueError(f"unknown key(s) in [{name}]: {', '.join(sorted(unknown))}")
