"""Fixtures of the WHO DDCC:VS tests: a verifier trusting the session's ES256 DSC, and helpers
that issue passes around the shared validation instant `now`.

Test modules load this with `pytest_plugins = ["ddcc_fixtures"]`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from station.adapters.clock import FixedClock
from station.issuer.dcc import DccOptions
from station.issuer.ddcc import core_data_set, issue_ddcc
from station.issuer.pki import Signer
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier

Issue = Callable[..., str]


@pytest.fixture()
def ddcc_verifier(es256_signer: Signer, ps256_signer: Signer, now: datetime) -> Verifier:
    trusted = [load_trusted_certificate(s.der) for s in (es256_signer, ps256_signer)]
    return Verifier(TrustIndex(trusted), FixedClock(now))


@pytest.fixture()
def issue(es256_signer: Signer, now: datetime) -> Issue:
    """issue(payload=None, signer=None, issued_at=now-1d, expires=now+100d, subclaim=1, ...)"""

    def _issue(
        payload: Any = None,
        *,
        signer: Signer | None = None,
        issued_at: datetime | None = None,
        expires: datetime | None = None,
        subclaim: int = 1,
        options: DccOptions | None = None,
    ) -> str:
        return issue_ddcc(
            signer or es256_signer,
            core_data_set() if payload is None else payload,
            issued_at=issued_at or now - timedelta(days=1),
            expires=expires or now + timedelta(days=100),
            subclaim=subclaim,
            options=options,
        )

    return _issue
