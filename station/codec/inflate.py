"""zlib inflation with a hard output cap and no tolerance for trailing bytes.

`zlib.decompress` inflates everything (a 4 KB QR can hold a multi-megabyte bomb) and silently
ignores bytes after the end of the stream.  Here the output is capped while streaming and the
stream must end exactly where the input ends.
"""

from __future__ import annotations

import zlib

from station.errors import Reject
from station.reasons import Reason

DEFAULT_MAX_OUTPUT = 64 * 1024


def looks_like_zlib(data: bytes) -> bool:
    """True when the first two bytes form a valid zlib header using DEFLATE."""
    if len(data) < 2:
        return False
    cmf, flg = data[0], data[1]
    return (cmf & 0x0F) == 8 and (cmf >> 4) <= 7 and (cmf * 256 + flg) % 31 == 0


def inflate_zlib(data: bytes, max_output: int = DEFAULT_MAX_OUTPUT) -> bytes:
    """Inflate a complete zlib stream of at most `max_output` bytes."""
    if not looks_like_zlib(data):
        raise Reject(Reason.NOT_COMPRESSED, "no zlib header")
    return _inflate(zlib.decompressobj(), data, max_output)


def inflate_raw(data: bytes, max_output: int = DEFAULT_MAX_OUTPUT) -> bytes:
    """Inflate a raw DEFLATE stream (no header, as in JWS `zip: DEF`)."""
    return _inflate(zlib.decompressobj(-15), data, max_output)


def _inflate(inflater: zlib._Decompress, data: bytes, max_output: int) -> bytes:
    try:
        out = inflater.decompress(data, max_output + 1)
    except zlib.error:
        raise Reject(Reason.DECOMPRESS_FAILED, "corrupt compressed data") from None
    if len(out) > max_output or inflater.unconsumed_tail:
        raise Reject(Reason.TOO_LARGE, f"inflates beyond {max_output} bytes")
    if not inflater.eof:
        raise Reject(Reason.DECOMPRESS_FAILED, "compressed data is truncated")
    if inflater.unused_data:
        raise Reject(Reason.TRAILING_DATA, "bytes after the end of the compressed data")
    return out
