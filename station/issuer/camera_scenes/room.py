"""The surround behind the code (a wall and the person, a desk, or a dark room) and its light.

Decoders are distracted by edges and text around a code, so the room has objects, marks and
grain, drawn cheaply at half resolution; the illumination field lights the carrier too.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from numpy.random import Generator

from station.issuer.camera_scenes.arrays import FloatImage, buffer, three
from station.issuer.camera_scenes.lighting import apply_gains
from station.issuer.camera_scenes.scene import Scene


def lit_room(scene: Scene) -> tuple[FloatImage, FloatImage]:
    """The room behind the code, exposed, and the illumination field (both full size).

    Both live in reusable buffers; they are valid until the next frame on this thread.
    """
    width, height = scene.size
    half = (max(2, width // 2), max(2, height // 2))
    rng = np.random.default_rng(scene.background_seed)
    albedo = _room_albedo(scene.background, half, rng)
    light = _illumination(scene, (max(2, width // 8), max(2, height // 8)))
    light_half = np.asarray(cv2.resize(light, half, interpolation=cv2.INTER_LINEAR), np.float32)
    cv2.multiply(albedo, three(light_half), dst=albedo)
    apply_gains(albedo, scene)
    frame = buffer("frame", height, width, 3)
    cv2.resize(albedo, (width, height), dst=frame, interpolation=cv2.INTER_LINEAR)
    light_full = buffer("light", height, width)
    cv2.resize(light, (width, height), dst=light_full, interpolation=cv2.INTER_LINEAR)
    return frame, light_full


_WALLS: tuple[tuple[float, float, float], ...] = (
    (0.45, 0.5, 0.55),
    (0.3, 0.4, 0.45),
    (0.55, 0.55, 0.5),
    (0.25, 0.3, 0.3),
)
_DESKS: tuple[tuple[float, float, float], ...] = (
    (0.05, 0.11, 0.22),  # wood
    (0.09, 0.16, 0.3),  # light wood
    (0.2, 0.2, 0.2),  # grey laminate
    (0.55, 0.55, 0.52),  # white desk
)


def _room_albedo(kind: str, size: tuple[int, int], rng: Generator) -> FloatImage:
    """A plausible surround: wall and the person, a desk with grain, or a dark room."""
    width, height = size
    if kind == "dark":
        base = np.array([rng.uniform(0.01, 0.05)] * 3, np.float32)
    else:
        palette = _DESKS if kind == "desk" else _WALLS
        base = np.array(palette[int(rng.integers(len(palette)))], np.float32)
    field = rng.random((4, 7, 1)) + 0.08 * rng.standard_normal((4, 7, 3))
    shading = (base * np.clip(0.7 + 0.6 * field, 0.3, None)).astype(np.float32)
    image = buffer("room", height, width, 3)
    cv2.resize(_smooth_upscale(shading, 8), size, dst=image, interpolation=cv2.INTER_LINEAR)
    if kind == "desk":
        cv2.multiply(image, three(_grain(size, rng)), dst=image)
    dim = 0.25 if kind == "dark" else 1.0
    for _ in range(int(rng.integers(2, 7))):
        _draw_object(image, rng, dim)
    if kind == "room":
        clothes = np.array(rng.uniform(0.02, 0.25, 3), np.float32)
        centre = (int(width * rng.uniform(0.3, 0.7)), int(height * rng.uniform(1.0, 1.2)))
        axes = (int(width * rng.uniform(0.25, 0.4)), int(height * rng.uniform(0.5, 0.7)))
        cv2.ellipse(image, centre, axes, 0.0, 0.0, 360.0, clothes.tolist(), -1)
    return image


def _grain(size: tuple[int, int], rng: Generator) -> FloatImage:
    width, height = size
    along_x = rng.random() < 0.5
    shape = (max(2, height // 6), 3) if along_x else (3, max(2, width // 6))
    noise = rng.standard_normal(shape).astype(np.float32)
    streaks = cv2.resize(_smooth_upscale(noise, 4), size, interpolation=cv2.INTER_LINEAR)
    return np.asarray(1.0 + rng.uniform(0.05, 0.15) * streaks, np.float32)


def _smooth_upscale(field: FloatImage, factor: int) -> FloatImage:
    """Bicubic upscale of a coarse random field, before a cheap linear one to full size
    (bicubic straight to full size costs ten times more for no visible difference)."""
    height, width = field.shape[:2]
    size = (width * factor, height * factor)
    return np.asarray(cv2.resize(field, size, interpolation=cv2.INTER_CUBIC), np.float32)


def _draw_object(image: FloatImage, rng: Generator, dim: float) -> None:
    """A box, poster, keyboard or cable: sharp edges and, sometimes, text-like marks."""
    height, width = image.shape[:2]
    centre = (rng.uniform(0, width), rng.uniform(0, height))
    box = ((rng.uniform(0.05, 0.4) * width), (rng.uniform(0.05, 0.4) * height))
    corners = cv2.boxPoints((centre, box, rng.uniform(-30, 30))).astype(np.int32)
    color = (rng.uniform(0.02, 0.7) * rng.uniform(0.6, 1.0, 3) * dim).tolist()
    cv2.fillPoly(image, [corners], color)
    if rng.random() < 0.3:
        ink = (np.array(color) * 0.2).tolist()
        x0, y0 = corners.min(axis=0)
        x1, y1 = corners.max(axis=0)
        for y in range(int(y0) + 4, int(y1) - 4, 8):
            x = int(x0) + 4
            while x < x1 - 8:
                step = int(rng.integers(3, 12))
                cv2.rectangle(image, (x, y), (x + step, y + 2), ink, -1)
                x += step + 3


def _illumination(scene: Scene, size: tuple[int, int]) -> FloatImage:
    """Vignetting (≈cos⁴ falloff toward the corners) times a gradient across the scene."""
    width, height = size
    xs = np.linspace(-1.0, 1.0, width, dtype=np.float32)[None, :]
    ys = np.linspace(-1.0, 1.0, height, dtype=np.float32)[:, None] * (height / width)
    r2 = (xs**2 + ys**2) / (1.0 + (height / width) ** 2)
    angle = math.radians(scene.light_angle_deg)
    slope = (xs * math.cos(angle) + ys * math.sin(angle)) / math.sqrt(2.0)
    light = (1.0 - scene.vignetting * r2) * (1.0 + scene.light_gradient * slope)
    return np.asarray(light, np.float32)
