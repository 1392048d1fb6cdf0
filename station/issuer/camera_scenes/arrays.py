"""Array types and the reusable per-thread work buffers of the frame pipeline.

Rendering a 720p frame touches a dozen full-size float images; allocating them afresh each
frame costs as much as the pixel work, so every stage borrows named buffers from here.
"""

from __future__ import annotations

import threading
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

FloatImage = NDArray[np.float32]
ByteImage = NDArray[np.uint8]
Matrix = NDArray[np.float64]


class _Buffers(threading.local):
    def __init__(self) -> None:
        self.arrays: dict[tuple[str, int, str], NDArray[Any]] = {}


_BUFFERS = _Buffers()


def buffer(name: str, height: int, width: int, channels: int = 1) -> FloatImage:
    """A reusable float32 work array of this size, per thread; its contents are undefined.

    A fresh multi-megabyte array costs page faults on first touch, which here cost as much as
    the pixel work itself, so the pipeline writes into a few long-lived buffers instead. Two
    live uses of the same `name` must not overlap.
    """
    return np.asarray(_reusable(name, height, width, channels, np.float32), np.float32)


def byte_buffer(name: str, height: int, width: int, channels: int = 1) -> ByteImage:
    """Like `buffer`, for 8-bit images."""
    return np.asarray(_reusable(name, height, width, channels, np.uint8), np.uint8)


def _reusable(
    name: str, height: int, width: int, channels: int, dtype: type[np.generic]
) -> NDArray[Any]:
    key = (name, channels, np.dtype(dtype).str)
    array = _BUFFERS.arrays.get(key)
    if array is None or array.shape[0] < height or array.shape[1] < width:
        old = (0, 0) if array is None else array.shape[:2]
        shape = (max(height, old[0]), max(width, old[1]))
        array = np.empty(shape if channels == 1 else (*shape, channels), dtype)
        _BUFFERS.arrays[key] = array
    return array[:height, :width]


def three(plane: FloatImage, name: str = "three") -> FloatImage:
    """A one-channel map as three channels, in a reusable buffer (OpenCV's per-pixel ops on
    three-channel arrays are much faster than NumPy broadcasting over a trailing axis of 3)."""
    out = buffer(name, plane.shape[0], plane.shape[1], 3)
    return np.asarray(cv2.merge([plane, plane, plane], dst=out), np.float32)
