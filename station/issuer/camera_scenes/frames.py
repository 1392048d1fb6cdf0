"""Synthetic camera frames of QR codes, single or as a lazily generated set.

The station's read strategy is measured and tuned on these frames; every frame is a pure
function of (text, condition, seed, size), so a failed read can be regenerated and explained
from its ground truth and drawn parameters.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from types import MappingProxyType

from station.issuer.camera_scenes.arrays import ByteImage, Matrix
from station.issuer.camera_scenes.conditions import CONDITION_SHARES, CONDITIONS, draw_scene
from station.issuer.camera_scenes.geometry import Geometry
from station.issuer.camera_scenes.payload import credential_family, qr_modules
from station.issuer.camera_scenes.readability import settle
from station.issuer.camera_scenes.render import render
from station.issuer.camera_scenes.scene import Scene

FRAME_SIZE = (1280, 720)


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
    scene = draw_scene(text, condition, seed, size)
    modules = qr_modules(text)
    geometry = settle(scene, modules.shape[0])
    image = render(scene, modules, geometry, credential_family(text))
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


def _params(scene: Scene, geometry: Geometry) -> Mapping[str, float]:
    """The scene's physical parameters and the solved geometry, read-only, for `SyntheticFrame`."""
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
