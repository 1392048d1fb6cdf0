"""The admin PIN: a slow hash on disk, and a lockout that survives a restart (no Qt)."""

from __future__ import annotations

import json

import pytest

from gui.pin import LOCKOUT_S, MAX_FAILURES, KdfCost, PinStore, lockout_for

CHEAP = KdfCost(memory_kib=8 * 1024, iterations=1)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_pin_is_stored_only_as_an_argon2id_hash(tmp_path):
    store = PinStore(tmp_path)
    store.set_pin("482913")
    record = json.loads(store.path.read_text())
    assert record["kdf"] == "argon2id" and record["memory_kib"] >= 19 * 1024
    assert "482913" not in store.path.read_text()
    assert store.path.stat().st_mode & 0o777 == 0o600
    assert store.check("482913").ok and not store.check("482914").ok


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "١٢٣٤"])
def test_pins_are_4_to_12_ascii_digits(tmp_path, pin):
    with pytest.raises(ValueError):
        PinStore(tmp_path, cost=CHEAP).set_pin(pin)


def test_repeated_failures_lock_the_pin_and_the_lock_grows(tmp_path):
    clock = Clock()
    store = PinStore(tmp_path, cost=CHEAP, clock=clock)
    store.set_pin("2468")
    for _ in range(MAX_FAILURES - 1):
        assert store.check("0000").locked_for_s == 0
    locked = store.check("0000")
    assert not locked.ok and locked.locked_for_s == LOCKOUT_S
    assert not store.check("2468").ok, "the right PIN is refused while locked"
    clock.now += LOCKOUT_S
    assert store.check("1111").locked_for_s == 2 * LOCKOUT_S
    clock.now += 2 * LOCKOUT_S
    assert store.check("2468").ok
    assert store.check("0000").locked_for_s == 0, "a correct PIN resets the count"


def test_a_restart_does_not_lift_the_lockout(tmp_path):
    store = PinStore(tmp_path, cost=CHEAP)
    store.set_pin("2468")
    for _ in range(MAX_FAILURES):
        store.check("0000")
    restarted = PinStore(tmp_path, cost=CHEAP)
    assert restarted.locked_for() > 0
    assert not restarted.check("2468").ok


def test_a_damaged_or_missing_file_accepts_no_pin(tmp_path):
    store = PinStore(tmp_path, cost=CHEAP)
    assert not store.is_set() and not store.check("1234").ok
    store.path.write_text('{"hash": "!!", "salt": 3}')
    assert not PinStore(tmp_path, cost=CHEAP).check("1234").ok


def test_lockout_is_capped():
    assert lockout_for(MAX_FAILURES - 1) == 0
    assert lockout_for(100) == 3600
