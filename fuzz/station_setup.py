"""The station every harness verifies against, built once per process with real keys.

The demo world's hub is started in a temporary folder, a station is enrolled and synced there
through the real `station enroll` / `station sync` code (signers, issuer keys, revocations and
the national status list), and the hub is stopped again. On top of that the harnesses' own
issuers are trusted the way an operator would add them: a DCC document signer imported into the
cache, a SMART Health Card issuer's JWKS and an NZ COVID Pass issuer's DID keys imported as
issuer keys. Those private keys let a harness sign a fuzzed payload, so that stages behind the
signature (inflate, payload parsing, validity, key usage, revocation, rules) are reached too.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase, open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.signers import SignerCache
from station.cache.trust_view import CachedTrust
from station.config import VerifierConfig
from station.issuer import nzcp, shc
from station.issuer.demo_world import DemoWorld
from station.issuer.pki import Signer, make_signer
from station.model import VerificationResult
from station.reasons import Reason, Status
from station.rules.profiles import resolve_profile
from station.verify.nzcp_keys import jwks_from_did_document
from station.verify.verifier import Verifier

#: The business-rule profile the fuzzed station applies (so DCC payloads reach CertLogic).
PROFILE = "checkpoint"
FUZZ_SHC_ISSUER = "https://fuzz.checkpoint-station.example/shc"
FUZZ_NZCP_ISSUER = "did:web:fuzz.checkpoint-station.example"
REASON_CODES = frozenset(str(reason) for reason in Reason)


@dataclass(frozen=True)
class FuzzStation:
    """A synced station's verifier, the demo world it trusts and the harnesses' own issuers."""

    folder: Path
    world: DemoWorld
    cache: CacheDatabase
    verifier: Verifier
    dcc_signer: Signer
    shc_issuer: shc.ShcIssuer
    nzcp_issuer: nzcp.NzcpIssuer

    @property
    def now(self) -> datetime:
        return self.world.now


@functools.cache
def fuzz_station() -> FuzzStation:
    """Build the station (a few seconds); later calls in the process return the same one."""
    from sync.demo_backend import demo_backend  # sync may import station, not the reverse

    folder = Path(tempfile.mkdtemp(prefix="station-fuzz-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    with contextlib.redirect_stdout(None), demo_backend(folder, say=lambda _: None) as backend:
        world = backend.world
    cache = open_cache(backend.station_base / "cache.sqlite")
    dcc_signer = make_signer(not_before=world.now - timedelta(days=365), usages="vtr")
    shc_issuer = shc.make_shc_issuer(FUZZ_SHC_ISSUER)
    nzcp_issuer = nzcp.new_issuer(FUZZ_NZCP_ISSUER)
    _trust_own_issuers(cache, dcc_signer, shc_issuer, nzcp_issuer)
    clock = FixedClock(world.now)
    config = VerifierConfig(
        rules=resolve_profile(PROFILE),
        nzcp_extra_issuers=frozenset({FUZZ_NZCP_ISSUER, *_extra_issuers(world)}),
    )
    verifier = Verifier(CachedTrust(cache, clock).sources(), clock, config)
    return FuzzStation(folder, world, cache, verifier, dcc_signer, shc_issuer, nzcp_issuer)


def _trust_own_issuers(
    cache: CacheDatabase, signer: Signer, shc_issuer: shc.ShcIssuer, nz_issuer: nzcp.NzcpIssuer
) -> None:
    SignerCache(cache).import_der([signer.der], "fuzz")
    keys = IssuerKeyCache(cache)
    keys.import_keys("shc", shc_issuer.iss, shc_issuer.jwks()["keys"])
    nz_keys = jwks_from_did_document(nz_issuer.did_document())["keys"]
    keys.import_keys("nzcp", nz_issuer.did, nz_keys)


def _extra_issuers(world: DemoWorld) -> tuple[str, ...]:
    return tuple(value for key, value in world.station_settings if key == "nzcp_extra_issuers")


class BrokenPromise(AssertionError):
    """A front door returned something it promises never to return (a finding, not a refusal)."""


def check_result(result: VerificationResult) -> VerificationResult:
    """What every verdict promises: a known status, a reason code, a serialisable record, and
    a named failed check whenever it is not VALID."""
    if result.status not in set(Status):
        raise BrokenPromise(f"unknown status {result.status!r}")
    if result.reason not in REASON_CODES:
        raise BrokenPromise(f"unknown reason code {result.reason!r}")
    if result.status is Status.INVALID and not result.failed_checks:
        raise BrokenPromise("an INVALID verdict names no failed check")
    result.to_json()
    return result


def as_scanned_text(data: bytes) -> str:
    """The text a QR reader hands over for these bytes: UTF-8 when they are UTF-8, else Latin-1
    (how byte-mode codes such as DIVOC's ZIP archive reach the verifier)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def scanned_bytes(text: str) -> bytes:
    """Bytes that `as_scanned_text` turns back into `text` (for seeds): Latin-1 first for a
    binary payload such as a ZIP archive, UTF-8 first for everything else."""
    binary = any(ord(char) < 32 and char not in "\r\n\t" for char in text)
    for encoding in ("latin-1", "utf-8") if binary else ("utf-8", "latin-1"):
        try:
            raw = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        if as_scanned_text(raw) == text:
            return raw
    return text.encode("utf-8")
