"""Turn the raw bytes of a QR code into text without mojibake.

QR byte mode carries no reliable encoding marker in practice: credentials are ASCII (HC1, shc:/,
NZCP) or UTF-8 (national QRs with Vietnamese names).  Bytes that are not valid UTF-8 are mapped
one-to-one through Latin-1, which keeps binary payloads (DIVOC ZIP) recoverable byte for byte.
"""

from __future__ import annotations


def qr_bytes_to_text(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
