"""Protocols the core depends on; `station/store` and `station/adapters` implement them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from station.trust.certificate import TrustedCertificate


class Clock(Protocol):
    """Source of the validation time; injected so no stage ever reads the wall clock."""

    def now(self) -> datetime: ...


class SignerLookup(Protocol):
    """Finds every trusted signer certificate that carries a kid."""

    def signers_for(self, kid: bytes) -> Sequence[TrustedCertificate]: ...
