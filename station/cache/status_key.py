"""Keys of the national status list: a memory-hard hash of the ID number, never the number itself.

A 12-digit citizen ID (CCCD) space is small enough to enumerate, so a plain or salted fast hash
would let anyone holding a copied cache list who is on it in minutes. Each list therefore names
an Argon2id parameter set and a random per-list salt chosen by the hub; the station stores only
the 16-byte keys. Looking up one person costs one derivation (about 50 ms on a laptop core at the
default 19 MiB, 2 passes; see docs/status-list.md for measured costs), and so does every guess of
an attacker, who also needs 19 MiB of memory per guess in flight.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

ALGORITHM = "argon2id"
KEY_LENGTH = 16
#: The smallest parameters a list may use: below these a copied cache is cheap to enumerate.
MIN_MEMORY_KIB = 8 * 1024
MIN_ITERATIONS = 1
MIN_SALT_BYTES = 16
_ID_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True, slots=True)
class KdfParams:
    """The list-wide derivation parameters (sent with every status-list bundle)."""

    salt: bytes
    memory_kib: int = 19 * 1024
    iterations: int = 2
    lanes: int = 1
    length: int = KEY_LENGTH

    def __post_init__(self) -> None:
        if len(self.salt) < MIN_SALT_BYTES:
            raise ValueError(f"the status-list salt must be at least {MIN_SALT_BYTES} bytes")
        if self.memory_kib < MIN_MEMORY_KIB or self.iterations < MIN_ITERATIONS:
            raise ValueError("the status-list KDF parameters are too weak")
        if self.lanes < 1 or self.length != KEY_LENGTH:
            raise ValueError("unsupported status-list KDF parameters")

    def to_json(self) -> dict[str, Any]:
        return {
            "algorithm": ALGORITHM,
            "salt": base64.b64encode(self.salt).decode("ascii"),
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
            "length": self.length,
        }

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        """Parse the `kdf` object of a bundle; ValueError for anything unexpected."""
        if not isinstance(data, dict) or data.get("algorithm") != ALGORITHM:
            raise ValueError("the status list names an unsupported key derivation")
        try:
            return cls(
                salt=base64.b64decode(str(data["salt"]), validate=True),
                memory_kib=int(data["memory_kib"]),
                iterations=int(data["iterations"]),
                lanes=int(data["lanes"]),
                length=int(data["length"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"the status-list KDF parameters are malformed: {exc}") from exc


def normalise_id_number(text: str) -> str:
    """The canonical form of an ID number: digits only (spaces, dots and dashes dropped).

    Raises ValueError for anything that is not 9 to 12 digits (old 9-digit CMND, 12-digit CCCD).
    """
    digits = _ID_SEPARATORS.sub("", text.strip())
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (9, 12):
        raise ValueError("an ID number is 9 or 12 digits")
    return digits


def derive_status_key(id_number: str, params: KdfParams) -> bytes:
    """The 16-byte list key of an ID number under `params` (deliberately slow)."""
    kdf = Argon2id(
        salt=params.salt,
        length=params.length,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalise_id_number(id_number).encode("ascii"))
