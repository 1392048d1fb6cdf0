"""Image transforms that turn an unreadable camera frame into a readable one.

Each is cheap (a few milliseconds on a 720p frame) and targets one failure seen at checkpoints:
faded print and dim screens (contrast), uneven light and glare (local threshold), codes far from
the camera (upscale), blur, noise and moiré from photographing a screen (downscale, smoothing).
The read strategy decides which of them run, in which order, from measurements.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Gray = NDArray[np.uint8]

#: Larger images are shrunk before decoding: no credential needs more than 4 MP to be read, and
#: a 100-megapixel array would otherwise cost seconds per attempt.
MAX_DECODE_PIXELS = 4_000_000


def to_grayscale(image: NDArray[Any]) -> Gray:
    """8-bit single-channel pixels of a BGR, BGRA or grayscale image (other dtypes rescaled)."""
    if image.dtype != np.uint8:
        image = _rescaled_to_bytes(image)
    if image.ndim == 3 and image.shape[2] == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY), dtype=np.uint8)
    if image.ndim == 3 and image.shape[2] == 3:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    if image.ndim == 3:
        return np.ascontiguousarray(image[:, :, 0])
    return np.ascontiguousarray(image)


def _rescaled_to_bytes(image: NDArray[Any]) -> Gray:
    """16-bit, float or bool pixels mapped onto 0..255 by their own range (NaN/inf as 0)."""
    values = np.nan_to_num(image.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    low, high = float(values.min()), float(values.max())
    if high <= low:
        return np.zeros(values.shape, np.uint8)
    return ((values - low) * (255.0 / (high - low))).astype(np.uint8)


def bounded(gray: Gray) -> Gray:
    """`gray`, shrunk if it has more than MAX_DECODE_PIXELS pixels."""
    pixels = gray.shape[0] * gray.shape[1]
    if pixels <= MAX_DECODE_PIXELS:
        return gray
    factor = (MAX_DECODE_PIXELS / pixels) ** 0.5
    return scaled(gray, factor)


def scaled(gray: Gray, factor: float) -> Gray:
    """Resized by `factor`: area averaging when shrinking, bicubic when enlarging."""
    width = max(1, round(gray.shape[1] * factor))
    height = max(1, round(gray.shape[0] * factor))
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(gray, (width, height), interpolation=interpolation), np.uint8)


def half(gray: Gray) -> Gray:
    return scaled(gray, 0.5)


def double(gray: Gray) -> Gray:
    return scaled(gray, 2.0)


def equalized(gray: Gray) -> Gray:
    """Local contrast stretch (CLAHE): faded print, dim screens, dark rooms."""
    clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
    return np.asarray(clahe.apply(gray), np.uint8)


def stretched(gray: Gray) -> Gray:
    """Global min/max stretch at the 1st/99th percentile: low contrast without local artefacts."""
    low, high = np.percentile(gray[::4, ::4], (1, 99))
    if high - low < 2:
        return gray
    lut = np.clip((np.arange(256) - low) * (255.0 / (high - low)), 0, 255).astype(np.uint8)
    return np.asarray(cv2.LUT(gray, lut), np.uint8)


def thresholded(gray: Gray) -> Gray:
    """Adaptive (local mean) threshold: glare and uneven light across the code."""
    block = max(15, (min(gray.shape) // 24) | 1)
    return np.asarray(
        cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 5),
        np.uint8,
    )


def smoothed(gray: Gray) -> Gray:
    """Gaussian smoothing: sensor noise and the moiré of a photographed screen."""
    return np.asarray(cv2.GaussianBlur(gray, (5, 5), 0), np.uint8)


def sharpened(gray: Gray) -> Gray:
    """Unsharp mask: slight defocus and motion blur."""
    blurred = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return np.asarray(cv2.addWeighted(gray, 1.8, blurred, -0.8, 0), np.uint8)


def inverted(gray: Gray) -> Gray:
    """Light-on-dark codes (dark-mode apps) for decoders that only read dark-on-light."""
    return np.asarray(cv2.bitwise_not(gray), np.uint8)
