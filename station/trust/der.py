"""A minimal DER reader for the parts of an X.509 certificate a verifier needs.

Why our own: some production DSCs carry negative serial numbers, which `cryptography` already
warns about and will refuse in a future release.  Reading validity, subject country, extended key
usage and the SubjectPublicKeyInfo ourselves gives every device the same answer for every
certificate; the key itself is still loaded by `cryptography` from the SPKI bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

SEQUENCE = 0x30
SET = 0x31
INTEGER = 0x02
BOOLEAN = 0x01
OCTET_STRING = 0x04
OID = 0x06
UTC_TIME = 0x17
GENERALIZED_TIME = 0x18
EXPLICIT_0 = 0xA0
EXPLICIT_3 = 0xA3
OID_COUNTRY = "2.5.4.6"
OID_EXT_KEY_USAGE = "2.5.29.37"


class DerError(ValueError):
    """The bytes are not the DER structure expected."""


@dataclass(frozen=True, slots=True)
class Tlv:
    tag: int
    content: bytes
    raw: bytes


def read_tlv(data: bytes, pos: int = 0) -> tuple[Tlv, int]:
    """Read one tag-length-value at `pos`; return it and the position after it."""
    if pos + 2 > len(data):
        raise DerError("truncated header")
    tag = data[pos]
    length = data[pos + 1]
    start = pos + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or start + count > len(data):
            raise DerError("unsupported length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise DerError("truncated content")
    return Tlv(tag, data[start:end], data[pos:end]), end


def children(content: bytes) -> list[Tlv]:
    """All TLVs inside a constructed value."""
    items: list[Tlv] = []
    pos = 0
    while pos < len(content):
        item, pos = read_tlv(content, pos)
        items.append(item)
    return items


def decode_oid(content: bytes) -> str:
    if not content:
        raise DerError("empty OID")
    first = content[0]
    parts = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    value = 0
    for byte in content[1:]:
        value = value << 7 | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    if content[-1] & 0x80:
        raise DerError("truncated OID")
    return ".".join(map(str, parts))


def decode_time(item: Tlv) -> datetime:
    text = item.content.decode("ascii", errors="strict")
    if item.tag == UTC_TIME:
        fmt = "%y%m%d%H%M%SZ" if len(text) == 13 else "%y%m%d%H%MZ"
    elif item.tag == GENERALIZED_TIME:
        fmt = "%Y%m%d%H%M%SZ"
    else:
        raise DerError("not a time value")
    try:
        parsed = datetime.strptime(text, fmt)
    except ValueError as exc:
        raise DerError("bad time value") from exc
    return parsed.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class CertificateFields:
    """What the verifier reads from a certificate."""

    not_before: datetime
    not_after: datetime
    subject_country: str | None
    issuer_country: str | None
    subject_der: bytes
    spki_der: bytes
    extended_key_usage: tuple[str, ...] | None


def parse_certificate_fields(der: bytes) -> CertificateFields:
    """Read validity, names, SPKI and EKU from a DER certificate, tolerating odd serials."""
    cert, end = read_tlv(der)
    if cert.tag != SEQUENCE or end != len(der):
        raise DerError("not a single DER certificate")
    parts = children(cert.content)
    if len(parts) != 3 or parts[0].tag != SEQUENCE:
        raise DerError("certificate is not tbs + algorithm + signature")
    tbs = children(parts[0].content)
    if tbs and tbs[0].tag == EXPLICIT_0:
        tbs = tbs[1:]
    if len(tbs) < 6 or tbs[0].tag != INTEGER:
        raise DerError("truncated TBSCertificate")
    issuer, validity, subject, spki = tbs[2], tbs[3], tbs[4], tbs[5]
    times = children(validity.content)
    if validity.tag != SEQUENCE or len(times) != 2:
        raise DerError("bad validity")
    return CertificateFields(
        not_before=decode_time(times[0]),
        not_after=decode_time(times[1]),
        subject_country=_country(subject),
        issuer_country=_country(issuer),
        subject_der=subject.raw,
        spki_der=spki.raw,
        extended_key_usage=_extended_key_usage(tbs[6:]),
    )


def _country(name: Tlv) -> str | None:
    for rdn in children(name.content):
        for attribute in children(rdn.content):
            pair = children(attribute.content)
            if len(pair) == 2 and pair[0].tag == OID and decode_oid(pair[0].content) == OID_COUNTRY:
                return pair[1].content.decode("ascii", errors="replace")
    return None


def _extended_key_usage(optional: list[Tlv]) -> tuple[str, ...] | None:
    for item in optional:
        if item.tag != EXPLICIT_3:
            continue
        (extensions,) = children(item.content)
        for extension in children(extensions.content):
            fields = children(extension.content)
            if fields and decode_oid(fields[0].content) == OID_EXT_KEY_USAGE:
                value = fields[-1]
                if value.tag != OCTET_STRING:
                    raise DerError("bad extension value")
                (usages,) = children(value.content)
                return tuple(decode_oid(u.content) for u in children(usages.content))
    return None
