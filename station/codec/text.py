"""Turn the raw bytes of a QR code into text without mojibake.

QR byte mode carries no reliable encoding marker in practice: credentials are ASCII (HC1, shc:/,
NZCP) or UTF-8 (national QRs with Vietnamese names).  Japanese phones and printers still write
Shift_JIS without saying so, which is why it is recognised too.  Anything else, and every binary
payload (DIVOC's ZIP), is mapped one-to-one through Latin-1, which keeps the bytes recoverable
exactly (`text.encode("latin-1")`).
"""

from __future__ import annotations

import re

ZIP_MAGIC = b"PK\x03\x04"
#: Text counts as Japanese only if it has kana or kanji and no control characters but line breaks.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff66-\uff9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def qr_bytes_to_text(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if not raw.startswith(ZIP_MAGIC):
        japanese = _shift_jis(raw)
        if japanese is not None:
            return japanese
    return raw.decode("latin-1")


def _shift_jis(raw: bytes) -> str | None:
    try:
        text = raw.decode("shift_jis")
    except UnicodeDecodeError:
        return None
    if _JAPANESE.search(text) and not _CONTROL.search(text):
        return text
    return None
