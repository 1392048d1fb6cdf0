"""Harness 1: the whole verifier front door, `Verifier.verify(text)`, for any scanned text.

Every family is behind it (HC1, shc:/, NZCP:/, VDS-NC JSON, DIVOC ZIP read as Latin-1, PC-Covid
and chip-card QRs), against a synced station with real signers, issuer keys, revocations, the
national status list and the checkpoint rule profile. Its promise: a result with a known reason
code for every input, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from fuzz import vectors
from fuzz.station_setup import as_scanned_text, check_result, fuzz_station, scanned_bytes
from station.issuer import nzcp, shc
from station.issuer.dcc import issue_dcc, test_payload, vaccination_payload


def TestOneInput(data: bytes) -> None:  # noqa: N802 (the libFuzzer entry point's name)
    station = fuzz_station()
    check_result(station.verifier.verify(as_scanned_text(data)))


def seeds() -> Iterator[bytes]:
    """The demo world's passes, the harness issuers' own, and the conformance vectors."""
    for text in _texts():
        yield scanned_bytes(text)
    yield from vectors.divoc_archives()


def _texts() -> Iterator[str]:
    station = fuzz_station()
    yield from (credential.text for credential in station.world.credentials)
    yield from _own_passes()
    yield from vectors.dgc_texts()
    yield from vectors.shc_numeric_texts()
    yield from vectors.nzcp_texts()
    yield from vectors.vds_texts()
    yield from vectors.divoc_credentials()


def _own_passes() -> Iterator[str]:
    station = fuzz_station()
    issued, expires = station.now - timedelta(days=30), station.now + timedelta(days=200)
    for certificate in (vaccination_payload(), test_payload()):
        yield issue_dcc(station.dcc_signer, certificate, issued_at=issued, expires=expires)
    card = shc.vaccination_bundle()
    yield shc.issue_shc(station.shc_issuer, card, nbf=issued, exp=expires)
    yield nzcp.issue_nzcp(station.nzcp_issuer, not_before=issued, expires=expires)
