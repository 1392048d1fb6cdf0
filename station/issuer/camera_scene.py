"""Synthetic webcam frames of QR codes, under the capture conditions a checkpoint kiosk meets.

The station's read strategy is measured and tuned on these frames, so they model what a 720p USB
webcam really records when someone holds up a phone, a printout or an ID card. Every range
below comes from the optics and the use, not from what any decoder happens to like. Every
frame stays readable in principle: the whole symbol and at least 1.5 modules of quiet zone are
in the frame, glare never covers a finder pattern, and blur is capped so that single modules
keep at least 25 % contrast (the product of the lens, defocus and smear MTFs at alternating
single modules); beyond that neighbouring modules merge and no reader could recover the code.

Camera model (every condition)
  * Pinhole camera, 1280×720, horizontal field of view 48–70° (a C270-class webcam is about 48°,
    a C920 in 720p mode about 70°), so the focal length is 910–1440 px.
  * The code is held 15–45 cm from the lens (an ID card, whose code is only 14–18 mm wide,
    8–25 cm): the user stands 20–60 cm away and brings the code closer. The distance is then
    limited to where the code fits in the frame and its modules are at least 2.5 px apart
    (3 px for "clean"): people move the code closer until the kiosk beeps, and a 720p
    webcam's real resolution (Bayer mosaic, MJPEG) resolves little finer. Frames of codes
    held too far away are the "small" condition.
  * Hand-held pose: tilt 0–15° about a random axis, in-plane rotation ±15° (±25° for paper).
  * Lens and demosaicing softness: Gaussian sigma 0.5–0.95 px (MTF50 of 0.2–0.35 cycles/px,
    typical of 720p webcams). Half the frames come from a fixed-focus lens, sharp from about
    40 cm, so a code held closer is defocused by up to 0.3 module pitches; hand tremor during a
    1/30 s exposure smears up to 0.3 pitches.
  * Vignetting 10–35 % at the corners, an illumination gradient up to 25 %, white balance
    within ±7 % per channel, exposure 0.75–1.1 (at 1, white paper reads about 238 of 255).
  * Sensor noise in linear light: variance = 1e-4…4e-4 · signal + (0.001…0.003)², plus
    low-frequency chroma noise; a gamma 2.0–2.4 tone curve with a small toe; half the frames
    go through the webcam's own MJPEG encoder at quality 75–92.
  * Carriers: a phone (68–78 × 145–163 mm, code 38–55 mm, quiet zone 2–4 modules, light or
    dark app theme, screen 0.7–1.3× as bright as white paper, so often clipped), a printout
    (code 40–70 mm, ink at 4–9 % of the paper's reflectance, a soft hand shadow on a quarter
    of them) or an ID card (code 14–18 mm in the corner of an 85.6 × 54 mm card). Hands hold
    most of them; the surround is a wall and the person, a desk, or (phone_screen) darkness.

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

import base64
import hashlib
import json
import math
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import cv2
import numpy as np
import segno
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from numpy.random import Generator
from numpy.typing import NDArray

from station.codec.cbor import Tagged, encode_cbor
from station.issuer.dcc import build_cwt, encode_hc1, vaccination_payload
from station.verify.cose_signature import sig_structure

FloatImage = NDArray[np.float32]
ByteImage = NDArray[np.uint8]
Matrix = NDArray[np.float64]
Color = tuple[int, int, int]

FRAME_SIZE = (1280, 720)

CONDITIONS: tuple[str, ...] = (
    "clean",
    "perspective",
    "blur",
    "motion_blur",
    "noise",
    "glare",
    "low_contrast",
    "moire",
    "small",
    "phone_screen",
    "dark",
    "jpeg",
    "inverted",
)

#: Relative number of frames per condition in a mixed set: inverted codes are rare in the field.
CONDITION_SHARES: Mapping[str, float] = MappingProxyType(
    {**{condition: 1.0 for condition in CONDITIONS}, "inverted": 0.25}
)

#: Conditions the demo cycles through: common at a kiosk and read by the station's decoders.
DEMO_CONDITIONS: tuple[str, ...] = ("clean", "perspective", "phone_screen", "glare", "noise")

PC_COVID_SAMPLE = (
    "079195012345|Nguyễn Thị Hồng Nhung|12/03/1995|CCCD|2f8a61c4-d9b7-4e03-a5c1-7b9e4d2f6a18|"
)
CCCD_SAMPLE = (
    "079099012345|025123456|Trần Văn Bình|15041990|Nam|"
    "123 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|20062021"
)


@dataclass(frozen=True)
class SyntheticFrame:
    """One generated frame and what is known about it.

    `seed` is the frame's own seed: `synth_frame(text, condition, seed)` gives `image` again.
    `corners` are the symbol's outer corners (top-left, top-right, bottom-right, bottom-left of
    the module area, quiet zone excluded) in frame pixels; `params` holds the drawn physical
    parameters (distance, pitch, blur, exposure, ...) so a failed read can be explained.
    """

    text: str
    condition: str
    seed: int
    image: ByteImage
    severity: float
    carrier: str
    corners: Matrix
    params: Mapping[str, float]


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def synth_frame(
    text: str, condition: str, seed: int, size: tuple[int, int] = FRAME_SIZE
) -> ByteImage:
    """A BGR uint8 camera frame of `size` (width, height) holding `text` under `condition`.

    Deterministic for (text, condition, seed, size) with a given OpenCV and NumPy build.
    """
    return synth_frame_with_truth(text, condition, seed, size).image


def synth_frame_with_truth(
    text: str, condition: str, seed: int, size: tuple[int, int] = FRAME_SIZE
) -> SyntheticFrame:
    """The frame of `synth_frame` together with its ground truth and drawn parameters."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; expected one of {CONDITIONS}")
    scene = _draw_scene(text, condition, seed, size)
    modules = _qr_modules(text)
    geometry = _settle(scene, modules.shape[0])
    image = _render(scene, modules, geometry, _family(text))
    return SyntheticFrame(
        text=text,
        condition=condition,
        seed=seed,
        image=image,
        severity=scene.severity,
        carrier=scene.carrier,
        corners=geometry.corners,
        params=_params(scene, geometry),
    )


def synth_set(
    texts: Sequence[str],
    frames_per_condition: int,
    seed: int = 0,
    conditions: Sequence[str] = CONDITIONS,
    *,
    shares: Mapping[str, float] | None = CONDITION_SHARES,
    size: tuple[int, int] = FRAME_SIZE,
) -> Iterator[SyntheticFrame]:
    """Frames for every condition, generated one at a time so a large set never sits in memory.

    Each condition gets `frames_per_condition` frames scaled by its share (`None`: equal
    counts), cycling through `texts`. The same arguments always give the same frames.
    """
    if not texts:
        raise ValueError("synth_set needs at least one text")
    for offset, condition in enumerate(conditions):
        share = 1.0 if shares is None else shares.get(condition, 1.0)
        count = max(1, round(frames_per_condition * share)) if frames_per_condition > 0 else 0
        for index in range(count):
            text = texts[(index + offset) % len(texts)]
            yield synth_frame_with_truth(text, condition, seed * 100_003 + index, size)


def sample_texts() -> list[str]:
    """Realistic payloads of every family the station reads, identical on every call.

    An ES256-signed EU DCC (`HC1:`), a SMART Health Card (`shc:/` digits), an NZ COVID Pass
    (`NZCP:/1/` base32), a PC-Covid personal QR and a Vietnamese chip ID card (CCCD) QR, both
    with UTF-8 Vietnamese names. The signatures are deterministic (RFC 6979) with a fixed key.
    """
    return [_sample_hc1(), _sample_shc(), _sample_nzcp(), PC_COVID_SAMPLE, CCCD_SAMPLE]


def demo_frames(
    texts: Sequence[str],
    seconds_per_code: float = 2.0,
    fps: int = 10,
    size: tuple[int, int] = FRAME_SIZE,
    *,
    gap_seconds: float = 1.0,
    seed: int = 0,
) -> Iterator[ByteImage]:
    """A camera's view of people presenting `texts` one after another, as BGR frames.

    Before each code come `gap_seconds` of the empty room (nobody at the kiosk); then the code
    is held up for `seconds_per_code` with a slight hand sway. Conditions cycle through
    `DEMO_CONDITIONS`. The sequence ends on a code, so it loops back to an empty room.
    """
    room = _draw_scene("", "clean", seed, size)
    for index, text in enumerate(texts):
        for frame in range(round(gap_seconds * fps)):
            yield _render_empty(replace(room, noise_seed=_mix(seed, index, frame, 1)))
        condition = DEMO_CONDITIONS[index % len(DEMO_CONDITIONS)]
        scene = _draw_scene(text, condition, seed * 1009 + index, size)
        scene = replace(scene, background=room.background, background_seed=room.background_seed)
        yield from _presentation(scene, text, round(seconds_per_code * fps), fps)


def write_demo_frames(
    folder: Path,
    texts: Sequence[str],
    seconds_per_code: float = 2.0,
    fps: int = 10,
    size: tuple[int, int] = FRAME_SIZE,
    *,
    gap_seconds: float = 1.0,
    seed: int = 0,
    suffix: str = ".jpg",
) -> list[Path]:
    """Write the `demo_frames` sequence as numbered images (`.jpg` by default, or `.png`).

    JPEG keeps a 15 s demo near 30 MB; PNG of noisy 720p frames is about ten times larger.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    frames = demo_frames(texts, seconds_per_code, fps, size, gap_seconds=gap_seconds, seed=seed)
    for index, image in enumerate(frames):
        path = folder / f"frame_{index:05d}{suffix}"
        if not cv2.imwrite(str(path), image):
            raise OSError(f"cannot write {path}")
        paths.append(path)
    return paths


def write_demo_video(
    path: Path,
    texts: Sequence[str],
    seconds_per_code: float = 2.0,
    fps: int = 10,
    size: tuple[int, int] = FRAME_SIZE,
    *,
    gap_seconds: float = 1.0,
    seed: int = 0,
) -> int:
    """Write the `demo_frames` sequence as an MPEG-4 Part 2 (`mp4v`) video; the frame count.

    The default 1280×720 matches the station's camera; smaller sizes (e.g. (640, 360)) keep
    the file small, and the scene model scales with the width so codes stay readable.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), float(fps), size)
    if not writer.isOpened():
        raise OSError(f"cannot open a video writer for {path}")
    count = 0
    try:
        for image in demo_frames(
            texts, seconds_per_code, fps, size, gap_seconds=gap_seconds, seed=seed
        ):
            writer.write(image)
            count += 1
    finally:
        writer.release()
    return count


# --------------------------------------------------------------------------------------------
# Scene parameters
# --------------------------------------------------------------------------------------------


@dataclass
class _Scene:
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


def _mix(*parts: int) -> int:
    """A stable 63-bit seed from integers (Python's `hash` is salted per process)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _draw_scene(text: str, condition: str, seed: int, size: tuple[int, int]) -> _Scene:
    """Everyday variation first, then the condition's own parameters at a drawn severity."""
    rng = np.random.default_rng([seed % (1 << 64), zlib.crc32(condition.encode()), _crc(text)])
    severity = float(rng.uniform(0.0, 1.0))
    carrier = _FORCED_CARRIER.get(condition) or _pick_carrier(_family(text), rng)
    seeds = rng.integers(0, 2**62, size=4)
    scene = _Scene(
        size=size,
        condition=condition,
        severity=severity,
        carrier=carrier,
        layout_seed=int(seeds[0]),
        background_seed=int(seeds[1]),
        effect_seed=int(seeds[2]),
        noise_seed=int(seeds[3]),
    )
    _draw_nuisances(scene, rng)
    _CONDITION_DRAWS[condition](scene, severity, rng)
    return scene


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _family(text: str) -> str:
    """The credential family, which decides the likely carrier and the app's look."""
    if text.startswith("HC1:"):
        return "dcc"
    if text.startswith("shc:/"):
        return "shc"
    if text.startswith("NZCP:/"):
        return "nzcp"
    fields_ = text.split("|")
    if len(fields_) >= 7 and fields_[0].isdigit() and len(fields_[0]) == 12:
        return "cccd"
    if len(fields_) >= 5:
        return "pccovid"
    return "other"


_CARRIER_ODDS: Mapping[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        "cccd": (("card", 0.8), ("phone", 0.2)),  # the card itself, or VNeID on a phone
        "pccovid": (("phone", 0.9), ("paper", 0.1)),  # an app QR, rarely printed
    }
)
_DEFAULT_ODDS = (("phone", 0.65), ("paper", 0.35))
_FORCED_CARRIER = MappingProxyType({"moire": "phone", "phone_screen": "phone", "inverted": "phone"})


def _pick_carrier(family: str, rng: Generator) -> str:
    odds = _CARRIER_ODDS.get(family, _DEFAULT_ODDS)
    names = [name for name, _ in odds]
    weights = np.array([weight for _, weight in odds])
    return str(rng.choice(names, p=weights / weights.sum()))


def _draw_nuisances(scene: _Scene, rng: Generator) -> None:
    """The everyday variation every frame has, whatever its condition (module docstring)."""
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


def _draw_carrier_size(scene: _Scene, rng: Generator) -> None:
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


def _draw_shadow(scene: _Scene, rng: Generator) -> None:
    """A soft shadow edge (the holder's hand or phone) across a printout."""
    scene.shadow = rng.uniform(0.2, 0.5)
    scene.shadow_angle_deg = rng.uniform(0.0, 360.0)
    scene.shadow_offset = rng.uniform(-0.5, 0.5)
    scene.shadow_soft_mm = rng.uniform(3.0, 15.0)


def _lerp(low: float, high: float, s: float) -> float:
    return low + (high - low) * s


def _clean(scene: _Scene, s: float, rng: Generator) -> None:
    scene.pitch_floor_px = 3.0
    scene.tilt_deg = _lerp(0.0, 8.0, s)
    scene.roll_deg = rng.uniform(-8.0, 8.0)
    scene.lens_sigma_px = _lerp(0.45, 0.65, s)
    scene.defocus_pitches = scene.motion_pitches = 0.0
    scene.noise_shot, scene.noise_read = rng.uniform(5e-5, 2e-4), rng.uniform(0.001, 0.002)
    scene.exposure, scene.screen_gain = rng.uniform(0.8, 1.0), rng.uniform(0.7, 1.0)
    scene.vignetting = min(scene.vignetting, 0.2)
    scene.shadow = 0.0
    scene.jpeg_quality = 0


def _perspective(scene: _Scene, s: float, rng: Generator) -> None:
    scene.tilt_deg = _lerp(15.0, 48.0, s)
    scene.roll_deg = rng.uniform(0.0, 360.0)


def _blur(scene: _Scene, s: float, rng: Generator) -> None:
    scene.defocus_pitches = _lerp(0.3, 0.9, s)  # capped by `_limit_blur`


def _motion_blur(scene: _Scene, s: float, rng: Generator) -> None:
    scene.motion_pitches = _lerp(0.5, 1.6, s)
    scene.motion_angle_deg = rng.uniform(0.0, 180.0)


def _noise(scene: _Scene, s: float, rng: Generator) -> None:
    scene.exposure = _lerp(0.8, 0.45, s) * rng.uniform(0.9, 1.1)
    scene.noise_shot = _lerp(1.5e-3, 6e-3, s)
    scene.noise_read = _lerp(0.005, 0.015, s)
    scene.noise_chroma = rng.uniform(0.4, 0.8)


def _glare(scene: _Scene, s: float, rng: Generator) -> None:
    scene.glare_area = _lerp(0.02, 0.10, s)
    scene.glare_peak = rng.uniform(1.5, 4.0)
    scene.glare_aspect = rng.uniform(1.0, 3.0)
    scene.glare_angle_deg = rng.uniform(0.0, 180.0)
    scene.glare_power = rng.uniform(2.0, 4.0)


def _low_contrast(scene: _Scene, s: float, rng: Generator) -> None:
    ratio = _lerp(3.0, 1.35, s)
    if scene.carrier == "phone":
        # A dim screen under daylight: the glass reflects ambient light over the whole screen.
        scene.screen_gain = rng.uniform(0.3, 0.6)
        black = 0.005 * scene.screen_gain
        scene.veil = (scene.screen_gain - ratio * black) / (ratio - 1.0) / scene.exposure
    else:
        scene.ink_ratio = 1.0 / ratio


def _moire(scene: _Scene, s: float, rng: Generator) -> None:
    scene.screen_gain = rng.uniform(0.55, 0.9)  # fringes vanish where the screen saturates
    scene.moire_amp = _lerp(0.04, 0.14, s)
    scene.moire_period_px = rng.uniform(5.0, 40.0)
    scene.moire_angle_deg = float(rng.choice([0.0, 90.0])) + rng.uniform(-20.0, 20.0)
    scene.moire_chroma = rng.uniform(0.3, 1.0)
    if rng.random() < 0.5:
        scene.banding_amp = rng.uniform(0.02, 0.06)
        scene.banding_period_px = rng.uniform(30.0, 200.0)


def _small(scene: _Scene, s: float, rng: Generator) -> None:
    scene.pitch_target_px = _lerp(3.0, 1.5, s)
    scene.defocus_pitches = 0.0  # far enough to be in focus


def _phone_screen(scene: _Scene, s: float, rng: Generator) -> None:
    scene.background = "dark"
    scene.screen_gain = _lerp(1.0, 2.2, s)
    scene.reflections = _lerp(0.02, 0.10, s)
    scene.barrel_k1 = -_lerp(0.03, 0.12, s)
    scene.tilt_deg = rng.uniform(5.0, 25.0)
    scene.veil = rng.uniform(0.01, 0.04)
    scene.dark_mode = bool(rng.random() < 0.4)


def _dark(scene: _Scene, s: float, rng: Generator) -> None:
    scene.exposure = _lerp(0.3, 0.08, s)
    scene.screen_exposure = rng.uniform(0.25, 0.6) / scene.exposure
    scene.noise_shot = _lerp(1e-3, 4e-3, s)
    scene.noise_read = _lerp(0.003, 0.01, s)
    scene.noise_chroma = rng.uniform(0.4, 0.8)
    scene.gamma = rng.uniform(2.2, 2.6)
    scene.black_crush = rng.uniform(0.005, 0.02)
    scene.motion_pitches = rng.uniform(0.0, 0.4)
    scene.motion_angle_deg = rng.uniform(0.0, 180.0)
    warm = rng.random() < 0.6  # sodium and tungsten light, or cold LED
    cast = rng.uniform(0.08, 0.2)
    scene.wb_b, scene.wb_r = (1.0 - cast, 1.0 + cast) if warm else (1.0 + cast, 1.0 - cast)


def _jpeg(scene: _Scene, s: float, rng: Generator) -> None:
    scene.jpeg_quality = round(_lerp(35.0, 12.0, s))


def _inverted(scene: _Scene, s: float, rng: Generator) -> None:
    scene.dark_mode = True
    scene.inverted = True


_CONDITION_DRAWS: Mapping[str, Callable[[_Scene, float, Generator], None]] = MappingProxyType(
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


# --------------------------------------------------------------------------------------------
# The symbol
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _qr_modules(text: str) -> NDArray[np.bool_]:
    """The symbol's dark modules, encoded the way each family's issuers encode it.

    SMART Health Cards are a byte segment `shc:/` plus a numeric segment at level L (their
    specification); everything else uses the station's own choice (`station.issuer.qr_image`).
    """
    if text.startswith("shc:/") and text[5:].isdigit():
        segments: Any = [text[:5], text[5:]]  # segno takes a list of segments (untyped)
        code = segno.make(segments, error="l", boost_error=False, micro=False)
    else:
        code = segno.make(text, error="q" if len(text) < 1500 else "l", micro=False)
    size = len(code.matrix)
    modules = np.frombuffer(b"".join(bytes(row) for row in code.matrix), np.uint8) > 0
    modules = modules.reshape(size, size)
    modules.flags.writeable = False
    return modules


# --------------------------------------------------------------------------------------------
# Geometry: where the code plane sits in front of the camera
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Geometry:
    focal: float
    plane_to_frame: Matrix  # homography, code plane in mm (origin at the code centre) to px
    distance_mm: float
    pitch_min: float
    pitch_max: float
    corners: Matrix  # symbol corners in frame px, lens distortion included
    module_mm: float


def _rotation(tilt_deg: float, axis_deg: float, roll_deg: float) -> Matrix:
    """Tilt about an in-plane axis, then the in-plane rotation (roll)."""
    axis = math.radians(axis_deg)
    kx, ky = math.cos(axis), math.sin(axis)
    tilt = math.radians(tilt_deg)
    k = np.array([[0.0, 0.0, ky], [0.0, 0.0, -kx], [-ky, kx, 0.0]])
    tilt_matrix = np.eye(3) + math.sin(tilt) * k + (1.0 - math.cos(tilt)) * (k @ k)
    roll = math.radians(roll_deg)
    c, s = math.cos(roll), math.sin(roll)
    roll_matrix = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    return np.asarray(tilt_matrix @ roll_matrix, dtype=np.float64)


def _plane_homography(
    focal: float, size: tuple[int, int], rotation: Matrix, at: tuple[float, float], depth: float
) -> Matrix:
    """Homography of the code plane placed at `depth` mm, its centre imaged at pixel `at`."""
    cx, cy = (size[0] - 1) / 2.0, (size[1] - 1) / 2.0
    camera = np.array([[focal, 0.0, cx], [0.0, focal, cy], [0.0, 0.0, 1.0]])
    shift = np.array([(at[0] - cx) * depth / focal, (at[1] - cy) * depth / focal, depth])
    extrinsic = np.column_stack([rotation[:, 0], rotation[:, 1], shift])
    return np.asarray(camera @ extrinsic, dtype=np.float64)


def _project(homography: Matrix, points: Matrix) -> Matrix:
    ones = np.ones((points.shape[0], 1))
    mapped = np.hstack([points, ones]) @ homography.T
    return np.asarray(mapped[:, :2] / mapped[:, 2:3], dtype=np.float64)


def _square(half: float) -> Matrix:
    return np.array([[-half, -half], [half, -half], [half, half], [-half, half]])


def _pitches(corners: Matrix, modules: int) -> tuple[float, float]:
    sides = np.linalg.norm(corners - np.roll(corners, -1, axis=0), axis=1) / modules
    return float(sides.min()), float(sides.max())


def _solve_geometry(scene: _Scene, modules: int) -> _Geometry:
    """Distance and placement so that the code fits and its modules resolve (module docstring)."""
    width, height = scene.size
    focal = (width / 2.0) / math.tan(math.radians(scene.hfov_deg) / 2.0)
    rotation = _rotation(scene.tilt_deg, scene.tilt_axis_deg, scene.roll_deg)
    module_mm = scene.code_mm / modules
    half = scene.code_mm / 2.0
    outer = _square(half + scene.quiet_modules * module_mm * 0.75)
    centre = ((width - 1) / 2.0, (height - 1) / 2.0)
    probe = 300.0
    trial = _plane_homography(focal, scene.size, rotation, centre, probe)
    pitch_probe, _ = _pitches(_project(trial, _square(half)), modules)
    extent = np.ptp(_project(trial, outer), axis=0)
    margin = 0.03 * height
    fit = probe * max(extent[0] / (width - 2 * margin), extent[1] / (height - 2 * margin))
    distance = _pick_distance(scene, probe * pitch_probe, fit)
    for _ in range(2):  # off-centre placement changes the pitch a little: correct once
        at = _place(scene, focal, rotation, distance, outer, margin)
        homography = _plane_homography(focal, scene.size, rotation, at, distance)
        corners = _distort(_project(homography, _square(half)), scene, focal)
        pitch_min, pitch_max = _pitches(corners, modules)
        wanted = scene.pitch_target_px or max(pitch_min, scene.pitch_floor_px)
        if abs(pitch_min - wanted) < 0.02 * wanted:
            break
        distance = max(fit, distance * pitch_min / wanted)
    return _Geometry(focal, homography, distance, pitch_min, pitch_max, corners, module_mm)


def _settle(scene: _Scene, modules: int) -> _Geometry:
    """Solve the geometry, then keep the blur within what a good reader can still resolve."""
    geometry = _solve_geometry(scene, modules)
    _limit_blur(scene, geometry.pitch_min)
    return geometry


MIN_MODULE_CONTRAST = 0.25


def _module_contrast(scene: _Scene, pitch: float, blur_scale: float = 1.0) -> float:
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
    return float(np.trapezoid(np.cos(tau - x * np.sin(tau)), tau) / math.pi)


def _limit_blur(scene: _Scene, pitch: float) -> None:
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


def _pick_distance(scene: _Scene, pitch_times_distance: float, fit: float) -> float:
    """The drawn distance, limited to where the code fits and its modules resolve."""
    if scene.pitch_target_px > 0:
        return max(fit, pitch_times_distance / scene.pitch_target_px)
    floor = pitch_times_distance / scene.pitch_floor_px
    low, high = max(scene.near_mm, fit), min(scene.far_mm, floor)
    if low > high:  # the nominal range cannot hold this code: the holder adapts
        if floor < fit:
            return fit
        if floor < scene.near_mm:
            low, high = max(fit, 0.85 * floor), floor
        else:
            low, high = fit, min(floor, 1.15 * fit)
    return low + (high - low) * scene.distance_u


def _place(
    scene: _Scene,
    focal: float,
    rotation: Matrix,
    distance: float,
    outer: Matrix,
    margin: float,
) -> tuple[float, float]:
    """Where the code centre is imaged: anywhere the whole quiet zone stays inside the frame."""
    width, height = scene.size
    centre = ((width - 1) / 2.0, (height - 1) / 2.0)
    at = centre
    for shrink in (1.0, 0.7, 0.4, 0.0):
        homography = _plane_homography(focal, scene.size, rotation, centre, distance)
        box = _project(homography, outer)
        low = margin + (centre[0] - box[:, 0].min()), margin + (centre[1] - box[:, 1].min())
        high = (
            width - 1 - margin - (box[:, 0].max() - centre[0]),
            height - 1 - margin - (box[:, 1].max() - centre[1]),
        )
        wanted = (
            _lerp(low[0], high[0], scene.place_x) if low[0] < high[0] else centre[0],
            _lerp(low[1], high[1], scene.place_y) if low[1] < high[1] else centre[1],
        )
        at = (_lerp(centre[0], wanted[0], shrink), _lerp(centre[1], wanted[1], shrink))
        placed = _project(_plane_homography(focal, scene.size, rotation, at, distance), outer)
        inside = placed.min() >= 0 and (placed[:, 0].max() < width) and placed[:, 1].max() < height
        if inside:
            return at
    return at


def _distort(points: Matrix, scene: _Scene, focal: float) -> Matrix:
    """Radial (barrel) distortion of the webcam lens, applied to ideal pixel positions."""
    if scene.barrel_k1 == 0.0:
        return points
    centre = np.array([(scene.size[0] - 1) / 2.0, (scene.size[1] - 1) / 2.0])
    offset = points - centre
    r2 = (offset**2).sum(axis=1, keepdims=True) / focal**2
    return np.asarray(centre + offset * (1.0 + scene.barrel_k1 * r2), dtype=np.float64)


def _params(scene: _Scene, geometry: _Geometry) -> Mapping[str, float]:
    params = {
        item.name: float(getattr(scene, item.name))
        for item in fields(scene)
        if isinstance(getattr(scene, item.name), int | float)
        and not isinstance(getattr(scene, item.name), bool)
        and not item.name.endswith("_seed")
    }
    params.update(
        distance_mm=geometry.distance_mm,
        focal_px=geometry.focal,
        pitch_min_px=geometry.pitch_min,
        pitch_max_px=geometry.pitch_max,
        module_mm=geometry.module_mm,
    )
    return MappingProxyType(params)


# --------------------------------------------------------------------------------------------
# Carriers: the phone, printout or card, drawn in millimetres around the code centre
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    points: Matrix  # (k, 2) mm
    color: Color
    screen: bool = False
    width_mm: float = 0.0  # > 0: an open polyline of this width instead of a filled polygon


@dataclass(frozen=True)
class _Label:
    text: str
    origin: tuple[float, float]  # baseline start, mm
    height_mm: float
    color: Color
    screen: bool = False


@dataclass(frozen=True)
class _Symbol:
    dark: Color
    light: Color
    screen: bool


_Op = _Shape | _Label | _Symbol


def _rect(x0: float, y0: float, x1: float, y1: float) -> Matrix:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64)


def _rounded(x0: float, y0: float, x1: float, y1: float, radius: float) -> Matrix:
    radius = max(0.0, min(radius, (x1 - x0) / 2.0, (y1 - y0) / 2.0))
    arcs = []
    for cx, cy, start in (
        (x1 - radius, y0 + radius, -90),
        (x1 - radius, y1 - radius, 0),
        (x0 + radius, y1 - radius, 90),
        (x0 + radius, y0 + radius, 180),
    ):
        angles = np.radians(np.linspace(start, start + 90, 8))
        arcs.append(np.column_stack([cx + radius * np.cos(angles), cy + radius * np.sin(angles)]))
    return np.asarray(np.vstack(arcs), dtype=np.float64)


def _ellipse(cx: float, cy: float, ax: float, ay: float, angle_deg: float = 0.0) -> Matrix:
    t = np.linspace(0.0, 2.0 * np.pi, 40, endpoint=False)
    a = math.radians(angle_deg)
    x, y = ax * np.cos(t), ay * np.sin(t)
    return np.column_stack(
        [cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a)]
    )


def _jitter(color: Color, rng: Generator, amount: int = 6) -> Color:
    b, g, r = (int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in color)
    return (b, g, r)


def _linear_to_byte(value: float) -> int:
    """An sRGB byte for a linear reflectance (for drawing ink of a given contrast)."""
    return int(np.clip(round(float(_encode_srgb(np.array(value))) * 255), 0, 255))


_SKIN: tuple[Color, ...] = (
    (160, 185, 230),
    (135, 165, 215),
    (110, 145, 200),
    (85, 120, 175),
    (60, 90, 140),
    (45, 65, 100),
)
_BRAND: Mapping[str, tuple[Color, str, tuple[str, ...]]] = MappingProxyType(
    {
        "dcc": ((150, 70, 20), "EU Digital COVID Certificate", ("Vaccination", "Dose 2/2")),
        "shc": ((120, 90, 30), "SMART Health Card", ("COVID-19 vaccination", "2 doses")),
        "nzcp": ((60, 50, 20), "My Vaccine Pass", ("Valid to 16 Apr 2023", "Aotearoa")),
        "pccovid": ((60, 140, 30), "PC-COVID", ("QR ca nhan", "Nguyen Thi Hong Nhung")),
        "cccd": ((40, 40, 170), "VNeID", ("Can cuoc cong dan", "Tran Van Binh")),
        "other": ((110, 110, 110), "Wallet", ("Pass", "")),
    }
)


def _carrier_ops(scene: _Scene, family: str, module_mm: float, modules: int) -> list[_Op]:
    rng = np.random.default_rng(scene.layout_seed)
    code = module_mm * modules
    quiet = scene.quiet_modules * module_mm
    if scene.carrier == "phone":
        return _phone_ops(scene, family, code, quiet, rng)
    if scene.carrier == "paper":
        return _paper_ops(scene, family, code, quiet, rng)
    return _card_ops(scene, code, quiet, rng)


def _phone_ops(scene: _Scene, family: str, code: float, quiet: float, rng: Generator) -> list[_Op]:
    """A portrait phone showing a wallet app; the code is centred across the screen."""
    card = code + 2.0 * quiet
    side, top, bottom = rng.uniform(1.5, 4.0), rng.uniform(4.0, 10.0), rng.uniform(3.0, 10.0)
    screen_w = max(rng.uniform(62.0, 72.0), card + 3.0)
    width = screen_w + 2 * side
    screen_h = rng.uniform(135.0, 150.0)
    above = rng.uniform(0.38, 0.5) * screen_h
    above = max(above, card / 2.0 + 22.0)
    sx0, sx1 = -screen_w / 2.0, screen_w / 2.0
    sy0, sy1 = -above, screen_h - above
    body = _rounded(-width / 2.0, sy0 - top, width / 2.0, sy1 + bottom, rng.uniform(7.0, 11.0))
    ops: list[_Op] = []
    skin = _jitter(_SKIN[int(rng.integers(len(_SKIN)))], rng)
    if scene.hand:
        ops += _fingers_behind(width, sy1 + bottom, skin, rng)
    ops.append(_Shape(body, _jitter((25, 25, 28), rng, 8)))
    ops.append(_Shape(_rounded(sx0, sy0, sx1, sy1, rng.uniform(3.0, 8.0)), (0, 0, 0), True))
    ops += _app_ops(scene, family, (sx0, sy0, sx1, sy1), card, rng)
    if scene.hand:
        ops += _thumb(width, card, sy1, skin, rng)
    return ops


def _app_ops(
    scene: _Scene,
    family: str,
    screen: tuple[float, float, float, float],
    card: float,
    rng: Generator,
) -> list[_Op]:
    """The wallet app: status bar, branded title bar, name lines, the code, a button."""
    sx0, sy0, sx1, sy1 = screen
    dark = scene.dark_mode
    background = _jitter((28, 26, 24) if dark else (250, 250, 250), rng, 4)
    ink = (225, 225, 225) if dark else (40, 40, 40)
    brand, title, lines = _BRAND[family]
    ops: list[_Op] = [_Shape(_rounded(sx0, sy0, sx1, sy1, 5.0), background, True)]
    ops.append(_Label("9:41", (sx0 + 4.0, sy0 + 3.5), 2.2, ink, True))
    ops.append(_Shape(_rect(sx1 - 12.0, sy0 + 1.5, sx1 - 4.0, sy0 + 3.4), ink, True))
    bar = sy0 + rng.uniform(10.0, 14.0)
    ops.append(_Shape(_rect(sx0, sy0 + 5.0, sx1, bar), brand, True))
    ops.append(_Label(title, (sx0 + 4.0, bar - 2.5), 2.6, (250, 250, 250), True))
    half = card / 2.0
    ops.append(_Label(lines[1], (sx0 + 5.0, -half - 6.0), 2.8, ink, True))
    ops.append(_Label(lines[0], (sx0 + 5.0, -half - 12.0), 2.2, ink, True))
    if dark and not scene.inverted:
        white = _jitter((245, 245, 245), rng, 4)
        ops.append(_Shape(_rounded(-half, -half, half, half, 1.5), white, True))
        ops.append(_Symbol((20, 20, 20), white, True))
    elif scene.inverted:
        ops.append(_Symbol(_jitter((220, 220, 220), rng, 10), background, True))
    else:
        ops.append(_Symbol((15, 15, 15), background, True))
    for row in range(3):
        y = half + 8.0 + 6.0 * row
        length = rng.uniform(0.35, 0.8) * (sx1 - sx0 - 10.0)
        ops.append(_Shape(_rect(sx0 + 5.0, y, sx0 + 5.0 + length, y + 2.0), ink, True))
    button_y = sy1 - rng.uniform(8.0, 14.0)
    ops.append(_Shape(_rounded(sx0 + 6.0, button_y - 8.0, sx1 - 6.0, button_y, 4.0), brand, True))
    return ops


def _fingers_behind(width: float, bottom: float, skin: Color, rng: Generator) -> list[_Op]:
    """Fingertips curling round the far edge, and the palm under the phone."""
    shade = _jitter(skin, rng, 10)
    x = (width / 2.0 + rng.uniform(1.0, 3.5)) * (1 if rng.random() < 0.5 else -1)
    ops: list[_Op] = [
        _Shape(_ellipse(x, bottom - 55.0 + 18.0 * i + rng.uniform(-3, 3), 5.0, 8.0), shade)
        for i in range(int(rng.integers(2, 4)))
    ]
    ops.append(_Shape(_ellipse(rng.uniform(-10, 10), bottom + 18.0, 48.0, 40.0), skin))
    return ops


def _thumb(
    width: float, card: float, screen_bottom: float, skin: Color, rng: Generator
) -> list[_Op]:
    """The thumb over the near edge, kept clear of the code's quiet zone."""
    sign = 1 if rng.random() < 0.5 else -1
    x = sign * max(width / 2.0 + rng.uniform(-2.0, 4.0), card / 2.0 + 11.0)
    y = rng.uniform(card / 2.0 + 22.0, max(card / 2.0 + 24.0, screen_bottom - 20.0))
    angle = sign * rng.uniform(10.0, 35.0)
    darker = tuple(int(c * 0.8) for c in skin)
    return [
        _Shape(_ellipse(x, y, 10.5, 24.0, angle), (darker[0], darker[1], darker[2])),
        _Shape(_ellipse(x - sign * 0.6, y - 0.6, 9.5, 23.0, angle), skin),
        _Shape(_ellipse(x - sign * 1.5, y - 15.0, 5.5, 6.0, angle), _jitter(skin, rng, 12)),
    ]


def _paper_ops(scene: _Scene, family: str, code: float, quiet: float, rng: Generator) -> list[_Op]:
    """A printed certificate: the code with headings and text lines around it."""
    paper = _jitter((240, 244, 246), rng, 5)
    ink_level = _linear_to_byte(scene.ink_ratio * float(_decode_srgb(np.array(paper[1] / 255))))
    ink = (ink_level, ink_level, ink_level)
    half = code / 2.0
    left, right = rng.uniform(15.0, 80.0), rng.uniform(30.0, 120.0)
    up, down = rng.uniform(25.0, 100.0), rng.uniform(25.0, 150.0)
    x0, y0, x1, y1 = -half - left, -half - up, half + right, half + down
    _, title, lines = _BRAND[family]
    ops: list[_Op] = [_Shape(_rect(x0, y0, x1, y1), paper), _Symbol(ink, paper, False)]
    ops.append(_Label(title.upper(), (x0 + 8.0, -half - quiet - 10.0), 4.0, ink))
    text_x = half + quiet + 6.0
    for row, line in enumerate((*lines, "Date of birth", "1990-05-17", "Issued by", "MoH")):
        ops.append(_Label(line, (text_x, -half + 5.0 + 7.5 * row), 2.8, ink))
    ops.append(_Label("Certificate identifier", (-half, half + quiet + 6.0), 2.6, ink))
    if scene.hand:
        sign = 1 if rng.random() < 0.5 else -1
        edge = x1 if sign > 0 else x0
        skin = _jitter(_SKIN[int(rng.integers(len(_SKIN)))], rng)
        thumb_y = rng.uniform(-half, y1 - 10.0)
        ops.append(_Shape(_ellipse(edge + sign * 4.0, thumb_y, 11.0, 20.0, sign * 20.0), skin))
    return ops


def _card_ops(scene: _Scene, code: float, quiet: float, rng: Generator) -> list[_Op]:
    """A chip ID card (CCCD): pale patterned background, photo, text, code in the top right."""
    half = code / 2.0
    x1 = half + quiet + rng.uniform(2.5, 4.0)
    y0 = -half - quiet - rng.uniform(2.5, 5.0)
    x0, y1 = x1 - 85.6, y0 + 54.0
    base = _jitter((226, 232, 214), rng, 5)
    ink = (70, 40, 30)
    ops: list[_Op] = []
    skin = _jitter(_SKIN[int(rng.integers(len(_SKIN)))], rng)
    ops.append(_Shape(_rounded(x0, y0, x1, y1, 3.2), base))
    xs = np.linspace(x0 + 1.0, x1 - 1.0, 60)
    for k in range(7):
        phase = rng.uniform(0.0, 2.0 * np.pi)
        ys = y0 + 8.0 + 6.5 * k + 1.5 * np.sin(xs / 4.0 + phase)
        ops.append(_Shape(np.column_stack([xs, ys]), (200, 214, 196), width_mm=0.25))
    ops.append(_Shape(_ellipse(x0 + 8.0, y0 + 8.0, 5.0, 5.0), (40, 60, 200)))
    ops.append(_Label("CAN CUOC CONG DAN", (x0 + 26.0, y0 + 9.0), 2.6, (40, 40, 170)))
    ops.append(_Shape(_rect(x0 + 4.0, y0 + 17.0, x0 + 24.0, y0 + 43.0), (215, 205, 190)))
    ops.append(_Shape(_ellipse(x0 + 14.0, y0 + 27.0, 5.5, 7.0), skin))
    ops.append(_Shape(_rect(x0 + 5.0, y0 + 44.0, x0 + 13.0, y0 + 50.0), (90, 170, 210)))
    for row, line in enumerate(("So: 079099012345", "Ho ten: TRAN VAN BINH", "15/04/1990  Nam")):
        ops.append(_Label(line, (x0 + 27.0, y0 + 20.0 + 6.0 * row), 2.2, ink))
    white = (245, 245, 245)
    level = _linear_to_byte(scene.ink_ratio * float(_decode_srgb(np.array(white[0] / 255))))
    ops.append(_Shape(_rect(-half - quiet, -half - quiet, half + quiet, half + quiet), white))
    ops.append(_Symbol((level, level, level), white, False))
    if scene.hand:
        thumb_x = rng.uniform(x0 + 5.0, x0 + 40.0)
        ops.append(_Shape(_ellipse(thumb_x, y1 + 6.0, 10.0, 16.0, rng.uniform(-30, 30)), skin))
    return ops


def _extent(ops: Sequence[_Op], half: float) -> tuple[float, float, float, float]:
    boxes = [(-half, -half, half, half)]
    for op in ops:
        if isinstance(op, _Shape):
            low, high = op.points.min(axis=0), op.points.max(axis=0)
            boxes.append((float(low[0]), float(low[1]), float(high[0]), float(high[1])))
        elif isinstance(op, _Label):
            x, y = op.origin
            boxes.append((x, y - op.height_mm, x + 0.75 * op.height_mm * len(op.text), y))
    box = np.array(boxes)
    return (box[:, 0].min(), box[:, 1].min(), box[:, 2].max(), box[:, 3].max())


# --------------------------------------------------------------------------------------------
# Rasterising the carrier and bringing it into the frame
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Canvas:
    """The carrier as BGRA: sRGB-encoded reflectance or screen content, and in A the kind of
    surface: 0 nothing, `_SOLID` paper/plastic/skin, 255 screen. Values in between, at edges,
    interpolate correctly (partial cover, or a mix of screen and bezel), so one warp carries
    everything."""

    image: ByteImage
    mm_to_px: Matrix  # plane mm -> canvas pixel coordinates (pixel centres at integers)


_SOLID = 128


def _rasterize(
    ops: Sequence[_Op],
    modules: NDArray[np.bool_],
    module_px: int,
    module_mm: float,
    bounds: tuple[float, float, float, float],
) -> _Canvas:
    """Draw the carrier at `module_px` pixels per module, the code's corner on a pixel edge."""
    scale = module_px / module_mm
    code_px = modules.shape[0] * module_px
    x0, y0, x1, y1 = bounds
    left = max(0, math.ceil(-code_px / 2.0 - x0 * scale))
    top = max(0, math.ceil(-code_px / 2.0 - y0 * scale))
    offset_x, offset_y = left + code_px / 2.0, top + code_px / 2.0
    width = max(left + code_px, math.ceil(x1 * scale + offset_x)) + 1
    height = max(top + code_px, math.ceil(y1 * scale + offset_y)) + 1
    to_px = np.array([[scale, 0, offset_x - 0.5], [0, scale, offset_y - 0.5], [0, 0, 1.0]])
    image = np.zeros((height, width, 4), np.uint8)
    drawing = _Drawing(image, scale, (offset_x, offset_y))
    for op in ops:
        if isinstance(op, _Symbol):
            drawing.symbol(op, modules, module_px, (left, top))
        elif isinstance(op, _Label):
            drawing.label(op)
        else:
            drawing.shape(op)
    return _Canvas(image, to_px)


@dataclass
class _Drawing:
    image: ByteImage
    scale: float
    offset: tuple[float, float]

    def points(self, mm: Matrix) -> NDArray[np.int32]:
        px = (mm * self.scale + np.array(self.offset) - 0.5) * 16.0
        return np.asarray(np.round(px), np.int32)

    @staticmethod
    def colour(color: Color, screen: bool) -> tuple[int, int, int, int]:
        return (*color, 255 if screen else _SOLID)

    def shape(self, op: _Shape) -> None:
        pts = [self.points(op.points)]
        colour = self.colour(op.color, op.screen)
        if op.width_mm > 0:
            thick = max(1, round(op.width_mm * self.scale))
            cv2.polylines(self.image, pts, False, colour, thick, cv2.LINE_AA, 4)
        else:
            cv2.fillPoly(self.image, pts, colour, cv2.LINE_AA, 4)

    def label(self, op: _Label) -> None:
        origin = self.points(np.array([op.origin]))[0] // 16
        font_scale = op.height_mm * self.scale / 22.0
        thickness = max(1, round(font_scale * 1.6))
        cv2.putText(
            self.image,
            op.text,
            (int(origin[0]), int(origin[1])),
            cv2.FONT_HERSHEY_SIMPLEX,
            font_scale,
            self.colour(op.color, op.screen),
            thickness,
            cv2.LINE_AA,
        )

    def symbol(
        self, op: _Symbol, modules: NDArray[np.bool_], module_px: int, corner: tuple[int, int]
    ) -> None:
        side = modules.shape[0] * module_px
        palette = np.array([self.colour(op.light, op.screen), self.colour(op.dark, op.screen)])
        colours = palette.astype(np.uint8)[modules.astype(np.uint8)]
        x, y = corner
        self.image[y : y + side, x : x + side] = cv2.resize(
            colours, (side, side), interpolation=cv2.INTER_NEAREST
        )


# --------------------------------------------------------------------------------------------
# Rendering: scene radiance, optics, sensor
# --------------------------------------------------------------------------------------------

SUPERSAMPLE_BELOW_PX = 3.5  # module pitches under this are drawn at 2× and area-averaged


def _render(
    scene: _Scene, modules: NDArray[np.bool_], geometry: _Geometry, family: str
) -> ByteImage:
    frame, light = _background(scene)
    _composite_carrier(frame, light, scene, modules, geometry, family)
    low = geometry.corners.min(axis=0) - 6 * geometry.pitch_max - 16
    high = geometry.corners.max(axis=0) + 6 * geometry.pitch_max + 16
    focus = (int(low[0]), int(low[1]), int(high[0]) + 1, int(high[1]) + 1)
    return _sensor(frame, scene, focus)


def _render_empty(scene: _Scene) -> ByteImage:
    frame, _ = _background(scene)
    return _sensor(frame, scene)


def _encode_srgb(linear: NDArray[np.floating]) -> NDArray[np.float64]:
    x = np.clip(np.asarray(linear, dtype=np.float64), 0.0, 1.0)
    return np.where(x <= 0.0031308, 12.92 * x, 1.055 * x ** (1 / 2.4) - 0.055)


def _decode_srgb(encoded: NDArray[np.floating]) -> NDArray[np.float64]:
    x = np.clip(np.asarray(encoded, dtype=np.float64), 0.0, 1.0)
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)


_SRGB_LUT: FloatImage = _decode_srgb(np.arange(256) / 255.0).astype(np.float32)


def _gains(scene: _Scene) -> NDArray[np.float32]:
    return np.array([scene.wb_b, scene.wb_g, scene.wb_r], np.float32) * np.float32(scene.exposure)


class _Buffers(threading.local):
    def __init__(self) -> None:
        self.arrays: dict[tuple[str, int, str], NDArray[Any]] = {}


_BUFFERS = _Buffers()


def _buffer(name: str, height: int, width: int, channels: int = 1) -> FloatImage:
    """A reusable float32 work array of this size, per thread; its contents are undefined.

    A fresh multi-megabyte array costs page faults on first touch, which here cost as much as
    the pixel work itself, so the pipeline writes into a few long-lived buffers instead. Two
    live uses of the same `name` must not overlap.
    """
    return np.asarray(_reusable(name, height, width, channels, np.float32), np.float32)


def _byte_buffer(name: str, height: int, width: int, channels: int = 1) -> ByteImage:
    """Like `_buffer`, for 8-bit images."""
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


def _three(plane: FloatImage, name: str = "three") -> FloatImage:
    """A one-channel map as three channels, in a reusable buffer (OpenCV's per-pixel ops on
    three-channel arrays are much faster than NumPy broadcasting over a trailing axis of 3)."""
    out = _buffer(name, plane.shape[0], plane.shape[1], 3)
    return np.asarray(cv2.merge([plane, plane, plane], dst=out), np.float32)


def _apply_gains(image: FloatImage, scene: _Scene) -> None:
    """Exposure and white balance, in place (a diagonal colour transform is OpenCV's fastest
    per-channel multiply)."""
    cv2.transform(image, np.diag(_gains(scene)), dst=image)


# -- background -------------------------------------------------------------------------------


def _background(scene: _Scene) -> tuple[FloatImage, FloatImage]:
    """The room behind the code, exposed, and the illumination field (both full size).

    Both live in reusable buffers; they are valid until the next frame on this thread.
    """
    width, height = scene.size
    half = (max(2, width // 2), max(2, height // 2))
    rng = np.random.default_rng(scene.background_seed)
    albedo = _room_albedo(scene.background, half, rng)
    light = _illumination(scene, (max(2, width // 8), max(2, height // 8)))
    light_half = np.asarray(cv2.resize(light, half, interpolation=cv2.INTER_LINEAR), np.float32)
    cv2.multiply(albedo, _three(light_half), dst=albedo)
    _apply_gains(albedo, scene)
    frame = _buffer("frame", height, width, 3)
    cv2.resize(albedo, (width, height), dst=frame, interpolation=cv2.INTER_LINEAR)
    light_full = _buffer("light", height, width)
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
    image = _buffer("room", height, width, 3)
    cv2.resize(_smooth_upscale(shading, 8), size, dst=image, interpolation=cv2.INTER_LINEAR)
    if kind == "desk":
        cv2.multiply(image, _three(_grain(size, rng)), dst=image)
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


def _illumination(scene: _Scene, size: tuple[int, int]) -> FloatImage:
    """Vignetting (≈cos⁴ falloff toward the corners) times a gradient across the scene."""
    width, height = size
    xs = np.linspace(-1.0, 1.0, width, dtype=np.float32)[None, :]
    ys = np.linspace(-1.0, 1.0, height, dtype=np.float32)[:, None] * (height / width)
    r2 = (xs**2 + ys**2) / (1.0 + (height / width) ** 2)
    angle = math.radians(scene.light_angle_deg)
    slope = (xs * math.cos(angle) + ys * math.sin(angle)) / math.sqrt(2.0)
    light = (1.0 - scene.vignetting * r2) * (1.0 + scene.light_gradient * slope)
    return np.asarray(light, np.float32)


# -- the carrier in the frame ------------------------------------------------------------------


def _composite_carrier(
    frame: FloatImage,
    light: FloatImage,
    scene: _Scene,
    modules: NDArray[np.bool_],
    geometry: _Geometry,
    family: str,
) -> None:
    """Draw the carrier, project it into the frame, light it and blur it, in place."""
    ops = _carrier_ops(scene, family, geometry.module_mm, modules.shape[0])
    bounds = _canvas_bounds(scene, geometry, _extent(ops, scene.code_mm / 2.0))
    module_px = max(1, math.ceil(geometry.pitch_max))
    canvas = _rasterize(ops, modules, module_px, geometry.module_mm, bounds)
    roi = _roi(scene, geometry, bounds)
    if roi[2] <= roi[0] or roi[3] <= roi[1]:
        return
    albedo, alpha, screen = _warp(canvas, scene, geometry, roi)
    if geometry.pitch_max < SUPERSAMPLE_BELOW_PX:
        _sharpen_symbol(albedo, ops, modules, scene, geometry, roi)
    x0, y0, x1, y1 = roi
    plane = _plane_coords(geometry, roi) if _needs_plane(scene) else None
    region = frame[y0:y1, x0:x1]
    _light_carrier(region, albedo, alpha, screen, light[y0:y1, x0:x1], scene, plane)
    _add_reflections(region, scene, geometry, modules.shape[0], alpha, screen, plane)
    _optics(region, scene, geometry)
    if scene.moire_amp > 0 and plane is not None:
        pattern = _moire_pattern(scene, geometry, plane, roi, alpha * screen)
        cv2.multiply(region, pattern, dst=region)


def _needs_plane(scene: _Scene) -> bool:
    return scene.glare_peak > 0 or scene.moire_amp > 0 or scene.shadow > 0


def _canvas_bounds(
    scene: _Scene, geometry: _Geometry, layout: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The part of the carrier's plane (mm) that can appear in the frame."""
    width, height = scene.size
    pad = 0.1
    xs = np.array([-pad, 0.5, 1 + pad]) * (width - 1)
    ys = np.array([-pad, 0.5, 1 + pad]) * (height - 1)
    border = np.array([[x, y] for x in xs for y in ys if (x, y) != (xs[1], ys[1])])
    border = _undistort(border, scene, geometry.focal)
    inverse = np.linalg.inv(geometry.plane_to_frame)
    mapped = np.hstack([border, np.ones((len(border), 1))]) @ inverse.T
    if (mapped[:, 2] <= 0).any():
        return layout
    plane = mapped[:, :2] / mapped[:, 2:3]
    low, high = plane.min(axis=0), plane.max(axis=0)
    half = scene.code_mm / 2.0
    return (
        max(layout[0], min(float(low[0]), -half)),
        max(layout[1], min(float(low[1]), -half)),
        min(layout[2], max(float(high[0]), half)),
        min(layout[3], max(float(high[1]), half)),
    )


def _undistort(points: Matrix, scene: _Scene, focal: float) -> Matrix:
    """Inverse of `_distort`, by fixed-point iteration (the distortion is mild)."""
    if scene.barrel_k1 == 0.0:
        return points
    centre = np.array([(scene.size[0] - 1) / 2.0, (scene.size[1] - 1) / 2.0])
    offset = points - centre
    ideal = offset.copy()
    for _ in range(4):
        r2 = (ideal**2).sum(axis=-1, keepdims=True) / focal**2
        ideal = offset / (1.0 + scene.barrel_k1 * r2)
    return np.asarray(centre + ideal, dtype=np.float64)


def _roi(
    scene: _Scene, geometry: _Geometry, bounds: tuple[float, float, float, float]
) -> tuple[int, int, int, int]:
    """Frame rectangle covering the carrier plus room for the blur kernels."""
    x0, y0, x1, y1 = bounds
    edges = np.array(
        [[x, y0] for x in np.linspace(x0, x1, 9)]
        + [[x, y1] for x in np.linspace(x0, x1, 9)]
        + [[x0, y] for y in np.linspace(y0, y1, 9)]
        + [[x1, y] for y in np.linspace(y0, y1, 9)]
    )
    projected = _distort(_project(geometry.plane_to_frame, edges), scene, geometry.focal)
    margin = math.ceil(_blur_reach(scene, geometry)) + 3
    width, height = scene.size
    low = np.floor(projected.min(axis=0)) - margin
    high = np.ceil(projected.max(axis=0)) + margin + 1
    return (
        int(max(0, low[0])),
        int(max(0, low[1])),
        int(min(width, high[0])),
        int(min(height, high[1])),
    )


def _blur_reach(scene: _Scene, geometry: _Geometry) -> float:
    pitch = geometry.pitch_min
    return (
        3.0 * scene.lens_sigma_px
        + scene.defocus_pitches * pitch
        + scene.motion_pitches * pitch / 2.0
    )


def _warp(
    canvas: _Canvas, scene: _Scene, geometry: _Geometry, roi: tuple[int, int, int, int]
) -> tuple[FloatImage, FloatImage, FloatImage]:
    """The carrier resampled into the frame rectangle: linear albedo, coverage, screen mask."""
    warped = _resample(canvas.image, canvas.mm_to_px, scene, geometry, roi, 1, "warped")
    height, width = warped.shape[:2]
    colour = _byte_buffer("colour", height, width, 3)
    cv2.cvtColor(warped, cv2.COLOR_BGRA2BGR, dst=colour)
    linear = _buffer("albedo", height, width, 3)
    cv2.LUT(colour, _SRGB_LUT, dst=linear)
    kind = warped[:, :, 3]
    alpha, screen = _buffer("alpha", height, width), _buffer("screen", height, width)
    np.minimum(kind, _SOLID, out=alpha, dtype=np.float32)
    alpha *= np.float32(1.0 / _SOLID)
    np.subtract(kind, np.float32(_SOLID), out=screen, dtype=np.float32)
    np.maximum(screen, np.float32(0.0), out=screen)
    screen *= np.float32(1.0 / (255 - _SOLID))
    return linear, alpha, screen


def _sharpen_symbol(
    albedo: FloatImage,
    ops: Sequence[_Op],
    modules: NDArray[np.bool_],
    scene: _Scene,
    geometry: _Geometry,
    roi: tuple[int, int, int, int],
) -> None:
    """Re-render the code and its quiet zone supersampled 2× and area-averaged, in place.

    At a few pixels per module a single bilinear sample per pixel would alias the module
    edges; a sensor pixel integrates light over its area. The rest of the carrier is left
    at one sample per pixel, which is indistinguishable there and four times cheaper.
    """
    symbol = next((op for op in ops if isinstance(op, _Symbol)), None)
    rect = _code_rect(scene, geometry, roi)
    if symbol is None or rect[2] <= rect[0] or rect[3] <= rect[1]:
        return
    ss = 2
    module_px = max(1, math.ceil(ss * geometry.pitch_max))
    pad = max(1, int(scene.quiet_modules))
    padded = np.pad(modules, pad, constant_values=False)
    colours = np.array([(*symbol.light, 255), (*symbol.dark, 255)], np.uint8)[padded.astype(int)]
    side = padded.shape[0] * module_px
    image = cv2.resize(colours, (side, side), interpolation=cv2.INTER_NEAREST)
    scale = module_px / geometry.module_mm
    to_px = np.array([[scale, 0, side / 2.0 - 0.5], [0, scale, side / 2.0 - 0.5], [0, 0, 1.0]])
    fine = _resample(image, to_px, scene, geometry, rect, ss, "fine")
    size = (rect[2] - rect[0], rect[3] - rect[1])
    fine = np.asarray(cv2.resize(fine, size, interpolation=cv2.INTER_AREA), np.uint8)
    inside = fine[:, :, 3] == 255  # pixels the fine symbol covers completely
    target = albedo[rect[1] - roi[1] : rect[3] - roi[1], rect[0] - roi[0] : rect[2] - roi[0]]
    np.copyto(target, cv2.LUT(fine[:, :, :3], _SRGB_LUT), where=inside[:, :, None])


def _code_rect(
    scene: _Scene, geometry: _Geometry, roi: tuple[int, int, int, int]
) -> tuple[int, int, int, int]:
    half = scene.code_mm / 2.0 + scene.quiet_modules * geometry.module_mm
    corners = _distort(_project(geometry.plane_to_frame, _square(half)), scene, geometry.focal)
    low = np.floor(corners.min(axis=0)) - 2
    high = np.ceil(corners.max(axis=0)) + 3
    return (
        int(max(roi[0], low[0])),
        int(max(roi[1], low[1])),
        int(min(roi[2], high[0])),
        int(min(roi[3], high[1])),
    )


def _resample(
    image: ByteImage,
    mm_to_px: Matrix,
    scene: _Scene,
    geometry: _Geometry,
    rect: tuple[int, int, int, int],
    ss: int,
    name: str,
) -> ByteImage:
    """`image` (canvas pixels) seen by the camera over frame `rect`, on an `ss`× finer grid.

    The result lives in the reusable buffer `name`.
    """
    x0, y0, x1, y1 = rect
    dsize = ((x1 - x0) * ss, (y1 - y0) * ss)
    flags, border = cv2.INTER_LINEAR, cv2.BORDER_CONSTANT
    out = _byte_buffer(name, dsize[1], dsize[0], image.shape[2] if image.ndim == 3 else 1)
    if scene.barrel_k1 == 0.0:
        to_rect = np.array(
            [[ss, 0.0, ss * -x0 + (ss - 1) / 2.0], [0.0, ss, ss * -y0 + (ss - 1) / 2.0], [0, 0, 1]]
        )
        matrix = to_rect @ geometry.plane_to_frame @ np.linalg.inv(mm_to_px)
        warped = cv2.warpPerspective(image, matrix, dsize, dst=out, flags=flags, borderMode=border)
    else:
        map_x, map_y = _barrel_maps(mm_to_px, scene, geometry, rect, ss)
        warped = cv2.remap(image, map_x, map_y, flags, dst=out, borderMode=border)
    return np.asarray(warped, np.uint8)


def _barrel_maps(
    mm_to_px: Matrix, scene: _Scene, geometry: _Geometry, rect: tuple[int, int, int, int], ss: int
) -> tuple[FloatImage, FloatImage]:
    """Canvas coordinates for each output pixel through the lens distortion.

    The mapping is smooth, so it is computed every `step` pixels and interpolated.
    """
    step = 4
    x0, y0, x1, y1 = rect
    count_x, count_y = -(-(x1 - x0) // step), -(-(y1 - y0) // step)
    centre = (step - 1) / 2.0
    xs = x0 + step * np.arange(count_x) + centre
    ys = y0 + step * np.arange(count_y) + centre
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    points = _undistort(grid, scene, geometry.focal)
    to_canvas = mm_to_px @ np.linalg.inv(geometry.plane_to_frame)
    mapped = np.concatenate([points, np.ones((*points.shape[:2], 1))], axis=-1) @ to_canvas.T
    coarse = (mapped[..., :2] / mapped[..., 2:3]).astype(np.float32)
    size = (count_x * step * ss, count_y * step * ss)
    fine = cv2.resize(coarse, size, interpolation=cv2.INTER_LINEAR)
    fine = fine[: (y1 - y0) * ss, : (x1 - x0) * ss]
    return np.ascontiguousarray(fine[..., 0]), np.ascontiguousarray(fine[..., 1])


def _plane_coords(geometry: _Geometry, roi: tuple[int, int, int, int]) -> tuple[FloatImage, ...]:
    """Code-plane millimetres (x, y) under every pixel of the frame rectangle."""
    x0, y0, x1, y1 = roi
    inverse = np.linalg.inv(geometry.plane_to_frame).astype(np.float32)
    xs = np.arange(x0, x1, dtype=np.float32)[None, :]
    ys = np.arange(y0, y1, dtype=np.float32)[:, None]
    w = inverse[2, 0] * xs + inverse[2, 1] * ys + inverse[2, 2]
    x = (inverse[0, 0] * xs + inverse[0, 1] * ys + inverse[0, 2]) / w
    y = (inverse[1, 0] * xs + inverse[1, 1] * ys + inverse[1, 2]) / w
    return np.asarray(x, np.float32), np.asarray(y, np.float32)


def _light_carrier(
    region: FloatImage,
    albedo: FloatImage,
    alpha: FloatImage,
    screen: FloatImage,
    light: FloatImage,
    scene: _Scene,
    plane: tuple[FloatImage, ...] | None,
) -> None:
    """Lay the lit carrier over the background, in place (`albedo` is consumed).

    Paper, plastic and skin reflect the room's light; a screen emits its own, plus the room's
    light reflected by its glass (the veil).
    """
    reflected = light * _shadow(scene, plane) if scene.shadow > 0 and plane is not None else light
    emitted = np.float32(scene.screen_gain * scene.screen_exposure)
    factor = _buffer("factor", *alpha.shape)
    np.subtract(emitted, reflected, out=factor)
    factor *= screen
    factor += reflected
    cv2.multiply(albedo, _three(factor), dst=albedo)
    if scene.carrier == "phone":
        np.multiply(light, screen, out=factor)
        factor *= np.float32(scene.veil)
        cv2.add(albedo, _three(factor), dst=albedo)
    _apply_gains(albedo, scene)
    np.subtract(np.float32(1.0), alpha, out=factor)
    cv2.blendLinear(region, albedo, factor, alpha, dst=region)


def _shadow(scene: _Scene, plane: tuple[FloatImage, ...]) -> FloatImage:
    x, y = plane
    angle = math.radians(scene.shadow_angle_deg)
    across = x * math.cos(angle) + y * math.sin(angle) - scene.shadow_offset * scene.code_mm
    edge = 1.0 / (1.0 + np.exp(-across / np.float32(scene.shadow_soft_mm)))
    return np.asarray(1.0 - scene.shadow * edge, np.float32)


def _add_reflections(
    region: FloatImage,
    scene: _Scene,
    geometry: _Geometry,
    modules: int,
    alpha: FloatImage,
    screen: FloatImage,
    plane: tuple[FloatImage, ...] | None,
) -> None:
    """Specular glare on the carrier and ambient reflections on a phone's glass, in place."""
    rng = np.random.default_rng(scene.effect_seed)
    if scene.glare_peak > 0 and plane is not None:
        glare = _glare_map(scene, geometry, modules, plane, rng) * alpha
        cv2.add(region, _three(glare), dst=region)
    if scene.reflections > 0:
        glass = _glass_reflection(region.shape[:2], scene.reflections, rng) * screen * alpha
        cv2.add(region, _three(glass), dst=region)


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
    offset: NDArray[np.floating], a: float, b: float, angle: float
) -> NDArray[np.floating]:
    c, s = math.cos(angle), math.sin(angle)
    along = (offset[..., 0] * c + offset[..., 1] * s) / a
    across = (-offset[..., 0] * s + offset[..., 1] * c) / b
    return np.asarray(np.sqrt(along**2 + across**2))


def _glare_map(
    scene: _Scene,
    geometry: _Geometry,
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


def _optics(region: FloatImage, scene: _Scene, geometry: _Geometry) -> None:
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


def _moire_pattern(
    scene: _Scene,
    geometry: _Geometry,
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


# -- sensor -------------------------------------------------------------------------------------


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


def _sensor(
    frame: FloatImage, scene: _Scene, focus: tuple[int, int, int, int] | None = None
) -> ByteImage:
    """Photon and read noise, clipping at full well, tone curve, 8 bits, the webcam's JPEG.

    Works in place on `frame`; returns a new image. The webcam's own MJPEG is applied to the
    `focus` rectangle only (see `_jpeg_roundtrip`); the "jpeg" condition compresses it all.
    """
    height, width = frame.shape[:2]
    rng = np.random.default_rng(scene.noise_seed)
    tile = _noise_tile(height, width)
    sigma = _buffer("sigma", height, width)
    cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY, dst=sigma)
    np.maximum(sigma, np.float32(0.0), out=sigma)
    sigma *= np.float32(scene.noise_shot)
    sigma += np.float32(scene.noise_read**2)
    cv2.sqrt(sigma, dst=sigma)
    cv2.multiply(sigma, _noise_window(tile, (height, width), rng), dst=sigma)
    cv2.add(frame, _three(sigma), dst=frame)
    small = (max(1, height // 4), max(1, width // 4))
    typical = math.sqrt(0.2 * scene.noise_shot + scene.noise_read**2) * scene.noise_chroma
    chroma = np.dstack([_noise_window(tile, small, rng) for _ in range(3)]) * np.float32(typical)
    blotches = _buffer("three", height, width, 3)
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


def _presentation(scene: _Scene, text: str, count: int, fps: int) -> Iterator[ByteImage]:
    """A code held up for `count` frames, swaying slightly as a hand does."""
    modules = _qr_modules(text)
    family = _family(text)
    rng = np.random.default_rng(scene.effect_seed)
    phases = rng.uniform(0.0, 2.0 * math.pi, 3)
    for index in range(count):
        t = index / max(1, fps)
        swayed = replace(
            scene,
            place_x=float(np.clip(scene.place_x + 0.04 * math.sin(2.5 * t + phases[0]), 0, 1)),
            place_y=float(np.clip(scene.place_y + 0.03 * math.sin(1.9 * t + phases[1]), 0, 1)),
            roll_deg=scene.roll_deg + 1.5 * math.sin(1.7 * t + phases[2]),
            noise_seed=_mix(scene.noise_seed, index),
        )
        yield _render(swayed, modules, _settle(swayed, modules.shape[0]), family)


# --------------------------------------------------------------------------------------------
# Sample payloads
# --------------------------------------------------------------------------------------------

_SAMPLE_ISSUED = datetime(2021, 11, 3, 9, 30, tzinfo=UTC)
_SAMPLE_EXPIRES = datetime(2022, 11, 3, 9, 30, tzinfo=UTC)


@lru_cache(maxsize=1)
def _sample_key() -> ec.EllipticCurvePrivateKey:
    secret = hashlib.sha256(b"checkpoint-station camera-scene sample signer").digest()
    return ec.derive_private_key(int.from_bytes(secret, "big") % (2**255) + 1, ec.SECP256R1())


def _es256(message: bytes) -> bytes:
    """Raw r‖s ES256 signature, deterministic (RFC 6979) so sample texts never change."""
    algorithm = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
    r, s = decode_dss_signature(_sample_key().sign(message, algorithm))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _cose_sign1(protected: dict[int, object], payload: bytes) -> bytes:
    header = encode_cbor(protected)
    signature = _es256(sig_structure(header, payload))
    return encode_cbor(Tagged(18, [header, {}, payload, signature]))


@lru_cache(maxsize=1)
def _sample_hc1() -> str:
    """An ES256 EU DCC vaccination certificate as national issuers fill it (~600 chars)."""
    certificate = vaccination_payload(family="Nguyễn", given="Văn An")
    entry = certificate["v"][0]
    entry["is"] = "Ministry of Health of Viet Nam"
    entry["ci"] = "URN:UVCI:01:VN:BYT/3F7A9C1E5B2D4086A1C7E93B#K"
    body = build_cwt(certificate, _SAMPLE_ISSUED, _SAMPLE_EXPIRES, "VN")
    kid = hashlib.sha256(b"camera-scene sample DSC").digest()[:8]
    return encode_hc1(_cose_sign1({1: -7, 4: kid}, body))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_SHC_PAYLOAD = {
    "iss": "https://spec.smarthealth.cards/examples/issuer",
    "nbf": 1635931800,
    "vc": {
        "type": ["https://smarthealth.cards#health-card"],
        "credentialSubject": {
            "fhirVersion": "4.0.1",
            "fhirBundle": {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [
                    {
                        "fullUrl": "resource:0",
                        "resource": {
                            "resourceType": "Patient",
                            "name": [{"family": "Anyperson", "given": ["John", "B."]}],
                            "birthDate": "1951-01-20",
                        },
                    },
                    {
                        "fullUrl": "resource:1",
                        "resource": {
                            "resourceType": "Immunization",
                            "status": "completed",
                            "vaccineCode": {
                                "coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "207"}]
                            },
                            "patient": {"reference": "resource:0"},
                            "occurrenceDateTime": "2021-01-01",
                            "performer": [{"actor": {"display": "ABC General Hospital"}}],
                            "lotNumber": "0000001",
                        },
                    },
                ],
            },
        },
    },
}


@lru_cache(maxsize=1)
def _sample_shc() -> str:
    """A SMART Health Card: compact JWS (deflated FHIR bundle), each character as two digits."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = json.dumps(_SHC_PAYLOAD, separators=(",", ":")).encode()
    compressed = deflate.compress(body) + deflate.flush()
    kid = _b64url(hashlib.sha256(b"camera-scene sample SHC key").digest())
    header = json.dumps({"zip": "DEF", "alg": "ES256", "kid": kid}, separators=(",", ":"))
    signing_input = _b64url(header.encode()) + "." + _b64url(compressed)
    jws = signing_input + "." + _b64url(_es256(signing_input.encode("ascii")))
    return "shc:/" + "".join(f"{ord(char) - 45:02d}" for char in jws)


@lru_cache(maxsize=1)
def _sample_nzcp() -> str:
    """An NZ COVID Pass: COSE_Sign1 over the CWT of the specification, base32 without padding."""
    claims = {
        1: "did:web:nzcp.covid19.health.nz",
        5: 1635883530,
        4: 1951416330,
        7: bytes.fromhex("60a4f54d4e304332be33ad78b1eafa4b"),
        "vc": {
            "@context": [
                "https://www.w3.org/2018/credentials/v1",
                "https://nzcp.covid19.health.nz/contexts/v1",
            ],
            "version": "1.0.0",
            "type": ["VerifiableCredential", "PublicCovidPass"],
            "credentialSubject": {
                "givenName": "Jack",
                "familyName": "Sparrow",
                "dob": "1960-04-16",
            },
        },
    }
    cose = _cose_sign1({4: b"key-1", 1: -7}, encode_cbor(claims))
    return "NZCP:/1/" + base64.b32encode(cose).decode("ascii").rstrip("=")
