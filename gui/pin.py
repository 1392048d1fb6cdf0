"""The admin PIN: stored as an Argon2id hash, locked out after repeated wrong guesses (no Qt).

A PIN has few digits, so its hash alone would not stop someone who copies the file: each guess
costs one Argon2id derivation (19 MiB, 2 passes, as the status list uses; about 50 ms on a
laptop core, a few hundred on a Raspberry Pi), and at the kiosk itself the lockout does the
rest. After `MAX_FAILURES` wrong PINs in a row the panel locks for `LOCKOUT_S`, doubling with
each further wrong PIN up to `MAX_LOCKOUT_S`. The failure count is kept in the file, so
restarting the app does not reset it: a restarted app starts locked again for the full period.

Checking a PIN is slow on purpose: callers run `check` off the GUI thread.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

PIN_FILE = "admin-pin.json"
MIN_DIGITS, MAX_DIGITS = 4, 12
MAX_FAILURES = 5
LOCKOUT_S = 60.0
MAX_LOCKOUT_S = 3600.0


@dataclass(frozen=True, slots=True)
class KdfCost:
    memory_kib: int = 19 * 1024
    iterations: int = 2
    lanes: int = 1


@dataclass(frozen=True, slots=True)
class PinCheck:
    """The answer to one PIN entry: accepted, or how long the panel is now locked."""

    ok: bool
    locked_for_s: float = 0.0
    failures: int = 0


def valid_pin(pin: str) -> bool:
    return MIN_DIGITS <= len(pin) <= MAX_DIGITS and pin.isascii() and pin.isdigit()


def lockout_for(failures: int) -> float:
    """Seconds locked after `failures` consecutive wrong PINs."""
    if failures < MAX_FAILURES:
        return 0.0
    return min(LOCKOUT_S * float(2 ** (failures - MAX_FAILURES)), MAX_LOCKOUT_S)


class PinStore:
    """The PIN file in the data folder; safe to use from several threads."""

    def __init__(
        self,
        base: Path,
        *,
        cost: KdfCost = KdfCost(),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = base / PIN_FILE
        self._cost = cost
        self._clock = clock
        self._lock = threading.Lock()
        failures = int(self._read().get("failures", 0))
        self._locked_until = clock() + lockout_for(failures)

    def is_set(self) -> bool:
        return "hash" in self._read()

    def locked_for(self) -> float:
        """Seconds until a PIN may be tried again (0 when not locked)."""
        return max(0.0, self._locked_until - self._clock())

    def set_pin(self, pin: str) -> None:
        if not valid_pin(pin):
            raise ValueError(f"a PIN is {MIN_DIGITS} to {MAX_DIGITS} digits")
        salt = secrets.token_bytes(16)
        record = {
            "kdf": "argon2id",
            "memory_kib": self._cost.memory_kib,
            "iterations": self._cost.iterations,
            "lanes": self._cost.lanes,
            "salt": _b64(salt),
            "hash": _b64(self._derive(pin, salt, self._cost)),
            "failures": 0,
        }
        with self._lock:
            self._write(record)
            self._locked_until = self._clock()

    def check(self, pin: str) -> PinCheck:
        """Compare `pin` with the stored hash (slow); counts failures and applies the lockout."""
        with self._lock:
            record = self._read()
            failures = int(record.get("failures", 0))
            if self.locked_for() > 0:
                return PinCheck(False, self.locked_for(), failures)
            if "hash" not in record or not self._matches(pin, record):
                return self._failed(record, failures + 1)
            if failures:
                self._write({**record, "failures": 0})
            return PinCheck(True)

    def _failed(self, record: dict[str, Any], failures: int) -> PinCheck:
        if "hash" in record:
            self._write({**record, "failures": failures})
        self._locked_until = self._clock() + lockout_for(failures)
        return PinCheck(False, lockout_for(failures), failures)

    def _matches(self, pin: str, record: dict[str, Any]) -> bool:
        if not valid_pin(pin):
            return False
        try:
            cost = KdfCost(
                int(record["memory_kib"]), int(record["iterations"]), int(record["lanes"])
            )
            salt, expected = base64.b64decode(record["salt"]), base64.b64decode(record["hash"])
            derived = self._derive(pin, salt, cost)
        except (KeyError, ValueError, TypeError):  # a damaged file accepts no PIN
            return False
        return hmac.compare_digest(derived, expected)

    @staticmethod
    def _derive(pin: str, salt: bytes, cost: KdfCost) -> bytes:
        kdf = Argon2id(
            salt=salt,
            length=32,
            iterations=cost.iterations,
            lanes=cost.lanes,
            memory_cost=cost.memory_kib,
        )
        return kdf.derive(pin.encode("ascii"))

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, record: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".admin-pin-")
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(record, stream)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
