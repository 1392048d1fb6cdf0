"""Bounded reading of the ZIP archive a DIVOC QR code carries.

DIVOC issuers (CoWIN India, Sri Lanka, the Philippines, Indonesia, Jamaica) pack the signed
credential as the single member `certificate.json` of a ZIP archive (JSZip, DEFLATE level 9) and
print the archive bytes as a byte-mode QR code (egovernments/DIVOC
backend/certificate_api, Path-Check/divoc-sdk.js lib/divoc.js `pack`).  A QR code holds at most
2,953 bytes, so everything larger than that about an archive is a lie to be refused before any
work is done:

- the end-of-archive record must end the data exactly (nothing appended after it);
- at most `MAX_MEMBERS` members, each with a plain name: no directories, no path separators,
  no `..`, no NUL (Python's zipfile silently cuts a name at NUL, so `certificate.json\\0.x`
  would otherwise pass for the real member), no duplicates;
- only `certificate.json` is ever decompressed, and only when it is stored or deflated, not
  encrypted, declares at most `max_bytes` and a compression ratio of at most `max_ratio`;
- decompression stops at the declared size and the CRC-32 must match.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from station.errors import Reject
from station.reasons import Reason

CERTIFICATE_NAME = "certificate.json"
MAX_MEMBERS = 4
#: The certificate of a real pass is 1-2 KB of JSON; 16 KiB leaves room for long addresses.
MAX_CERTIFICATE_BYTES = 16 * 1024
#: Deflated JSON shrinks 2-4 times; a ratio far beyond that is a decompression bomb.
MAX_COMPRESSION_RATIO = 20
END_RECORD = b"PK\x05\x06"
END_RECORD_SIZE = 22
#: NotImplementedError: zipfile's answer to a ZIP version or feature it does not read.
_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    ValueError,
    OSError,
    EOFError,
)
_READ_ERRORS = (*_ARCHIVE_ERRORS, zlib.error, struct.error)


def certificate_from_zip(
    data: bytes,
    max_bytes: int = MAX_CERTIFICATE_BYTES,
    max_ratio: int = MAX_COMPRESSION_RATIO,
) -> bytes:
    """The bytes of `certificate.json`, or `Reject` for anything a genuine pass never has."""
    _check_end_record(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ARCHIVE_ERRORS:
        raise Reject(Reason.DIVOC_ZIP_INVALID, "not a readable ZIP archive") from None
    with archive:
        info = _the_certificate(archive.infolist())
        _check_declared_size(info, max_bytes, max_ratio)
        return _read_member(archive, info)


def _check_end_record(data: bytes) -> None:
    """The end-of-central-directory record (and its comment) must be the last bytes."""
    position = data.rfind(END_RECORD)
    if position < 0 or len(data) - position < END_RECORD_SIZE:
        raise Reject(Reason.DIVOC_ZIP_INVALID, "no end-of-archive record")
    comment_length = int.from_bytes(data[position + 20 : position + 22], "little")
    if position + END_RECORD_SIZE + comment_length != len(data):
        raise Reject(Reason.TRAILING_DATA, "bytes after the end of the archive")


def _the_certificate(members: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    if len(members) > MAX_MEMBERS:
        raise Reject(Reason.DIVOC_ZIP_UNSAFE, f"{len(members)} files in the archive")
    names: set[str] = set()
    for info in members:
        _check_member_name(info)
        if info.filename in names:
            raise Reject(Reason.DIVOC_ZIP_UNSAFE, "a file name appears twice")
        names.add(info.filename)
    for info in members:
        if info.filename == CERTIFICATE_NAME:
            return info
    raise Reject(Reason.PAYLOAD_MISSING, f"no {CERTIFICATE_NAME} in the archive")


def _check_member_name(info: zipfile.ZipInfo) -> None:
    name = info.orig_filename
    if (
        not name
        or name != info.filename
        or "\x00" in name
        or "/" in name
        or "\\" in name
        or name in (".", "..")
        or ":" in name
    ):
        raise Reject(Reason.DIVOC_ZIP_UNSAFE, "a file name with a path or hidden characters")


def _check_declared_size(info: zipfile.ZipInfo, max_bytes: int, max_ratio: int) -> None:
    if info.flag_bits & 0x1:
        raise Reject(Reason.DIVOC_ZIP_INVALID, "the certificate is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Reject(Reason.DIVOC_ZIP_INVALID, f"compression method {info.compress_type}")
    if info.file_size > max_bytes:
        raise Reject(Reason.TOO_LARGE, f"the certificate declares {info.file_size} bytes")
    if info.file_size > max_ratio * max(info.compress_size, 1):
        raise Reject(Reason.TOO_LARGE, "the certificate is compressed beyond any real pass")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Decompress at most the declared size; zipfile checks the CRC-32 at the end."""
    try:
        with archive.open(info) as member:
            content = member.read(info.file_size + 1)
    except (NotImplementedError, RuntimeError):  # zipfile's "unsupported" and "encrypted"
        raise Reject(Reason.DIVOC_ZIP_INVALID, "a ZIP feature passes do not use") from None
    except _READ_ERRORS:
        raise Reject(Reason.DECOMPRESS_FAILED, "the certificate cannot be unpacked") from None
    if len(content) != info.file_size:
        raise Reject(Reason.DECOMPRESS_FAILED, "the certificate is shorter than declared")
    return content
