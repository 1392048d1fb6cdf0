"""What the payload text alone decides: its credential family and its QR modules."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import segno
from numpy.typing import NDArray


def credential_family(text: str) -> str:
    """The credential family, which decides the likely carrier and the app's look."""
    if text.startswith("HC1:"):
        return "dcc"
    if text.startswith("shc:/"):
        return "shc"
    if text.startswith("NZCP:/"):
        return "nzcp"
    fields_ = text.split("|")
    if len(fields_) >= 7 and fields_[0].isdigit() and len(fields_[0]) == 12:
        return "cccd"
    if len(fields_) >= 5:
        return "pccovid"
    return "other"


@lru_cache(maxsize=64)
def qr_modules(text: str) -> NDArray[np.bool_]:
    """The symbol's dark modules, encoded the way each family's issuers encode it.

    SMART Health Cards are a byte segment `shc:/` plus a numeric segment at level L (their
    specification); everything else uses the station's own choice (`station.issuer.qr_image`).
    """
    if text.startswith("shc:/") and text[5:].isdigit():
        segments: Any = [text[:5], text[5:]]  # segno takes a list of segments (untyped)
        code = segno.make(segments, error="l", boost_error=False, micro=False)
    else:
        code = segno.make(text, error="q" if len(text) < 1500 else "l", micro=False)
    size = len(code.matrix)
    modules = np.frombuffer(b"".join(bytes(row) for row in code.matrix), np.uint8) > 0
    modules = modules.reshape(size, size)
    modules.flags.writeable = False
    return modules
