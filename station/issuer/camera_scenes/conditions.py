"""The named capture conditions and the draw of one frame's scene for a condition.

Each condition is a function of its severity s that overrides only the parameters it is
about, after the everyday variation of `nuisances`; the benches report reads per condition,
so a weakness of the reader shows up under its cause.

Conditions (severity s is uniform in [0, 1] per seed; "a→b" is the range s walks along)
  clean         tilt 0→8°, rotation ±8°, softness 0.45→0.65 px, no defocus or smear, low
                noise, no MJPEG, pitch ≥ 3 px
  perspective   tilt 15→48° about a random axis, in-plane rotation anywhere in 0–360°
  blur          defocus disk radius 0.3→0.9 module pitches (a fixed-focus lens focused at
                1 m sees a code at 20 cm through a blur circle of ~3 px radius)
  motion_blur   straight smear 0.5→1.6 module pitches in any direction (1/30–1/60 s exposure,
                hand moving 2–10 cm/s)
  noise         exposure 0.8→0.45, gain noise variance 1.5e-3→6e-3 · signal + (0.005→0.015)²
                (about 5→11 grey levels on white paper, more in the shadows)
  glare         specular highlight saturating 2→10 % of the symbol, peak 1.5–4× full scale,
                elongated 1–3×, with a veiling halo out to 2–3 core radii, off the finders
  low_contrast  light/dark module luminance ratio 3.0→1.35 (faded thermal print, a dimmed
                screen washed out by ambient light on its glass)
  moire         screen-grid beat fringes of 5–40 px, amplitude 4→14 %, shifted between colour
                channels, PWM banding from the rolling shutter on half of them; the screen is
                kept below clipping (0.55–0.9), where fringes would vanish
  small         module pitch 3.0→1.5 px (a code too far away or printed small), in focus
  phone_screen  phone in a dark surround, screen 1.0→2.2× over-exposed, glass reflections
                2→10 %, barrel distortion k1 −0.03→−0.12, tilt 5–25°
  dark          night: ambient exposure 0.3→0.08, screen dimmed to 0.25–0.6, noise variance
                1e-3→4e-3 · signal + (0.003→0.01)², gamma 2.2–2.6, black crush, a warm or
                cold colour cast of 8–20 %, up to 0.4 pitches of smear from the long exposure
  jpeg          JPEG quality 35→12 with 4:2:0 chroma (a starved network camera or stream)
  inverted      dark-theme app drawing light modules on a dark screen; rare in real use, so
                `synth_set` gives it a quarter of the frames of the other conditions
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np
from numpy.random import Generator

from station.issuer.camera_scenes.nuisances import draw_nuisances, pick_carrier
from station.issuer.camera_scenes.payload import credential_family
from station.issuer.camera_scenes.scene import Scene, lerp


def _clean(scene: Scene, s: float, rng: Generator) -> None:
    scene.pitch_floor_px = 3.0
    scene.tilt_deg = lerp(0.0, 8.0, s)
    scene.roll_deg = rng.uniform(-8.0, 8.0)
    scene.lens_sigma_px = lerp(0.45, 0.65, s)
    scene.defocus_pitches = scene.motion_pitches = 0.0
    scene.noise_shot, scene.noise_read = rng.uniform(5e-5, 2e-4), rng.uniform(0.001, 0.002)
    scene.exposure, scene.screen_gain = rng.uniform(0.8, 1.0), rng.uniform(0.7, 1.0)
    scene.vignetting = min(scene.vignetting, 0.2)
    scene.shadow = 0.0
    scene.jpeg_quality = 0


def _perspective(scene: Scene, s: float, rng: Generator) -> None:
    scene.tilt_deg = lerp(15.0, 48.0, s)
    scene.roll_deg = rng.uniform(0.0, 360.0)


def _blur(scene: Scene, s: float, rng: Generator) -> None:
    scene.defocus_pitches = lerp(0.3, 0.9, s)  # capped by `readability.settle`


def _motion_blur(scene: Scene, s: float, rng: Generator) -> None:
    scene.motion_pitches = lerp(0.5, 1.6, s)
    scene.motion_angle_deg = rng.uniform(0.0, 180.0)


def _noise(scene: Scene, s: float, rng: Generator) -> None:
    scene.exposure = lerp(0.8, 0.45, s) * rng.uniform(0.9, 1.1)
    scene.noise_shot = lerp(1.5e-3, 6e-3, s)
    scene.noise_read = lerp(0.005, 0.015, s)
    scene.noise_chroma = rng.uniform(0.4, 0.8)


def _glare(scene: Scene, s: float, rng: Generator) -> None:
    scene.glare_area = lerp(0.02, 0.10, s)
    scene.glare_peak = rng.uniform(1.5, 4.0)
    scene.glare_aspect = rng.uniform(1.0, 3.0)
    scene.glare_angle_deg = rng.uniform(0.0, 180.0)
    scene.glare_power = rng.uniform(2.0, 4.0)


def _low_contrast(scene: Scene, s: float, rng: Generator) -> None:
    ratio = lerp(3.0, 1.35, s)
    if scene.carrier == "phone":
        # A dim screen under daylight: the glass reflects ambient light over the whole screen.
        scene.screen_gain = rng.uniform(0.3, 0.6)
        black = 0.005 * scene.screen_gain
        scene.veil = (scene.screen_gain - ratio * black) / (ratio - 1.0) / scene.exposure
    else:
        scene.ink_ratio = 1.0 / ratio


def _moire(scene: Scene, s: float, rng: Generator) -> None:
    scene.screen_gain = rng.uniform(0.55, 0.9)  # fringes vanish where the screen saturates
    scene.moire_amp = lerp(0.04, 0.14, s)
    scene.moire_period_px = rng.uniform(5.0, 40.0)
    scene.moire_angle_deg = float(rng.choice([0.0, 90.0])) + rng.uniform(-20.0, 20.0)
    scene.moire_chroma = rng.uniform(0.3, 1.0)
    if rng.random() < 0.5:
        scene.banding_amp = rng.uniform(0.02, 0.06)
        scene.banding_period_px = rng.uniform(30.0, 200.0)


def _small(scene: Scene, s: float, rng: Generator) -> None:
    scene.pitch_target_px = lerp(3.0, 1.5, s)
    scene.defocus_pitches = 0.0  # far enough to be in focus


def _phone_screen(scene: Scene, s: float, rng: Generator) -> None:
    scene.background = "dark"
    scene.screen_gain = lerp(1.0, 2.2, s)
    scene.reflections = lerp(0.02, 0.10, s)
    scene.barrel_k1 = -lerp(0.03, 0.12, s)
    scene.tilt_deg = rng.uniform(5.0, 25.0)
    scene.veil = rng.uniform(0.01, 0.04)
    scene.dark_mode = bool(rng.random() < 0.4)


def _dark(scene: Scene, s: float, rng: Generator) -> None:
    scene.exposure = lerp(0.3, 0.08, s)
    scene.screen_exposure = rng.uniform(0.25, 0.6) / scene.exposure
    scene.noise_shot = lerp(1e-3, 4e-3, s)
    scene.noise_read = lerp(0.003, 0.01, s)
    scene.noise_chroma = rng.uniform(0.4, 0.8)
    scene.gamma = rng.uniform(2.2, 2.6)
    scene.black_crush = rng.uniform(0.005, 0.02)
    scene.motion_pitches = rng.uniform(0.0, 0.4)
    scene.motion_angle_deg = rng.uniform(0.0, 180.0)
    warm = rng.random() < 0.6  # sodium and tungsten light, or cold LED
    cast = rng.uniform(0.08, 0.2)
    scene.wb_b, scene.wb_r = (1.0 - cast, 1.0 + cast) if warm else (1.0 + cast, 1.0 - cast)


def _jpeg(scene: Scene, s: float, rng: Generator) -> None:
    scene.jpeg_quality = round(lerp(35.0, 12.0, s))


def _inverted(scene: Scene, s: float, rng: Generator) -> None:
    scene.dark_mode = True
    scene.inverted = True


_CONDITION_DRAWS: Mapping[str, Callable[[Scene, float, Generator], None]] = MappingProxyType(
    {
        "clean": _clean,
        "perspective": _perspective,
        "blur": _blur,
        "motion_blur": _motion_blur,
        "noise": _noise,
        "glare": _glare,
        "low_contrast": _low_contrast,
        "moire": _moire,
        "small": _small,
        "phone_screen": _phone_screen,
        "dark": _dark,
        "jpeg": _jpeg,
        "inverted": _inverted,
    }
)

CONDITIONS: tuple[str, ...] = tuple(_CONDITION_DRAWS)

#: Relative number of frames per condition in a mixed set: inverted codes are rare in the field.
CONDITION_SHARES: Mapping[str, float] = MappingProxyType(
    {**{condition: 1.0 for condition in CONDITIONS}, "inverted": 0.25}
)

_FORCED_CARRIER = MappingProxyType({"moire": "phone", "phone_screen": "phone", "inverted": "phone"})


def draw_scene(text: str, condition: str, seed: int, size: tuple[int, int]) -> Scene:
    """Everyday variation first, then the condition's own parameters at a drawn severity."""
    rng = np.random.default_rng([seed % (1 << 64), zlib.crc32(condition.encode()), _crc(text)])
    severity = float(rng.uniform(0.0, 1.0))
    carrier = _FORCED_CARRIER.get(condition) or pick_carrier(credential_family(text), rng)
    seeds = rng.integers(0, 2**62, size=4)
    scene = Scene(
        size=size,
        condition=condition,
        severity=severity,
        carrier=carrier,
        layout_seed=int(seeds[0]),
        background_seed=int(seeds[1]),
        effect_seed=int(seeds[2]),
        noise_seed=int(seeds[3]),
    )
    draw_nuisances(scene, rng)
    _CONDITION_DRAWS[condition](scene, severity, rng)
    return scene


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))
