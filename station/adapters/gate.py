"""The gate relay, the buzzer and the green/red lights, driven by gpiozero.

The app calls `on_verdict(status)` once per decision:

- VALID opens the relay for `open_s` seconds (a new VALID while open starts the time again),
  lights green and gives one short beep;
- INVALID closes the relay at once, blinks red and sounds the alarm pattern;
- CHECK_MANUALLY, and any status this module does not know, keeps the relay closed and gives
  two long beeps with red: the guard decides.

Safe state means relay released, buzzer silent, lights off. Every output is created in that
state, so the gate is closed from the moment the app starts; `safe_state()` returns to it and
`close()` returns to it before releasing the pins. gpiozero turns released pins into inputs,
so after a crash the relay board's own pull resistor decides: wire it so that a floating input
leaves the coil unpowered (firmware_notes/gate-relay.md).

gpiozero is imported only when a gate is configured; a laptop without it gets `NullGate`.
Tests pass gpiozero's `MockFactory` as `pin_factory`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

#: What a pin may be called in the configuration: a BCM number or a gpiozero name (GPIO17,
#: BOARD11, J8:11).
PinName = int | str


class GateController(Protocol):
    """What the app needs from the gate: one call per verdict, and a way back to safe."""

    @property
    def problem(self) -> str:
        """Why the gate cannot work, in plain words; "" when it can."""
        ...

    def on_verdict(self, status: str) -> None: ...

    def safe_state(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class OutputPin:
    pin: PinName
    #: True: the pin's high level switches the device on. Most opto-isolated relay boards
    #: ("low-level trigger") are active-low.
    active_high: bool = True


@dataclass(frozen=True, slots=True)
class Pattern:
    """`count` pulses of `on_s` seconds with `off_s` between them."""

    on_s: float
    off_s: float
    count: int

    def __post_init__(self) -> None:
        if self.on_s <= 0 or self.off_s < 0 or not 1 <= self.count <= 50:
            raise ValueError("a pattern needs on_s > 0, off_s >= 0 and 1 to 50 pulses")


@dataclass(frozen=True, slots=True)
class GateConfig:
    relay: OutputPin | None = None
    buzzer: OutputPin | None = None
    green: OutputPin | None = None
    red: OutputPin | None = None
    open_s: float = 5.0
    valid_beep: Pattern = field(default_factory=lambda: Pattern(0.08, 0.0, 1))
    alarm: Pattern = field(default_factory=lambda: Pattern(0.15, 0.1, 6))
    manual: Pattern = field(default_factory=lambda: Pattern(0.4, 0.25, 2))

    def __post_init__(self) -> None:
        if not 0.2 <= self.open_s <= 60:
            raise ValueError("open_s must be 0.2 to 60 seconds")
        pins = [o.pin for o in (self.relay, self.buzzer, self.green, self.red) if o is not None]
        if len(set(map(str, pins))) != len(pins):
            raise ValueError("two outputs share one pin")

    @property
    def enabled(self) -> bool:
        return any(o is not None for o in (self.relay, self.buzzer, self.green, self.red))

    def outputs(self) -> dict[str, OutputPin]:
        named = {"relay": self.relay, "buzzer": self.buzzer, "green": self.green, "red": self.red}
        return {name: pin for name, pin in named.items() if pin is not None}


class NullGate:
    """No gate hardware: verdicts are only shown on screen."""

    problem = ""

    def on_verdict(self, status: str) -> None:
        return None

    def safe_state(self) -> None:
        return None

    def close(self) -> None:
        return None


class BrokenGate(NullGate):
    """A gate is configured but cannot be driven; the relay stays as the hardware holds it."""

    def __init__(self, problem: str) -> None:
        self.problem = problem


class GpioGate:
    """The configured outputs as gpiozero DigitalOutputDevices, all created switched off."""

    def __init__(self, config: GateConfig, *, pin_factory: Any = None) -> None:
        from gpiozero import DigitalOutputDevice

        self.config = config
        self.problem = ""
        self._lock = threading.Lock()
        self._devices: dict[str, Any] = {}
        try:
            for name, output in config.outputs().items():
                self._devices[name] = DigitalOutputDevice(
                    output.pin,
                    active_high=output.active_high,
                    initial_value=False,
                    pin_factory=pin_factory,
                )
        except Exception:  # gpiozero's errors: pin busy, unknown pin, no pin driver
            self.close()
            raise

    def on_verdict(self, status: str) -> None:
        with self._lock:
            if status == "VALID":
                self._off("red")
                self._pulse("relay", Pattern(self.config.open_s, 0.0, 1))
                self._pulse("green", Pattern(self.config.open_s, 0.0, 1))
                self._pulse("buzzer", self.config.valid_beep)
                return
            self._off("relay")  # closes at once, even while a previous person is passing
            self._off("green")
            pattern = self.config.alarm if status == "INVALID" else self.config.manual
            self._pulse("red", pattern)
            self._pulse("buzzer", pattern)

    def safe_state(self) -> None:
        with self._lock:
            for name in self._devices:
                self._off(name)

    def close(self) -> None:
        self.safe_state()
        with self._lock:
            for device in self._devices.values():
                device.close()
            self._devices.clear()

    def self_test(self, on_s: float = 0.3) -> dict[str, tuple[bool, bool]]:
        """Switch each output on for `on_s`, then off, one after the other (the relay clicks,
        the buzzer beeps, each light flashes); returns the level read back in each phase."""
        seen: dict[str, tuple[bool, bool]] = {}
        for name in list(self._devices):
            with self._lock:
                self._devices[name].on()
            time.sleep(on_s)
            on = bool(self.level(name))
            with self._lock:
                self._off(name)
            seen[name] = (on, bool(self.level(name)))
        return seen

    def level(self, name: str) -> bool | None:
        """Whether output `name` is switched on now (None when it is not configured)."""
        device = self._devices.get(name)
        return None if device is None else bool(device.value)

    def _off(self, name: str) -> None:
        device = self._devices.get(name)
        if device is not None:
            device.off()  # also ends a pattern still playing

    def _pulse(self, name: str, pattern: Pattern) -> None:
        device = self._devices.get(name)
        if device is not None:
            device.on()  # at once, not when the pattern's thread gets to it
            device.blink(
                on_time=pattern.on_s, off_time=pattern.off_s, n=pattern.count, background=True
            )


def open_gate(config: GateConfig, *, pin_factory: Any = None) -> GateController:
    """The gate for `config`: NullGate when nothing is configured, BrokenGate with the reason
    when the outputs cannot be claimed (the kiosk keeps verifying; the doctor reports it)."""
    if not config.enabled:
        return NullGate()
    try:
        return GpioGate(config, pin_factory=pin_factory)
    except ImportError:
        return BrokenGate("gpiozero is not installed (pip install -e '.[pi]')")
    except Exception as exc:  # gpiozero's errors: pin busy, unknown pin, no pin driver
        return BrokenGate(f"the gate outputs cannot be used: {type(exc).__name__}: {exc}")
