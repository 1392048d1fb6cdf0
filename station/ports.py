"""Protocols the core depends on; `station/store` and `station/adapters` implement them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import NDArray

from station.trust.certificate import TrustedCertificate

if TYPE_CHECKING:  # the scan package imports this module; annotations only need the names
    from station.scan.frames import Frame, SourceState


class Clock(Protocol):
    """Source of the validation time; injected so no stage ever reads the wall clock."""

    def now(self) -> datetime: ...


class SignerLookup(Protocol):
    """Finds every trusted signer certificate that carries a kid."""

    def signers_for(self, kid: bytes) -> Sequence[TrustedCertificate]: ...


class QrReader(Protocol):
    """One QR decoder: raw payloads of every code it finds in an 8-bit grayscale image."""

    def __call__(self, gray: NDArray[np.uint8]) -> list[bytes]: ...


class FrameSource(Protocol):
    """A camera, or something played as one (video file, image folder, still image).

    `read()` returns the next frame, or None when none is available now; `state` then says why.
    It never raises for a missing or vanished device: it reports DISCONNECTED and reconnects.
    `problem` says why in plain words when the state is not LIVE ("" when nothing is known).
    """

    problem: str

    @property
    def name(self) -> str: ...

    @property
    def state(self) -> SourceState: ...

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...
