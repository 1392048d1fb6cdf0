"""How the carrier is lit: room light and shadow on paper, a screen's own light, glare, glass.

Reflective surfaces take the room's light; a screen emits its own and its glass adds a veil
of reflected room light. Glare is kept off the finder patterns so frames stay readable in
principle.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from numpy.random import Generator
from numpy.typing import NDArray

from station.issuer.camera_scenes.arrays import FloatImage, buffer, three
from station.issuer.camera_scenes.geometry import Geometry
from station.issuer.camera_scenes.scene import Scene


def _gains(scene: Scene) -> NDArray[np.float32]:
    return np.array([scene.wb_b, scene.wb_g, scene.wb_r], np.float32) * np.float32(scene.exposure)


def apply_gains(image: FloatImage, scene: Scene) -> None:
    """Exposure and white balance, in place (a diagonal colour transform is OpenCV's fastest
    per-channel multiply)."""
    cv2.transform(image, np.diag(_gains(scene)), dst=image)


def light_carrier(
    region: FloatImage,
    albedo: FloatImage,
    alpha: FloatImage,
    screen: FloatImage,
    light: FloatImage,
    scene: Scene,
    plane: tuple[FloatImage, ...] | None,
) -> None:
    """Lay the lit carrier over the background, in place (`albedo` is consumed).

    Paper, plastic and skin reflect the room's light; a screen emits its own, plus the room's
    light reflected by its glass (the veil).
    """
    reflected = light * _shadow(scene, plane) if scene.shadow > 0 and plane is not None else light
    emitted = np.float32(scene.screen_gain * scene.screen_exposure)
    factor = buffer("factor", *alpha.shape)
    np.subtract(emitted, reflected, out=factor)
    factor *= screen
    factor += reflected
    cv2.multiply(albedo, three(factor), dst=albedo)
    if scene.carrier == "phone":
        np.multiply(light, screen, out=factor)
        factor *= np.float32(scene.veil)
        cv2.add(albedo, three(factor), dst=albedo)
    apply_gains(albedo, scene)
    np.subtract(np.float32(1.0), alpha, out=factor)
    cv2.blendLinear(region, albedo, factor, alpha, dst=region)


def _shadow(scene: Scene, plane: tuple[FloatImage, ...]) -> FloatImage:
    x, y = plane
    angle = math.radians(scene.shadow_angle_deg)
    across = x * math.cos(angle) + y * math.sin(angle) - scene.shadow_offset * scene.code_mm
    edge = 1.0 / (1.0 + np.exp(-across / np.float32(scene.shadow_soft_mm)))
    return np.asarray(1.0 - scene.shadow * edge, np.float32)


def add_reflections(
    region: FloatImage,
    scene: Scene,
    geometry: Geometry,
    modules: int,
    alpha: FloatImage,
    screen: FloatImage,
    plane: tuple[FloatImage, ...] | None,
) -> None:
    """Specular glare on the carrier and ambient reflections on a phone's glass, in place."""
    rng = np.random.default_rng(scene.effect_seed)
    if scene.glare_peak > 0 and plane is not None:
        glare = _glare_map(scene, geometry, modules, plane, rng) * alpha
        cv2.add(region, three(glare), dst=region)
    if scene.reflections > 0:
        glass = _glass_reflection(region.shape[:2], scene.reflections, rng) * screen * alpha
        cv2.add(region, three(glass), dst=region)


def _glare_centre(
    modules: int, semi: tuple[float, float], angle: float, rng: Generator
) -> tuple[float, float, float]:
    """A highlight centre (module units) whose halo stays off the three finder patterns."""
    finders = np.array([[3.5, 3.5], [modules - 3.5, 3.5], [3.5, modules - 3.5]])
    scale = 1.0
    for attempt in range(200):
        if attempt and attempt % 40 == 0:
            scale *= 0.8
        centre = rng.uniform(0.15 * modules, 0.85 * modules, 2)
        rho = _ellipse_radius(finders - centre, semi[0] * scale, semi[1] * scale, angle)
        if rho.min() >= 1.8:
            return float(centre[0]), float(centre[1]), scale
    return modules / 2.0, modules / 2.0, scale * 0.5


def _ellipse_radius(
    offset: NDArray[np.float64], a: float, b: float, angle: float
) -> NDArray[np.float64]:
    c, s = math.cos(angle), math.sin(angle)
    along = (offset[..., 0] * c + offset[..., 1] * s) / a
    across = (-offset[..., 0] * s + offset[..., 1] * c) / b
    return np.asarray(np.sqrt(along**2 + across**2))


def _glare_map(
    scene: Scene,
    geometry: Geometry,
    modules: int,
    plane: tuple[FloatImage, ...],
    rng: Generator,
) -> FloatImage:
    """A saturating core (radiance ≥ full scale inside ρ = 1) and a broad veiling halo."""
    b = math.sqrt(scene.glare_area * modules**2 / (math.pi * scene.glare_aspect))
    a = scene.glare_aspect * b
    angle = math.radians(scene.glare_angle_deg)
    cu, cv, scale = _glare_centre(modules, (a, b), angle, rng)
    u = plane[0] / np.float32(geometry.module_mm) + np.float32(modules / 2.0 - cu)
    v = plane[1] / np.float32(geometry.module_mm) + np.float32(modules / 2.0 - cv)
    rho = _ellipse_radius(np.stack([u, v], axis=-1), a * scale, b * scale, angle)
    peak = scene.glare_peak
    core = peak * np.exp(-math.log(peak) * rho**scene.glare_power)
    halo = rng.uniform(0.15, 0.35) * np.exp(-(rho**2) / 8.0)
    return np.asarray(core + halo, np.float32)


def _glass_reflection(shape: tuple[int, ...], strength: float, rng: Generator) -> FloatImage:
    """Blurred room (a window, a lamp, the holder's face) mirrored in the phone's glass."""
    height, width = shape
    field = cv2.resize(
        rng.random((3, 4)).astype(np.float32), (width, height), interpolation=cv2.INTER_CUBIC
    )
    angle = rng.uniform(0.0, np.pi)
    xs = np.linspace(-1, 1, width, dtype=np.float32)[None, :]
    ys = np.linspace(-1, 1, height, dtype=np.float32)[:, None]
    across = xs * math.cos(angle) + ys * math.sin(angle) - rng.uniform(-0.6, 0.6)
    band = np.exp(-((across / rng.uniform(0.08, 0.25)) ** 2))
    return np.asarray(strength * (np.clip(field - 0.3, 0, None) + band), np.float32)
