"""The everyday variation every frame has, whatever its condition.

Camera field of view, distance, pose, lens softness, exposure, white balance, noise, the
carrier and its size: the ranges are those of the camera model in the package docstring.
Drawing them before a condition's own parameters keeps conditions comparable, since each one
only overrides what it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
from numpy.random import Generator

from station.issuer.camera_scenes.scene import Scene

_CARRIER_ODDS: Mapping[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        "cccd": (("card", 0.8), ("phone", 0.2)),  # the card itself, or VNeID on a phone
        "pccovid": (("phone", 0.9), ("paper", 0.1)),  # an app QR, rarely printed
    }
)
_DEFAULT_ODDS = (("phone", 0.65), ("paper", 0.35))


def pick_carrier(family: str, rng: Generator) -> str:
    """Phone, paper or card, as often as people present each family's credential on it."""
    odds = _CARRIER_ODDS.get(family, _DEFAULT_ODDS)
    names = [name for name, _ in odds]
    weights = np.array([weight for _, weight in odds])
    return str(rng.choice(names, p=weights / weights.sum()))


def draw_nuisances(scene: Scene, rng: Generator) -> None:
    """The everyday variation every frame has, whatever its condition (see above)."""
    u = rng.uniform
    scene.background = "desk" if rng.random() < 0.4 else "room"
    scene.hfov_deg = u(48.0, 70.0)
    scene.distance_u = u(0.0, 1.0)
    scene.tilt_deg = u(0.0, 15.0)
    scene.tilt_axis_deg = u(0.0, 360.0)
    scene.place_x, scene.place_y = u(0.2, 0.8), u(0.2, 0.8)
    scene.lens_sigma_px = u(0.5, 0.95)
    if rng.random() < 0.5:  # a fixed-focus lens, sharp from ~40 cm, holding a code closer
        scene.defocus_pitches = u(0.0, 0.3)
    scene.motion_pitches = u(0.0, 0.3)  # hand tremor during a 1/30 s exposure
    scene.motion_angle_deg = u(0.0, 180.0)
    scene.exposure = u(0.75, 1.1)
    scene.wb_b, scene.wb_g, scene.wb_r = (u(0.93, 1.07) for _ in range(3))
    scene.screen_gain = u(0.7, 1.3)
    scene.veil = u(0.005, 0.03)
    scene.ink_ratio = u(0.04, 0.09)
    scene.vignetting = u(0.1, 0.35)
    scene.light_gradient = u(0.0, 0.25)
    scene.light_angle_deg = u(0.0, 360.0)
    scene.noise_shot = u(1e-4, 4e-4)
    scene.noise_read = u(0.001, 0.003)
    scene.noise_chroma = u(0.2, 0.5)
    scene.gamma = u(2.0, 2.4)
    scene.toe = u(0.003, 0.01)
    scene.black_crush = u(0.0, 0.01)
    scene.jpeg_quality = int(u(75, 92)) if rng.random() < 0.5 else 0
    scene.hand = bool(rng.random() < {"phone": 0.85, "paper": 0.5, "card": 0.9}[scene.carrier])
    scene.dark_mode = scene.carrier == "phone" and bool(rng.random() < 0.25)
    _draw_carrier_size(scene, rng)
    if scene.carrier == "paper" and rng.random() < 0.25:
        _draw_shadow(scene, rng)


def _draw_carrier_size(scene: Scene, rng: Generator) -> None:
    u = rng.uniform
    if scene.carrier == "phone":
        scene.code_mm, scene.quiet_modules = u(38.0, 55.0), u(2.0, 4.0)
        scene.roll_deg = u(-15.0, 15.0)
    elif scene.carrier == "paper":
        scene.code_mm, scene.quiet_modules = u(40.0, 70.0), u(3.5, 6.0)
        scene.roll_deg = u(-25.0, 25.0)
    else:
        scene.code_mm, scene.quiet_modules = u(14.0, 18.0), u(2.0, 3.0)
        scene.near_mm, scene.far_mm = 80.0, 250.0
        scene.roll_deg = u(-15.0, 15.0)


def _draw_shadow(scene: Scene, rng: Generator) -> None:
    """A soft shadow edge (the holder's hand or phone) across a printout."""
    scene.shadow = rng.uniform(0.2, 0.5)
    scene.shadow_angle_deg = rng.uniform(0.0, 360.0)
    scene.shadow_offset = rng.uniform(-0.5, 0.5)
    scene.shadow_soft_mm = rng.uniform(3.0, 15.0)
