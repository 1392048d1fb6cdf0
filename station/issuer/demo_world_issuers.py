"""The demo's credentials of the families whose issuers the hub allow-lists with their keys:
SMART Health Cards, NZ COVID Pass, ICAO VDS-NC and DIVOC.

Each builder returns the credentials and the `IssuerRegistration` that makes them verifiable,
in the shape the station reads issuer keys for that family (see station/verify/*_trust,
*_keys and *_signature), so a station that synced the hub judges them without any local import.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from station.issuer import divoc, nzcp, shc, vds
from station.issuer.demo_world_model import (
    DemoCredential,
    IssuerRegistration,
    WorldPart,
    people,
    split_name,
)
from station.issuer.vn_qr import VnPerson, ascii_capitals
from station.reasons import Reason, Status
from station.verify.nzcp_keys import jwks_from_did_document

SHC_ISSUER = "https://shc.demo.moh.gov.vn"
#: The demo's own NZ COVID Pass issuer: never the production DID. A station accepts it only
#: with the DID in its `nzcp_extra_issuers` setting (`DemoWorld.station_settings`).
NZCP_ISSUER = "did:web:nzcp.demo.checkpoint-station.example"
NZCP_KID = "demo-key-1"
VDS_COUNTRY = "VNM"
#: Holders of the NZ passes: the one family here whose holders are not Vietnamese.
_NZ_NAMES = (("Aroha", "Ngata"), ("James", "Wilson"), ("Mere", "Parata"), ("Tom", "Harris"))


def smart_health_card_part(now: datetime, rng: random.Random) -> WorldPart:
    """A card and a revoked card: the issuer's CRL (published with its key) lists its `rid`."""
    issuer = shc.make_shc_issuer(SHC_ISSUER)
    holder, revoked_holder = people(rng, 2)
    good_rid, revoked_rid = _rid(rng), _rid(rng)
    nbf = now - timedelta(days=40)
    valid = shc.issue_shc(issuer, _shc_bundle(holder), nbf=nbf, rid=good_rid)
    revoked = shc.issue_shc(issuer, _shc_bundle(revoked_holder), nbf=nbf, rid=revoked_rid)
    crl = {"kid": issuer.kid, "method": "rid", "ctr": 1, "rids": [revoked_rid]}
    return WorldPart(
        (
            DemoCredential("SMART Health Card, vaccinated", "shc", valid, Status.VALID),
            DemoCredential(
                "SMART Health Card, revoked by its issuer",
                "shc",
                revoked,
                Status.INVALID,
                Reason.REVOKED,
            ),
        ),
        issuers=(IssuerRegistration("shc", issuer.iss, (issuer.public_jwk(),), (crl,)),),
    )


def _rid(rng: random.Random) -> str:
    """A revocation id as issuers make them: 64 bits, base64url (11 characters)."""
    return vds.b64url(rng.randbytes(8))


def _shc_bundle(person: VnPerson) -> dict[str, object]:
    family, given = split_name(person)
    return shc.vaccination_bundle(family, given.split(), person.birth_date.isoformat())


def nz_covid_pass_part(now: datetime, rng: random.Random) -> WorldPart:
    """A pass and an expired pass of the demo key, published under the pinned issuer DID."""
    issuer = nzcp.new_issuer(NZCP_ISSUER, NZCP_KID)
    holders = rng.sample(_NZ_NAMES, 2)
    valid = _nz_pass(issuer, holders[0], now - timedelta(days=30), now + timedelta(days=335), rng)
    expired = _nz_pass(issuer, holders[1], now - timedelta(days=400), now - timedelta(days=35), rng)
    keys = jwks_from_did_document(issuer.did_document())["keys"]
    return WorldPart(
        (
            DemoCredential("NZ COVID Pass", "nzcp", valid, Status.VALID),
            DemoCredential(
                "NZ COVID Pass, expired", "nzcp", expired, Status.INVALID, Reason.EXPIRED
            ),
        ),
        issuers=(IssuerRegistration("nzcp", issuer.did, tuple(keys)),),
    )


def _nz_pass(
    issuer: nzcp.NzcpIssuer,
    name: tuple[str, str],
    not_before: datetime,
    expires: datetime,
    rng: random.Random,
) -> str:
    born = f"{rng.randrange(1950, 2000)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    vc = nzcp.public_covid_pass(given=name[0], family=name[1], dob=born)
    cti = uuid.UUID(int=rng.getrandbits(128), version=4).bytes
    return nzcp.issue_nzcp(issuer, vc, not_before=not_before, expires=expires, cti=cti)


def icao_vds_part(now: datetime, rng: random.Random) -> WorldPart:
    """A seal, and a seal by a barcode signer the country's CSCA has since revoked."""
    start = now - timedelta(days=365)
    authority = vds.make_country_authority(
        "VN", not_before=start, common_name="Demo Viet Nam Country Signing CA"
    )
    options = vds.SignerOptions(not_before=now - timedelta(days=90), valid_days=730)
    signer, withdrawn = (vds.make_barcode_signer(authority, options) for _ in range(2))
    holder, revoked_holder = people(rng, 2)
    key = authority.issuer_key(revoked_serials=[format(withdrawn.serial, "x")])
    return WorldPart(
        (
            DemoCredential(
                "ICAO travel seal (VDS-NC), vaccinated",
                "vds",
                vds.issue_vds(signer, _vds_message(holder)),
                Status.VALID,
            ),
            DemoCredential(
                "ICAO travel seal (VDS-NC), signer revoked",
                "vds",
                vds.issue_vds(withdrawn, _vds_message(revoked_holder)),
                Status.INVALID,
                Reason.SIGNER_REVOKED,
            ),
        ),
        issuers=(IssuerRegistration("vds", VDS_COUNTRY, (key,)),),
    )


def _vds_message(person: VnPerson) -> dict[str, object]:
    """ICAO writes the name "PRIMARY  SECONDARY" in capitals without diacritics."""
    family, given = split_name(person)
    name = f"{ascii_capitals(family)}  {ascii_capitals(given)}"
    return vds.vaccination_message(name=name, dob=person.birth_date.isoformat())


def divoc_part(now: datetime, rng: random.Random) -> WorldPart:
    """A certificate, and the same certificate with the holder's name changed after signing."""
    issuer = divoc.new_issuer("EdDSA")
    holder, impostor = people(rng, 2)
    issued = now - timedelta(days=50)
    credential = divoc.vaccination_credential(
        issued_at=issued,
        name=holder.name,
        dob=holder.birth_date.isoformat(),
        gender="Male" if holder.sex == "M" else "Female",
        certificate_id=f"{rng.randrange(10**12):012d}",
    )
    signed = divoc.sign_credential(issuer, credential, issued)
    subject = {**signed["credentialSubject"], "name": impostor.name}
    altered = divoc.pack(divoc.certificate_json({**signed, "credentialSubject": subject}))
    return WorldPart(
        (
            DemoCredential(
                "DIVOC vaccination certificate",
                "divoc",
                divoc.as_text(divoc.pack(divoc.certificate_json(signed))),
                Status.VALID,
            ),
            DemoCredential(
                "DIVOC, name changed after signing",
                "divoc",
                divoc.as_text(altered),
                Status.INVALID,
                Reason.SIGNATURE_INVALID,
            ),
        ),
        issuers=(IssuerRegistration("divoc", issuer.issuer, (issuer.public_jwk(),)),),
    )
