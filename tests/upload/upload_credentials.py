"""Real signed credentials carrying a canary holder, and real verifiers that accept them.

Used by the privacy tests: each family's issuer signs a pass for `ZZCANARY<random>` born on an
unusual date, the station's own Verifier decides, and the result goes to the entry log exactly
as a scan would send it.
"""

from __future__ import annotations

import base64
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.nzcp import issue_nzcp, new_issuer, public_covid_pass
from station.issuer.shc import (
    ShcOptions,
    card_payload,
    chunk_texts,
    issue_shc,
    make_shc_issuer,
    sign_jws,
    vaccination_bundle,
)
from station.model import VerificationResult
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify.nzcp_keys import jwks_from_did_document
from station.verify.verifier import Verifier

#: A date of birth no fixture or default uses, so any hit is the canary's.
CANARY_DOB = "1903-07-29"


@dataclass(frozen=True)
class Canary:
    """The holder's family name (unique per run) and the forms a leak could take."""

    name: str
    dob: str = CANARY_DOB

    @classmethod
    def new(cls) -> Canary:
        letters = "".join(secrets.choice(string.ascii_uppercase) for _ in range(12))
        return cls("ZZCANARY" + letters)  # letters only: a DCC's ICAO name allows no digits

    def needles(self) -> dict[str, bytes]:
        """Every encoding to search raw bytes for: UTF-8, UTF-16 and base64 at each alignment."""
        found: dict[str, bytes] = {}
        for label, value in (("name", self.name), ("dob", self.dob)):
            raw = value.encode("utf-8")
            found[f"{label} utf-8"] = raw
            found[f"{label} utf-16-le"] = value.encode("utf-16-le")
            found[f"{label} utf-16-be"] = value.encode("utf-16-be")
            for shift in range(3):
                found[f"{label} base64+{shift}"] = _b64_core(raw, shift, url=False)
                found[f"{label} base64url+{shift}"] = _b64_core(raw, shift, url=True)
        return found


@dataclass(frozen=True)
class Scan:
    """A scanned text and the verifier's result for it."""

    text: str
    result: VerificationResult


def _b64_core(raw: bytes, shift: int, *, url: bool) -> bytes:
    """The base64 characters that encode only `raw`, when it starts `shift` bytes into a block."""
    encoder = base64.urlsafe_b64encode if url else base64.b64encode
    text = encoder(b"\x00" * shift + raw)
    start = (shift * 4 + 2) // 3
    return text[start:-4]


def verified_family_results(
    canary: Canary, es256_signer: Any, cache_path: Path, now: datetime
) -> dict[str, Scan]:
    """VALID DCC, SHC and NZCP results for the canary, each from the real Verifier.

    The caller must let the NZCP verifier accept the spec's test issuer (as the NZCP tests do).
    """
    clock = FixedClock(now)
    dcc = issue_dcc(
        es256_signer,
        vaccination_payload(family=canary.name, given="ZZGIVEN", dob=canary.dob),
        issued_at=now - timedelta(days=30),
        expires=now + timedelta(days=180),
    )
    dcc_verifier = Verifier(TrustIndex([load_trusted_certificate(es256_signer.der)]), clock)
    shc_issuer, nz_issuer = make_shc_issuer(), new_issuer()
    shc = issue_shc(
        shc_issuer,
        vaccination_bundle(family=canary.name, given=("ZZGIVEN",), birth_date=canary.dob),
        nbf=now - timedelta(days=1),
        exp=now + timedelta(days=365),
    )
    nzcp = issue_nzcp(
        nz_issuer,
        public_covid_pass(given="ZZGIVEN", family=canary.name, dob=canary.dob),
        not_before=now - timedelta(days=1),
        expires=now + timedelta(days=100),
    )
    with open_cache(cache_path) as cache:
        keys = IssuerKeyCache(cache)
        keys.import_keys("shc", shc_issuer.iss, shc_issuer.jwks()["keys"])
        nz_keys = jwks_from_did_document(nz_issuer.did_document())["keys"]
        keys.import_keys("nzcp", nz_issuer.did, nz_keys)
        cached = Verifier(CachedTrust(cache, clock).sources(), clock)
        return {
            "dcc": Scan(dcc, dcc_verifier.verify(dcc)),
            "shc": Scan(shc, cached.verify(shc)),
            "nzcp": Scan(nzcp, cached.verify(nzcp)),
        }


def other_verdicts(canary: Canary, es256_signer: Any, now: datetime) -> dict[str, Scan]:
    """An INVALID (expired) DCC, a CHECK_MANUALLY (one chunk of a chunked SHC) and garbage text
    that itself carries the canary (the raw scanned text must never be stored)."""
    clock = FixedClock(now)
    verifier = Verifier(TrustIndex([load_trusted_certificate(es256_signer.der)]), clock)
    expired = issue_dcc(
        es256_signer,
        vaccination_payload(family=canary.name, given="ZZGIVEN", dob=canary.dob),
        issued_at=now - timedelta(days=200),
        expires=now - timedelta(days=10),
    )
    issuer = make_shc_issuer()
    bundle = vaccination_bundle(family=canary.name, given=("ZZGIVEN",), birth_date=canary.dob)
    payload = card_payload(issuer.iss, bundle, nbf=now - timedelta(days=1))
    first_chunk = chunk_texts(sign_jws(issuer, payload, ShcOptions()), max_chunk=400)[0]
    garbage = f"hello {canary.name} {canary.dob} \x00\x01 not a pass"
    return {
        "invalid": Scan(expired, verifier.verify(expired)),
        "check_manually": Scan(first_chunk, verifier.verify(first_chunk)),
        "garbage": Scan(garbage, verifier.verify(garbage)),
    }
