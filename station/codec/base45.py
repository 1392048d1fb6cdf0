"""Base45 (RFC 9285), decoded strictly.

Strict means: only the 45 upper-case characters of the alphabet, no whitespace, no length of the
form 3n+1, and no chunk above its maximum value.  Lenient decoders that skip or fold such input
let two verifiers disagree about the same pass.
"""

from __future__ import annotations

import numpy as np

from station.errors import Reject
from station.reasons import Reason

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INVALID = 0xFF
#: Weights of the three characters of a chunk (least significant first), as a column vector.
_WEIGHTS = np.array([1, 45, 2025], dtype=np.uint32)
_DECODE_TABLE = bytes(
    ALPHABET.index(chr(i)) if chr(i) in ALPHABET else _INVALID for i in range(256)
)


def decode_base45(text: str) -> bytes:
    """Decode Base45 text to bytes, raising `Reject(BASE45_INVALID)` on any irregularity."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise Reject(Reason.BASE45_INVALID, "non-ASCII character") from None
    values = raw.translate(_DECODE_TABLE)
    if _INVALID in values:
        raise Reject(Reason.BASE45_INVALID, "character outside the Base45 alphabet")
    tail = len(values) % 3
    if tail == 1:
        raise Reject(Reason.BASE45_INVALID, "length is not valid for Base45")
    full = len(values) - tail
    words = np.frombuffer(values, dtype=np.uint8, count=full).reshape(-1, 3) @ _WEIGHTS
    if words.size and int(words.max()) > 0xFFFF:
        raise Reject(Reason.BASE45_INVALID, "chunk value out of range")
    out = words.astype(">u2").tobytes()
    if tail == 2:
        last = values[full] + values[full + 1] * 45
        if last > 0xFF:
            raise Reject(Reason.BASE45_INVALID, "final chunk value out of range")
        out += bytes((last,))
    return out


def encode_base45(data: bytes) -> str:
    """Encode bytes as Base45 (used by the test issuer)."""
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        c, n = divmod(n, 2025)
        b, a = divmod(n, 45)
        out.append(ALPHABET[a] + ALPHABET[b] + ALPHABET[c])
    if len(data) % 2:
        b, a = divmod(data[-1], 45)
        out.append(ALPHABET[a] + ALPHABET[b])
    return "".join(out)
