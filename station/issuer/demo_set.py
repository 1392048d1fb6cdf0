"""A demo authority and a labelled set of passes: valid and invalid, for `station demo`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from station.issuer.dcc import DccOptions, issue_dcc, test_payload, vaccination_payload
from station.issuer.pki import Signer, make_signer


@dataclass(frozen=True)
class DemoPass:
    label: str
    text: str
    expected: str


@dataclass(frozen=True)
class DemoAuthority:
    """Trusted signers of the demo (their certificates go into the station's trust store)."""

    es256: Signer
    ps256: Signer

    @property
    def trusted(self) -> tuple[Signer, ...]:
        return (self.es256, self.ps256)


def make_authority(now: datetime) -> DemoAuthority:
    start = now - timedelta(days=365)
    return DemoAuthority(
        es256=make_signer(
            algorithm="ES256",
            common_name="Demo Ministry of Health DSC",
            not_before=start,
            valid_days=3 * 365,
            usages="vtr",
        ),
        ps256=make_signer(
            algorithm="PS256",
            common_name="Demo Vaccine Passport DSC",
            not_before=start,
            valid_days=3 * 365,
            usages="v",
        ),
    )


def demo_passes(authority: DemoAuthority, now: datetime) -> list[DemoPass]:
    issued, expires = now - timedelta(days=30), now + timedelta(days=335)
    vaccination = vaccination_payload()
    stranger = make_signer(algorithm="ES256", common_name="Unknown issuer", not_before=issued)
    valid_es = issue_dcc(authority.es256, vaccination, issued_at=issued, expires=expires)
    tampered = valid_es[:60] + ("A" if valid_es[60] != "A" else "B") + valid_es[61:]
    return [
        DemoPass("Vaccination pass, ES256", valid_es, "VALID"),
        DemoPass(
            "Vaccine passport, PS256 (RSA-2048)",
            issue_dcc(
                authority.ps256,
                vaccination_payload(family="Lê", given="Thu Hà", dob="1972-09-30"),
                issued_at=issued,
                expires=expires,
            ),
            "VALID",
        ),
        DemoPass(
            "Test certificate",
            issue_dcc(authority.es256, test_payload(), issued_at=issued, expires=expires),
            "VALID",
        ),
        DemoPass(
            "Expired pass",
            issue_dcc(
                authority.es256,
                vaccination,
                issued_at=now - timedelta(days=400),
                expires=now - timedelta(days=35),
            ),
            "INVALID",
        ),
        DemoPass(
            "Test pass signed by a vaccination-only key",
            issue_dcc(authority.ps256, test_payload(), issued_at=issued, expires=expires),
            "INVALID",
        ),
        DemoPass(
            "Pass from an unknown issuer",
            issue_dcc(stranger, vaccination, issued_at=issued, expires=expires),
            "INVALID",
        ),
        DemoPass("Tampered pass", tampered, "INVALID"),
        DemoPass("Shop barcode text", "8934588012228", "INVALID"),
    ]


def demo_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


__all__ = ["DemoAuthority", "DemoPass", "DccOptions", "demo_passes", "make_authority", "replace"]
