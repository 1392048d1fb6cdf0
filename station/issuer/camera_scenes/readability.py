"""The "readable in principle" bound: blur is capped so single modules keep 25 % contrast.

Beyond that neighbouring modules merge and no reader could recover the code from one frame,
so a frame that failed there would measure the generator, not the station's reader.
"""

from __future__ import annotations

import math

import numpy as np

from station.issuer.camera_scenes.geometry import Geometry, solve_geometry
from station.issuer.camera_scenes.scene import Scene


def settle(scene: Scene, modules: int) -> Geometry:
    """Solve the geometry, then keep the blur within what a good reader can still resolve."""
    geometry = solve_geometry(scene, modules)
    _limit_blur(scene, geometry.pitch_min)
    return geometry


MIN_MODULE_CONTRAST = 0.25


def _module_contrast(scene: Scene, pitch: float, blur_scale: float = 1.0) -> float:
    """Contrast left by lens, defocus and motion blur at the finest module pattern.

    The product of the three MTFs at 1/(2·pitch) cycles per pixel, i.e. at alternating single
    modules (Gaussian, the jinc of a uniform disk, and the sinc of a straight smear along a
    module axis, the worst direction).
    """
    f = 1.0 / (2.0 * pitch)
    lens = math.exp(-2.0 * math.pi**2 * scene.lens_sigma_px**2 * f**2)
    x = math.pi * 2.0 * scene.defocus_pitches * blur_scale * pitch * f
    disk = 1.0 if x < 1e-6 else abs(2.0 * _bessel_j1(x) / x)
    y = math.pi * scene.motion_pitches * blur_scale * pitch * f
    smear = 1.0 if y < 1e-6 else abs(math.sin(y) / y)
    return lens * disk * smear


def _bessel_j1(x: float) -> float:
    """J1(x) from its integral form (NumPy has no Bessel J; precision here is plenty)."""
    tau = np.linspace(0.0, math.pi, 257)
    values = np.cos(tau - x * np.sin(tau))
    # The trapezoid rule written out: np.trapezoid is NumPy 2 only, and np.trapz warns there.
    integral = np.sum(np.diff(tau) * (values[1:] + values[:-1]) / 2.0)
    return float(integral / math.pi)


def _limit_blur(scene: Scene, pitch: float) -> None:
    """Shrink defocus and smear (then lens softness) until single modules keep 25 % contrast.

    This is the "readable in principle" bound: beyond it neighbouring modules merge and no
    reader could recover the code from one frame.
    """
    if _module_contrast(scene, pitch) >= MIN_MODULE_CONTRAST:
        return
    low, high = 0.0, 1.0
    for _ in range(20):
        middle = (low + high) / 2.0
        if _module_contrast(scene, pitch, middle) >= MIN_MODULE_CONTRAST:
            low = middle
        else:
            high = middle
    scene.defocus_pitches *= low
    scene.motion_pitches *= low
    while scene.lens_sigma_px > 0.4 and _module_contrast(scene, pitch) < MIN_MODULE_CONTRAST:
        scene.lens_sigma_px = max(0.4, scene.lens_sigma_px - 0.02)
