"""The drawn parameters of one frame: rendering is a pure function of a `Scene`.

Keeping every random draw in one plain record is what makes a frame reproducible from its
seed, lets the demo sway a scene frame by frame, and lets `SyntheticFrame.params` explain a
failed read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass
class Scene:
    """Everything drawn for one frame; rendering is a pure function of it."""

    size: tuple[int, int]
    condition: str
    severity: float
    carrier: str  # "phone", "paper" or "card"
    layout_seed: int
    background_seed: int
    effect_seed: int
    noise_seed: int
    background: str = "room"  # "room", "desk" or "dark"
    dark_mode: bool = False
    inverted: bool = False
    hand: bool = True
    hfov_deg: float = 60.0
    code_mm: float = 50.0
    quiet_modules: float = 4.0
    near_mm: float = 150.0
    far_mm: float = 450.0
    distance_u: float = 0.5
    pitch_floor_px: float = 2.5
    pitch_target_px: float = 0.0  # > 0 fixes the smallest module pitch ("small")
    tilt_deg: float = 0.0
    tilt_axis_deg: float = 0.0
    roll_deg: float = 0.0
    place_x: float = 0.5
    place_y: float = 0.5
    lens_sigma_px: float = 0.6
    defocus_pitches: float = 0.0
    motion_pitches: float = 0.0
    motion_angle_deg: float = 0.0
    barrel_k1: float = 0.0
    exposure: float = 1.0
    screen_exposure: float = 1.0  # extra factor for the emissive screen (night dimming)
    wb_b: float = 1.0
    wb_g: float = 1.0
    wb_r: float = 1.0
    screen_gain: float = 1.0
    veil: float = 0.01
    ink_ratio: float = 0.06
    vignetting: float = 0.2
    light_gradient: float = 0.1
    light_angle_deg: float = 0.0
    shadow: float = 0.0
    shadow_angle_deg: float = 0.0
    shadow_offset: float = 0.0
    shadow_soft_mm: float = 8.0
    glare_peak: float = 0.0
    glare_area: float = 0.0
    glare_aspect: float = 1.0
    glare_angle_deg: float = 0.0
    glare_power: float = 2.0
    reflections: float = 0.0
    moire_amp: float = 0.0
    moire_period_px: float = 12.0
    moire_angle_deg: float = 0.0
    moire_chroma: float = 0.5
    banding_amp: float = 0.0
    banding_period_px: float = 80.0
    noise_shot: float = 2e-4
    noise_read: float = 0.002
    noise_chroma: float = 0.3
    gamma: float = 2.2
    toe: float = 0.005
    black_crush: float = 0.0
    jpeg_quality: int = 0


def mix(*parts: int) -> int:
    """A stable 63-bit seed from integers (Python's `hash` is salted per process)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def lerp(low: float, high: float, s: float) -> float:
    """The point `s` of the way from `low` to `high` (how a severity walks a range)."""
    return low + (high - low) * s
