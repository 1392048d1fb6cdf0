"""The gate relay, buzzer and lights on gpiozero's MockFactory: safe from the start, open for
N seconds on VALID, closed at once with the alarm on INVALID, active-low wiring, and the
hardware file that configures it."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gpiozero.pins.mock import MockFactory

from station.adapters.gate import (
    BrokenGate,
    GateConfig,
    GpioGate,
    NullGate,
    OutputPin,
    Pattern,
    open_gate,
)
from station.adapters.hardware import HardwareConfig, hardware_path, load_hardware
from station.errors import ConfigError

RELAY, BUZZER, GREEN, RED = 17, 27, 22, 23


@pytest.fixture
def factory() -> Iterator[MockFactory]:
    pins = MockFactory()
    yield pins
    pins.reset()


def config(open_s: float = 0.3, relay_active_high: bool = False) -> GateConfig:
    return GateConfig(
        relay=OutputPin(RELAY, active_high=relay_active_high),
        buzzer=OutputPin(BUZZER),
        green=OutputPin(GREEN),
        red=OutputPin(RED),
        open_s=open_s,
        valid_beep=Pattern(0.02, 0.0, 1),
        alarm=Pattern(0.02, 0.02, 3),
        manual=Pattern(0.03, 0.02, 2),
    )


def wait_for(condition: Callable[[], bool], limit_s: float = 2.0) -> float:
    """Seconds until `condition` held (fails after `limit_s`)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < limit_s, "timed out"
        time.sleep(0.002)
    return time.monotonic() - started


def pulses(factory: MockFactory, pin: int, active_high: bool = True) -> int:
    """How many times the pin went to its active level (its recorded history)."""
    states = [s.state for s in factory.pin(pin).states]
    active = [state == active_high for state in states]
    return sum(1 for before, now in zip(active, active[1:], strict=False) if now and not before)


def test_every_output_starts_in_the_safe_state(factory: MockFactory) -> None:
    gate = GpioGate(config(), pin_factory=factory)
    assert factory.pin(RELAY).state is True  # active-low relay released: pin high
    assert [factory.pin(p).state for p in (BUZZER, GREEN, RED)] == [False, False, False]
    assert all(gate.level(name) is False for name in ("relay", "buzzer", "green", "red"))
    gate.close()


def test_valid_opens_for_the_configured_time_then_closes(factory: MockFactory) -> None:
    gate = GpioGate(config(open_s=0.3), pin_factory=factory)
    gate.on_verdict("VALID")
    assert gate.level("relay") and gate.level("green")
    assert factory.pin(RELAY).state is False  # active-low: energised at low
    held = wait_for(lambda: not gate.level("relay"))
    assert 0.25 <= held <= 1.5
    wait_for(lambda: not gate.level("green"), limit_s=0.1)
    assert pulses(factory, BUZZER) == 1
    gate.close()


def test_a_second_valid_keeps_the_gate_open_longer(factory: MockFactory) -> None:
    gate = GpioGate(config(open_s=0.3), pin_factory=factory)
    gate.on_verdict("VALID")
    time.sleep(0.2)
    gate.on_verdict("VALID")
    time.sleep(0.2)
    assert gate.level("relay"), "still open 0.4 s after the first VALID"
    wait_for(lambda: not gate.level("relay"))
    gate.close()


def test_invalid_closes_at_once_and_sounds_the_alarm(factory: MockFactory) -> None:
    gate = GpioGate(config(open_s=5.0), pin_factory=factory)
    gate.on_verdict("VALID")
    assert gate.level("relay")
    gate.on_verdict("INVALID")
    assert not gate.level("relay") and not gate.level("green")
    wait_for(lambda: pulses(factory, RED) == 3 and not gate.level("red"))
    # the VALID beep may still sound as the alarm starts and merge with its first pulse
    wait_for(lambda: pulses(factory, BUZZER) in (3, 4) and not gate.level("buzzer"))
    gate.close()


@pytest.mark.parametrize("status", ["CHECK_MANUALLY", "SOMETHING_NEW", ""])
def test_anything_but_valid_keeps_the_gate_closed(factory: MockFactory, status: str) -> None:
    gate = GpioGate(config(), pin_factory=factory)
    gate.on_verdict(status)
    wait_for(lambda: pulses(factory, RED) == 2 and not gate.level("red"))
    assert pulses(factory, RELAY, active_high=False) == 0
    gate.close()


def test_safe_state_ends_a_pattern_and_close_releases_the_pins(factory: MockFactory) -> None:
    gate = GpioGate(config(open_s=5.0), pin_factory=factory)
    gate.on_verdict("VALID")
    gate.safe_state()
    assert not any(gate.level(name) for name in ("relay", "buzzer", "green", "red"))
    assert factory.pin(RELAY).state is True
    gate.close()
    assert factory.pin(RELAY).function == "input"  # the board's pull resistor decides now


def test_self_test_reads_each_output_back(factory: MockFactory) -> None:
    gate = GpioGate(config(), pin_factory=factory)
    seen = gate.self_test(on_s=0.01)
    assert seen == {name: (True, False) for name in ("relay", "buzzer", "green", "red")}
    assert pulses(factory, RELAY, active_high=False) == 1
    gate.close()


def test_open_gate_without_pins_is_the_null_gate() -> None:
    gate = open_gate(GateConfig())
    assert isinstance(gate, NullGate) and gate.problem == ""
    gate.on_verdict("VALID")
    gate.close()


def test_open_gate_reports_unusable_pins_and_missing_gpiozero(
    factory: MockFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = open_gate(GateConfig(relay=OutputPin("GPIO99")), pin_factory=factory)
    assert isinstance(broken, BrokenGate) and "cannot be used" in broken.problem
    broken.on_verdict("VALID")  # still safe to call
    monkeypatch.setitem(sys.modules, "gpiozero", None)
    missing = open_gate(GateConfig(relay=OutputPin(RELAY)))
    assert isinstance(missing, BrokenGate) and "gpiozero" in missing.problem


def test_a_pin_cannot_serve_two_outputs() -> None:
    with pytest.raises(ValueError, match="share"):
        GateConfig(relay=OutputPin(17), red=OutputPin(17))


def test_hardware_file_selects_camera_and_gate(tmp_path: Path) -> None:
    assert load_hardware(tmp_path) == HardwareConfig()
    hardware_path(tmp_path).write_text(
        """
[camera]
source = "picamera"
fps = 10

[gate]
open_s = 4
relay = { pin = "GPIO17", active_high = false }
red = { pin = 23 }
""",
        encoding="utf-8",
    )
    loaded = load_hardware(tmp_path)
    assert loaded.camera.source == "picamera" and loaded.camera.options().fps == 10
    assert loaded.gate.relay == OutputPin("GPIO17", active_high=False)
    assert loaded.gate.red == OutputPin(23) and loaded.gate.buzzer is None
    assert loaded.gate.open_s == 4


@pytest.mark.parametrize(
    "text",
    [
        "[gate]\nrelay = 17\n",
        "[gate]\nrelay = { pin = 17, active_high = 'no' }\n",
        "[gate]\nopen_s = 500\nrelay = { pin = 17 }\n",
        "[gate]\nrelay = { pin = 17 }\nred = { pin = 17 }\n",
        "[camera]\nfps = 0\n",
        "[camera]\nsorce = 'picamera'\n",
        "[camera\n",
    ],
)
def test_an_invalid_hardware_file_names_itself(tmp_path: Path, text: str) -> None:
    hardware_path(tmp_path).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="hardware.toml"):
        load_hardware(tmp_path)


def test_the_shipped_example_is_a_valid_hardware_file(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "deploy" / "hardware.toml.example"
    hardware_path(tmp_path).write_bytes(example.read_bytes())
    loaded = load_hardware(tmp_path)
    assert loaded.camera.source == "picamera"
    assert set(loaded.gate.outputs()) == {"relay", "buzzer", "green", "red"}
    assert loaded.gate.relay == OutputPin("GPIO17", active_high=False)
