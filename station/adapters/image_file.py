"""Load a still image from a file as 8-bit grayscale, with size bounds.

Bounded because an image file can claim any size: files over 32 MB and images over 40
megapixels are refused before decoding, so a hostile file cannot exhaust a kiosk's memory.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from station.errors import Reject
from station.reasons import Reason

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_PIXELS = 40_000_000


def load_grayscale(path: str | Path) -> NDArray[np.uint8]:
    """The image as a 2-D uint8 array, or `Reject(IMAGE_UNREADABLE)`."""
    return load_image(path, color=False)


def load_image(path: str | Path, *, color: bool) -> NDArray[np.uint8]:
    """The image as BGR (`color`) or grayscale uint8 pixels, or `Reject(IMAGE_UNREADABLE)`."""
    try:
        data = Path(path).read_bytes() if Path(path).stat().st_size <= MAX_FILE_BYTES else None
    except OSError:
        raise Reject(Reason.IMAGE_UNREADABLE, "file cannot be read") from None
    if data is None:
        raise Reject(Reason.IMAGE_UNREADABLE, "file is too large")
    return decode_image(data, color=color)


def decode_image(data: bytes, *, color: bool) -> NDArray[np.uint8]:
    buffer = np.frombuffer(data, dtype=np.uint8)
    if buffer.size == 0:
        raise Reject(Reason.IMAGE_UNREADABLE, "file is empty")
    try:
        header = cv2.imdecode(buffer, cv2.IMREAD_REDUCED_GRAYSCALE_8)
    except cv2.error:
        header = None
    if header is None:
        raise Reject(Reason.IMAGE_UNREADABLE, "not a supported image")
    if header.size * 64 > MAX_PIXELS:
        raise Reject(Reason.IMAGE_UNREADABLE, "image is too large")
    try:
        image = cv2.imdecode(buffer, cv2.IMREAD_COLOR if color else cv2.IMREAD_GRAYSCALE)
    except cv2.error:
        image = None
    if image is None:
        raise Reject(Reason.IMAGE_UNREADABLE, "image data is damaged")
    return np.asarray(image, dtype=np.uint8)
