"""The station's own exception tree.

`Reject` is the only exception a decoding stage may raise: library errors (zlib, cryptography,
struct, UnicodeDecodeError, ...) are caught at the stage edge and turned into a `Reject` with a
reason code.  Anything else escaping a stage is a bug.
"""

from __future__ import annotations

from station.reasons import Reason


class StationError(Exception):
    """Base of every error the station raises on purpose."""


class Reject(StationError):
    """Input refused by a stage, with a stable reason code and a non-personal detail."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail


class TrustImportError(StationError):
    """A trust file could not be read as certificates."""


class ConfigError(StationError):
    """The station's configuration is invalid."""
