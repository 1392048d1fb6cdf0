"""The webcam's sensor and encoder: noise in linear light, tone curve, 8 bits and MJPEG.

Noise is added before the tone curve, as in a real sensor, so shadows are noisier than
highlights; the noise comes from windows of one fixed field because drawing fresh Gaussians
per frame would cost a third of the frame budget.
"""

from __future__ import annotations

import math
from functools import lru_cache

import cv2
import numpy as np
from numpy.random import Generator

from station.issuer.camera_scenes.arrays import ByteImage, FloatImage, buffer, three
from station.issuer.camera_scenes.scene import Scene


@lru_cache(maxsize=4)
def _noise_tile(height: int, width: int) -> FloatImage:
    """Unit Gaussian noise a little larger than the frame; frames read shifted windows of it.

    Drawing 0.9 M fresh Gaussians per frame costs about 10 ms, a third of the frame budget; a
    random window (and flip) of a fixed field is statistically the same for a decoder.
    """
    rng = np.random.default_rng(0x5EED_CAFE)
    tile = rng.standard_normal((height + 256, width + 256), dtype=np.float32)
    tile.flags.writeable = False
    return tile


def _noise_window(tile: FloatImage, shape: tuple[int, int], rng: Generator) -> FloatImage:
    height, width = shape
    oy = int(rng.integers(0, tile.shape[0] - height + 1))
    ox = int(rng.integers(0, tile.shape[1] - width + 1))
    return tile[oy : oy + height, ox : ox + width]


def sensor_readout(
    frame: FloatImage, scene: Scene, focus: tuple[int, int, int, int] | None = None
) -> ByteImage:
    """Photon and read noise, clipping at full well, tone curve, 8 bits, the webcam's JPEG.

    Works in place on `frame`; returns a new image. The webcam's own MJPEG is applied to the
    `focus` rectangle only (see `_jpeg_roundtrip`); the "jpeg" condition compresses it all.
    """
    height, width = frame.shape[:2]
    rng = np.random.default_rng(scene.noise_seed)
    tile = _noise_tile(height, width)
    sigma = buffer("sigma", height, width)
    cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY, dst=sigma)
    np.maximum(sigma, np.float32(0.0), out=sigma)
    sigma *= np.float32(scene.noise_shot)
    sigma += np.float32(scene.noise_read**2)
    cv2.sqrt(sigma, dst=sigma)
    cv2.multiply(sigma, _noise_window(tile, (height, width), rng), dst=sigma)
    cv2.add(frame, three(sigma), dst=frame)
    small = (max(1, height // 4), max(1, width // 4))
    typical = math.sqrt(0.2 * scene.noise_shot + scene.noise_read**2) * scene.noise_chroma
    chroma = np.dstack([_noise_window(tile, small, rng) for _ in range(3)]) * np.float32(typical)
    blotches = buffer("three", height, width, 3)
    cv2.resize(chroma, (width, height), dst=blotches, interpolation=cv2.INTER_LINEAR)
    cv2.add(frame, blotches, dst=frame)
    np.maximum(frame, np.float32(0.0), out=frame)
    cv2.sqrt(frame, dst=frame)
    image = np.asarray(cv2.convertScaleAbs(frame, alpha=255.0), np.uint8)
    cv2.LUT(image, _tone_lut(scene.gamma, scene.toe, scene.black_crush), dst=image)
    if scene.jpeg_quality > 0:
        whole = focus is None or scene.condition == "jpeg"
        _jpeg_roundtrip(image, scene.jpeg_quality, None if whole else focus)
    return image


@lru_cache(maxsize=256)
def _tone_lut(gamma: float, toe: float, black_crush: float) -> ByteImage:
    """Tone curve indexed by sqrt-encoded linear light (fine steps where the eye and JPEG care)."""
    linear = (np.arange(256) / 255.0) ** 2
    lifted = np.clip((linear - black_crush) / (1.0 - black_crush), 0.0, 1.0)
    power = 1.0 / gamma
    curve = ((lifted + toe) ** power - toe**power) / ((1.0 + toe) ** power - toe**power)
    lut = np.asarray(np.clip(np.round(curve * 255.0), 0, 255), np.uint8)
    lut.flags.writeable = False
    return lut


def _jpeg_roundtrip(
    image: ByteImage, quality: int, rect: tuple[int, int, int, int] | None = None
) -> None:
    """JPEG-compress `image` in place, or only `rect` widened to the 16-pixel MCU grid.

    JPEG codes each 16×16 macroblock on its own, so a grid-aligned crop comes out as the
    same blocks a whole-frame encode would give, at a fraction of the cost (only chroma
    upsampling at the crop's border differs).
    """
    height, width = image.shape[:2]
    x0, y0, x1, y1 = rect if rect is not None else (0, 0, width, height)
    x0, y0 = max(0, x0 // 16 * 16), max(0, y0 // 16 * 16)
    x1, y1 = min(width, -(-x1 // 16) * 16), min(height, -(-y1 // 16) * 16)
    if x1 <= x0 or y1 <= y0:
        return
    ok, data = cv2.imencode(".jpg", image[y0:y1, x0:x1], [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if decoded is None:
        raise RuntimeError("JPEG decoding failed")
    image[y0:y1, x0:x1] = decoded


# -- the demo sequence ---------------------------------------------------------------------------
