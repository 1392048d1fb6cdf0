"""The demo's `HC1:` passes: EU DCCs (the `station demo` set, plus one the hub revokes) and WHO
DDCCs, all signed by document signers the hub publishes in its trust list."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from station.codec.base45 import decode_base45
from station.codec.cbor import Tagged, decode_cbor
from station.codec.cbor_encode import encode_cbor
from station.issuer.dcc import encode_hc1, issue_dcc, vaccination_payload
from station.issuer.ddcc import core_data_set, issue_ddcc
from station.issuer.demo_set import DemoAuthority, demo_passes, make_authority
from station.issuer.demo_world_model import DemoCredential, WorldPart, people, split_name
from station.issuer.pki import make_signer
from station.reasons import Reason, Status

#: The passes of `station demo` shown here, by their label there: (label, family, reason).
#: The RSA vaccine passport is left out (its signer still matters: it signs the key-usage case).
_FROM_DEMO_SET: dict[str, tuple[str, str, Reason | None]] = {
    "Vaccination pass, ES256": ("EU COVID certificate, vaccinated", "dcc", None),
    "Test certificate": ("EU COVID certificate, negative test", "dcc", None),
    "Expired pass": ("EU COVID certificate, expired", "dcc", Reason.EXPIRED),
    "Test pass signed by a vaccination-only key": (
        "EU COVID test signed by a vaccination key",
        "dcc",
        Reason.KEY_USAGE_MISMATCH,
    ),
    "Pass from an unknown issuer": (
        "EU COVID certificate, unknown issuer",
        "dcc",
        Reason.KID_UNKNOWN,
    ),
    # One character changed in the QR text: decoding fails before any signature is checked,
    # and which decoding step notices depends on the bytes, so no single reason is promised.
    "Tampered pass": ("EU COVID certificate, damaged or tampered QR", "dcc", None),
    "Shop barcode text": (
        "Shop barcode, not a health pass",
        "other",
        Reason.NOT_A_HEALTH_CREDENTIAL,
    ),
}


def eu_dcc_part(now: datetime, rng: random.Random) -> WorldPart:
    """The `station demo` passes and a pass revoked through the hub's revocation list."""
    authority = make_authority(now)
    credentials = []
    for demo in demo_passes(authority, now):
        if demo.label in _FROM_DEMO_SET:
            label, family, reason = _FROM_DEMO_SET[demo.label]
            credentials.append(DemoCredential(label, family, demo.text, demo.expected, reason))
    if len(credentials) != len(_FROM_DEMO_SET):
        raise RuntimeError("the `station demo` pass set no longer has the passes shown here")
    revoked = _revoked_pass(authority, now, rng)
    credentials.append(
        DemoCredential(
            "EU COVID certificate, revoked", "dcc", revoked, Status.INVALID, Reason.REVOKED
        )
    )
    return WorldPart(
        tuple(credentials),
        dsc_ders=tuple(signer.der for signer in authority.trusted),
        revoked_texts=(revoked,),
    )


def _revoked_pass(authority: DemoAuthority, now: datetime, rng: random.Random) -> str:
    """A valid pass with its own certificate id: the hub revokes passes by that id's hash, so
    sharing the demo set's id would revoke those passes too."""
    (person,) = people(rng, 1)
    family, given = split_name(person)
    certificate = vaccination_payload(family, given, person.birth_date.isoformat())
    certificate["v"][0]["ci"] = f"URN:UVCI:01:VN:DEMO{rng.randrange(10**12):012d}"
    issued = now - timedelta(days=60)
    return issue_dcc(
        authority.es256, certificate, issued_at=issued, expires=now + timedelta(days=300)
    )


def who_ddcc_part(now: datetime, rng: random.Random) -> WorldPart:
    """A WHO DDCC:VS and a copy whose holder's name was changed after signing."""
    signer = make_signer(
        common_name="Demo WHO DDCC Signer", not_before=now - timedelta(days=365), valid_days=1095
    )
    holder, impostor = people(rng, 2)
    issued, expires = now - timedelta(days=45), now + timedelta(days=320)
    payload = core_data_set(
        holder.name,
        holder.birth_date.isoformat(),
        hcid=f"VN-DDCC-{rng.randrange(10**16):016d}",
        valid_from=issued.date().isoformat(),
    )
    valid = issue_ddcc(signer, payload, issued_at=issued, expires=expires)
    altered = edit_hcert_claims(valid, lambda claims: _rename(claims, impostor.name))
    return WorldPart(
        (
            DemoCredential("WHO DDCC vaccination certificate", "ddcc", valid, Status.VALID),
            DemoCredential(
                "WHO DDCC, name changed after signing",
                "ddcc",
                altered,
                Status.INVALID,
                Reason.SIGNATURE_INVALID,
            ),
        ),
        dsc_ders=(signer.der,),
    )


def _rename(claims: dict[Any, Any], name: str) -> None:
    claims[-260][1]["name"] = name


def edit_hcert_claims(text: str, edit: Callable[[dict[Any, Any]], None]) -> str:
    """The pass with its CWT claims edited and re-encoded under the original signature."""
    cose = decode_cbor(zlib.decompress(decode_base45(text.removeprefix("HC1:"))))
    if not isinstance(cose, Tagged) or cose.tag != 18:
        raise ValueError("not a tagged COSE_Sign1 pass")
    protected, unprotected, payload, signature = cose.value
    claims = decode_cbor(payload)
    edit(claims)
    return encode_hc1(
        encode_cbor(Tagged(18, [protected, unprotected, encode_cbor(claims), signature]))
    )
