"""Reading QR codes from images.

`read_codes(image)` is the one entry point every caller uses (CLI, GUI, benchmarks).  It takes a
NumPy BGR or grayscale image and returns the decoded texts of every distinct QR code found.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from station.adapters.qr_pyzbar import read_qr_bytes
from station.codec.text import qr_bytes_to_text


def to_grayscale(image: NDArray[Any]) -> NDArray[np.uint8]:
    """8-bit single-channel view of a BGR, BGRA or grayscale image."""
    if image.ndim == 3 and image.shape[2] == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY), dtype=np.uint8)
    if image.ndim == 3:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    return np.asarray(image, dtype=np.uint8)


def read_codes(image: NDArray[Any]) -> list[str]:
    """Decoded texts of the distinct QR codes in `image`, in reading order."""
    if image.size == 0 or image.ndim not in (2, 3):
        return []
    texts: list[str] = []
    for raw in read_qr_bytes(to_grayscale(image)):
        text = qr_bytes_to_text(raw)
        if text not in texts:
            texts.append(text)
    return texts
