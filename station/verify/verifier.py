"""The verifier every front end uses: text in, `VerificationResult` out.

It owns the ports (signer lookup, clock) and the configuration; stages below it are pure and
receive the validation instant as a value.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from station.config import VerifierConfig
from station.model import VerificationResult
from station.ports import Clock, SignerLookup, TrustSources
from station.verify.router import route, unrecognised


class Verifier:
    """Verifies scanned texts against the trust sources at the clock's time."""

    def __init__(
        self,
        signers: SignerLookup | TrustSources,
        clock: Clock,
        config: VerifierConfig | None = None,
    ) -> None:
        self.trust = signers if isinstance(signers, TrustSources) else TrustSources(signers)
        self.clock = clock
        self.config = config or VerifierConfig()

    @property
    def signers(self) -> SignerLookup:
        return self.trust.signers

    def verify(
        self, text: str, *, at: datetime | None = None, signers: SignerLookup | None = None
    ) -> VerificationResult:
        """Verify one scanned text; `at` and `signers` override the defaults for this call."""
        now = at or self.clock.now()
        family = route(text)
        if family is None:
            return unrecognised(text, now, self.config)
        trust = self.trust
        if signers is not None:  # a request's own trust list replaces the store's signer view
            trust = replace(trust, signers=signers, withdrawn=None)
        return family.verify(text, trust, now, self.config)
