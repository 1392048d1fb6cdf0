"""Render credential texts as QR images (PNG bytes or a NumPy array) with segno."""

from __future__ import annotations

import io

import cv2
import numpy as np
import segno
from numpy.typing import NDArray


def qr_png(text: str, scale: int = 4, border: int = 4) -> bytes:
    """PNG bytes of a QR code holding `text` (alphanumeric mode where the text allows it)."""
    code = segno.make(text, error="q" if len(text) < 1500 else "l", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def qr_gray(text: str, scale: int = 4, border: int = 4) -> NDArray[np.uint8]:
    """The QR code as an 8-bit grayscale image."""
    image = cv2.imdecode(np.frombuffer(qr_png(text, scale, border), np.uint8), cv2.IMREAD_GRAYSCALE)
    return np.asarray(image, dtype=np.uint8)
