"""What the lens and the screen-sensor interplay do to the image: blur and moiré.

Defocus and motion smear are sized in module pitches, since that is what decides whether a
code can still be read; moiré fringes follow the screen plane and differ per colour channel.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from station.issuer.camera_scenes.arrays import FloatImage
from station.issuer.camera_scenes.geometry import Geometry
from station.issuer.camera_scenes.scene import Scene


def apply_optics(region: FloatImage, scene: Scene, geometry: Geometry) -> None:
    """Lens softness, then defocus and motion smear sized in module pitches, in place."""
    cv2.GaussianBlur(region, (0, 0), scene.lens_sigma_px, dst=region)
    pitch = geometry.pitch_min
    # Blur below a quarter pixel is lost in the lens softness.
    if scene.defocus_pitches * pitch >= 0.25:
        cv2.filter2D(region, -1, _disk_kernel(scene.defocus_pitches * pitch), dst=region)
    if scene.motion_pitches * pitch >= 0.25:
        kernel = _line_kernel(scene.motion_pitches * pitch, scene.motion_angle_deg)
        cv2.filter2D(region, -1, kernel, dst=region)


def _disk_kernel(radius: float) -> FloatImage:
    """A uniform disk (the defocus point-spread function), anti-aliased by 8× supersampling."""
    half = math.ceil(radius) + 1
    size = 2 * half + 1
    sub = (np.arange(size * 8) + 0.5) / 8.0 - size / 2.0
    inside = (sub[None, :] ** 2 + sub[:, None] ** 2 <= radius**2).astype(np.float32)
    kernel = inside.reshape(size, 8, size, 8).mean(axis=(1, 3))
    return np.asarray(kernel / kernel.sum(), np.float32)


def _line_kernel(length: float, angle_deg: float) -> FloatImage:
    """A straight smear of `length` px (uniform speed during the exposure), anti-aliased by
    spreading many points along the segment bilinearly over the pixel grid."""
    half = math.ceil(length / 2.0) + 1
    size = 2 * half + 1
    count = max(2, math.ceil(length * 8))
    steps = np.linspace(-length / 2.0, length / 2.0, count)
    xs = half + steps * math.cos(math.radians(angle_deg))
    ys = half + steps * math.sin(math.radians(angle_deg))
    x0, y0 = np.floor(xs).astype(int), np.floor(ys).astype(int)
    fx, fy = xs - x0, ys - y0
    kernel = np.zeros((size, size), np.float64)
    for dx, dy, weight in (
        (0, 0, (1 - fx) * (1 - fy)),
        (1, 0, fx * (1 - fy)),
        (0, 1, (1 - fx) * fy),
        (1, 1, fx * fy),
    ):
        np.add.at(kernel, (y0 + dy, x0 + dx), weight)
    return np.asarray(kernel / kernel.sum(), np.float32)


def moire_pattern(
    scene: Scene,
    geometry: Geometry,
    plane: tuple[FloatImage, ...],
    roi: tuple[int, int, int, int],
    screen: FloatImage,
) -> FloatImage:
    """Beat fringes of the screen's subpixel grid with the sensor's mosaic, per channel.

    The fringes follow the screen plane (so perspective bends their spacing) and are shifted
    between colour channels as the red, green and blue subpixels are; rolling-shutter banding
    from the screen's PWM dimming runs along the sensor rows.
    """
    px_per_mm = geometry.pitch_min / geometry.module_mm
    period = scene.moire_period_px / px_per_mm
    angle = math.radians(scene.moire_angle_deg)
    x, y = plane
    along = (x * math.cos(angle) + y * math.sin(angle)) * np.float32(2 * math.pi / period)
    across = (-x * math.sin(angle) + y * math.cos(angle)) * np.float32(2 * math.pi / period / 1.7)
    amp = np.float32(scene.moire_amp)
    channels = [
        amp * np.cos(along + np.float32(c * scene.moire_chroma * 2 * math.pi / 3))
        + 0.4 * amp * np.cos(across)
        for c in range(3)
    ]
    if scene.banding_amp > 0:
        rows = np.arange(roi[1], roi[3], dtype=np.float32)[:, None]
        band = scene.banding_amp * np.cos(rows * np.float32(2 * math.pi / scene.banding_period_px))
        channels = [c + band.astype(np.float32) for c in channels]
    pattern = np.stack(channels, axis=-1) * screen[:, :, None]
    return np.asarray(1.0 + pattern, np.float32)
