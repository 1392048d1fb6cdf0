"""The verifier every front end uses: text in, `VerificationResult` out.

It owns the ports (signer lookup, clock) and the configuration; stages below it are pure and
receive the validation instant as a value.
"""

from __future__ import annotations

from datetime import datetime

from station.config import VerifierConfig
from station.model import VerificationResult
from station.ports import Clock, SignerLookup
from station.verify.router import route, unrecognised


class Verifier:
    """Verifies scanned texts against a signer lookup at the clock's time."""

    def __init__(
        self, signers: SignerLookup, clock: Clock, config: VerifierConfig | None = None
    ) -> None:
        self.signers = signers
        self.clock = clock
        self.config = config or VerifierConfig()

    def verify(
        self, text: str, *, at: datetime | None = None, signers: SignerLookup | None = None
    ) -> VerificationResult:
        """Verify one scanned text; `at` and `signers` override the defaults for this call."""
        now = at or self.clock.now()
        family = route(text)
        if family is None:
            return unrecognised(text, now, self.config)
        return family.verify(text, signers or self.signers, now, self.config)
