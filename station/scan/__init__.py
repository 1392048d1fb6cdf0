"""Reading QR codes from images.

`read_codes(image)` is the one entry point every caller uses (CLI, GUI, benchmarks).  It takes a
NumPy BGR or grayscale image and returns the decoded texts of every distinct QR code found, using
the measured read strategy in `station.scan.strategy`.
"""

from __future__ import annotations

from typing import Any

from numpy.typing import NDArray

from station.codec.text import qr_bytes_to_text
from station.scan.preprocess import bounded, to_grayscale
from station.scan.strategy import CAMERA_BUDGET_S, ReadStrategy


def read_codes(image: NDArray[Any], *, budget_s: float = CAMERA_BUDGET_S) -> list[str]:
    """Decoded texts of the distinct QR codes in `image`, in the order the decoder found them.

    Images that are empty or not 2-D/3-D give no codes; huge images are shrunk first, so the
    time spent is bounded whatever the input.
    """
    if image.size == 0 or image.ndim not in (2, 3):
        return []
    gray = bounded(to_grayscale(image))
    return distinct_texts(ReadStrategy(budget_s=budget_s).read(gray).codes)


def distinct_texts(codes: list[bytes]) -> list[str]:
    """Texts of `codes` without repeats (two decoders or passes may find the same code)."""
    texts: list[str] = []
    for raw in codes:
        text = qr_bytes_to_text(raw)
        if text not in texts:
            texts.append(text)
    return texts
