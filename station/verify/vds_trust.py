"""The country signing CAs (CSCAs) a station trusts for VDS-NC seals, read from its issuer keys.

An operator imports each country's CSCAs as issuer keys of family "vds", issuer = the country
code seals carry in `hdr.is` (e.g. "VNM"), one key per CSCA:

    {"kid": "<SHA-256 hex of the CSCA DER>", "x5c": ["<base64 DER>"],
     "revoked_serials": ["<hex serial>", <decimal serial>, ...]}        (the last member optional)

A kid that is not the SHA-256 of its own certificate is not believed (the entry is skipped), so
a mislabelled import cannot make one certificate stand in for another.  `revoked_serials` is the
station's copy of the CSCA's CRL: the serial numbers of barcode signer certificates it revoked,
as hex strings (what `openssl x509 -serial` prints; colons and a 0x prefix allowed) or JSON
integers.  An entry without the member means no CRL is held, so no revocation check is reported;
one with a member that cannot be read fails closed.

Seals do not name their CSCA, so all of a country's entries are needed.  The `IssuerKeys` port
looks keys up by kid; the station's key cache can also list its rows, which is how the kids of
one issuer are found.  A key source that cannot list is reported as unavailable, never guessed.

Listing every row on every scan costs more than the seal's own signature check, so the parsed
CSCAs of an issuer are remembered per key store, together with the change stamp of the SQLite
connection behind it (`PRAGMA data_version`, which moves when another connection commits, and
`total_changes` for this one's own writes, as `station.cache.trust_view` does): a sync or an
import is seen on the very next scan.  A key store without that stamp is read afresh each time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import sqlite3
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, cast

from station.errors import Reject
from station.ports import IssuerKeys
from station.reasons import Reason
from station.verify.vds_certs import Certificate, load_certificate

FAMILY = "vds"
MAX_REVOKED = 100_000


class ListsIssuerKeys(IssuerKeys, Protocol):
    """A key source that can also list who it holds keys for (the station's issuer-key cache)."""

    def rows(self) -> list[dict[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class Authority:
    """One trusted CSCA and the station's copy of its revocations (None: no CRL held)."""

    kid: str
    certificate: Certificate
    revoked_serials: frozenset[int] | None
    revocations_unreadable: bool = False


Stamp = tuple[int, int]
_REMEMBERED: weakref.WeakKeyDictionary[Any, tuple[Stamp, dict[str, list[Authority]]]] = (
    weakref.WeakKeyDictionary()
)


def authorities(keys: IssuerKeys, issuer: str) -> list[Authority]:
    """Every usable CSCA held for `issuer`, by certificate fingerprint.

    Raises `Reject(VDS_TRUST_UNAVAILABLE)` when the key source cannot list its keys.
    """
    if not callable(getattr(keys, "rows", None)):  # the Protocol check is slow per scan
        raise Reject(Reason.VDS_TRUST_UNAVAILABLE, "the key store cannot list issuer keys")
    stamp = _change_stamp(keys)
    if stamp is None:
        return _read_authorities(cast(ListsIssuerKeys, keys), issuer)
    remembered = _REMEMBERED.get(keys)
    if remembered is None or remembered[0] != stamp:
        remembered = (stamp, {})
        _REMEMBERED[keys] = remembered
    by_issuer = remembered[1]
    if issuer not in by_issuer:
        by_issuer[issuer] = _read_authorities(cast(ListsIssuerKeys, keys), issuer)
    return by_issuer[issuer]


def _change_stamp(keys: Any) -> Stamp | None:
    """The change stamp of the SQLite connection behind the station's key cache, if any."""
    connection = getattr(getattr(keys, "cache", None), "conn", None)
    if not isinstance(connection, sqlite3.Connection):
        return None
    try:
        row = connection.execute("PRAGMA data_version").fetchone()
    except sqlite3.Error:
        return None
    return int(row[0]), connection.total_changes


def _read_authorities(keys: ListsIssuerKeys, issuer: str) -> list[Authority]:
    kids = sorted(
        {
            str(row["kid"])
            for row in keys.rows()
            if row.get("family") == FAMILY and row.get("issuer") == issuer and "kid" in row
        }
    )
    found: dict[str, Authority] = {}
    for kid in kids:
        for entry in keys.keys_for(FAMILY, issuer, kid):
            authority = _authority(entry)
            if authority is not None:
                found.setdefault(authority.certificate.fingerprint, authority)
    return [found[fingerprint] for fingerprint in sorted(found)]


def _authority(entry: Mapping[str, Any]) -> Authority | None:
    """The CSCA an issuer-key entry holds, or None when the entry is unusable."""
    chain = entry.get("x5c")
    kid = entry.get("kid")
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        return None
    if not isinstance(kid, str):
        return None
    try:
        der = base64.b64decode(chain[0], validate=True)
    except (binascii.Error, ValueError):
        return None
    if hashlib.sha256(der).hexdigest() != kid.lower():
        return None
    try:
        certificate = load_certificate(der)
    except Reject:
        return None
    if "revoked_serials" not in entry:
        return Authority(kid, certificate, None)
    serials = parse_serials(entry["revoked_serials"])
    if serials is None:
        return Authority(kid, certificate, frozenset(), revocations_unreadable=True)
    return Authority(kid, certificate, serials)


def parse_serials(value: Any) -> frozenset[int] | None:
    """Serial numbers from hex strings or JSON integers; None if any item is unreadable."""
    if not isinstance(value, list) or len(value) > MAX_REVOKED:
        return None
    serials: set[int] = set()
    for item in value:
        serial = _serial(item)
        if serial is None:
            return None
        serials.add(serial)
    return frozenset(serials)


def _serial(item: Any) -> int | None:
    if isinstance(item, bool):
        return None
    if isinstance(item, int):
        return item
    if not isinstance(item, str):
        return None
    cleaned = item.strip().replace(":", "").lower().removeprefix("0x")
    if not cleaned or len(cleaned) > 42:  # RFC 5280: at most 20 octets
        return None
    try:
        return int(cleaned, 16)
    except ValueError:
        return None
