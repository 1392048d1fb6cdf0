"""sRGB encoding: the canvas is drawn in sRGB bytes, while light is mixed and blurred linearly."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from station.issuer.camera_scenes.arrays import FloatImage


def encode_srgb(linear: NDArray[np.float64]) -> NDArray[np.float64]:
    """Linear light (0..1) to the sRGB transfer curve (0..1)."""
    x = np.clip(np.asarray(linear, dtype=np.float64), 0.0, 1.0)
    return np.where(x <= 0.0031308, 12.92 * x, 1.055 * x ** (1 / 2.4) - 0.055)


def decode_srgb(encoded: NDArray[np.float64]) -> NDArray[np.float64]:
    """sRGB values (0..1) back to linear light (0..1)."""
    x = np.clip(np.asarray(encoded, dtype=np.float64), 0.0, 1.0)
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)


#: Linear light of every sRGB byte, for decoding whole images with `cv2.LUT`.
SRGB_LUT: FloatImage = decode_srgb(np.arange(256) / 255.0).astype(np.float32)


def linear_to_byte(value: float) -> int:
    """An sRGB byte for a linear reflectance (for drawing ink of a given contrast)."""
    return int(np.clip(round(float(encode_srgb(np.array(value))) * 255), 0, 255))
