"""The kiosk's device: camera and gate from `<data dir>/hardware.toml`, and the systemd watchdog.

On a Raspberry Pi the technician's `hardware.toml` names the camera (and its size and frame
rate) and the gate relay (`station.adapters.hardware`); the app opens that camera unless the
command line or the admin panel chose another, and drives the gate on each verdict. Under
systemd (`station-kiosk.service`, Type=notify) the app says READY once its window is up and
then pings the watchdog from a timer on the GUI thread, so a frozen screen gets restarted
(`station.adapters.sd_notify`). On a laptop none of this is present and all of it is a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from station.scan.sources import SourceOptions

try:  # the device adapters; an install without them runs with no gate and no watchdog
    from station.adapters.gate import open_gate
    from station.adapters.hardware import load_hardware
    from station.adapters.sd_notify import ServiceNotifier
except ImportError:  # pragma: no cover - depends on the install
    load_hardware = None  # type: ignore[assignment]
    ServiceNotifier = None  # type: ignore[assignment,misc]


class Gate(Protocol):
    """What the app needs of `station.adapters.gate.GateController`."""

    def on_verdict(self, status: str) -> None: ...

    def close(self) -> None: ...


class NoGate:
    def on_verdict(self, status: str) -> None:
        return None

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class Device:
    """The configured camera (None: the default) and how to open the gate."""

    camera_source: str | None = None
    camera_options: SourceOptions = field(default_factory=SourceOptions)
    gate_config: Any = None

    def open_gate(self) -> Gate:
        if self.gate_config is None or load_hardware is None:
            return NoGate()
        gate: Gate = open_gate(self.gate_config)
        return gate


def load_device(base: Path) -> Device:
    """The device's hardware file (ConfigError naming the file when it is invalid)."""
    if load_hardware is None:
        return Device()
    hardware = load_hardware(base)
    camera = hardware.camera
    return Device(camera.source, camera.options(), hardware.gate)


class Watchdog:
    """READY once, then WATCHDOG pings at the interval systemd asks for; STOPPING at the end."""

    def __init__(self) -> None:
        self._notifier = None if ServiceNotifier is None else ServiceNotifier.from_environment()

    @property
    def interval_ms(self) -> int | None:
        interval = self._notifier.ping_interval_s if self._notifier else None
        return None if interval is None else max(1000, int(interval * 1000))

    def ready(self) -> None:
        if self._notifier is not None:
            self._notifier.ready("showing the scan screen")

    def ping(self) -> None:
        if self._notifier is not None:
            self._notifier.watchdog()

    def stopping(self) -> None:
        if self._notifier is not None:
            self._notifier.stopping()
