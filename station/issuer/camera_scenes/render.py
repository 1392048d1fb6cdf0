"""Rendering a drawn scene: the room, the carrier composited into it, then the sensor.

The order follows the light: radiance in the scene, then the lens, then the sensor, so that
blur mixes linear light and noise and compression act on what the lens delivered.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from numpy.typing import NDArray

from station.issuer.camera_scenes.arrays import ByteImage, FloatImage
from station.issuer.camera_scenes.canvas import rasterize
from station.issuer.camera_scenes.carrier_parts import Op, extent
from station.issuer.camera_scenes.geometry import Geometry
from station.issuer.camera_scenes.lighting import add_reflections, light_carrier
from station.issuer.camera_scenes.optics import apply_optics, moire_pattern
from station.issuer.camera_scenes.phone import phone_ops
from station.issuer.camera_scenes.printed import card_ops, paper_ops
from station.issuer.camera_scenes.room import lit_room
from station.issuer.camera_scenes.scene import Scene
from station.issuer.camera_scenes.sensor import sensor_readout
from station.issuer.camera_scenes.warp import (
    canvas_bounds,
    frame_rect,
    plane_coords,
    sharpen_symbol,
    warp_carrier,
)

SUPERSAMPLE_BELOW_PX = 3.5  # module pitches under this are drawn at 2× and area-averaged


def render(scene: Scene, modules: NDArray[np.bool_], geometry: Geometry, family: str) -> ByteImage:
    """The camera frame of a scene whose geometry is settled.

    The webcam's MJPEG is applied around the code only (`sensor.sensor_readout`): that is all a
    reader looks at, and compressing the whole frame would cost several times more.
    """
    frame, light = lit_room(scene)
    _composite_carrier(frame, light, scene, modules, geometry, family)
    low = geometry.corners.min(axis=0) - 6 * geometry.pitch_max - 16
    high = geometry.corners.max(axis=0) + 6 * geometry.pitch_max + 16
    focus = (int(low[0]), int(low[1]), int(high[0]) + 1, int(high[1]) + 1)
    return sensor_readout(frame, scene, focus)


def render_empty(scene: Scene) -> ByteImage:
    """The room with nobody holding up a code (the demo's gaps between people)."""
    frame, _ = lit_room(scene)
    return sensor_readout(frame, scene)


def _carrier_ops(scene: Scene, family: str, module_mm: float, modules: int) -> list[Op]:
    """The carrier's drawing, laid out from its own seed so the demo's sway keeps its look."""
    rng = np.random.default_rng(scene.layout_seed)
    code = module_mm * modules
    quiet = scene.quiet_modules * module_mm
    if scene.carrier == "phone":
        return phone_ops(scene, family, code, quiet, rng)
    if scene.carrier == "paper":
        return paper_ops(scene, family, code, quiet, rng)
    return card_ops(scene, code, quiet, rng)


def _composite_carrier(
    frame: FloatImage,
    light: FloatImage,
    scene: Scene,
    modules: NDArray[np.bool_],
    geometry: Geometry,
    family: str,
) -> None:
    """Draw the carrier, project it into the frame, light it and blur it, in place."""
    ops = _carrier_ops(scene, family, geometry.module_mm, modules.shape[0])
    bounds = canvas_bounds(scene, geometry, extent(ops, scene.code_mm / 2.0))
    module_px = max(1, math.ceil(geometry.pitch_max))
    canvas = rasterize(ops, modules, module_px, geometry.module_mm, bounds)
    roi = frame_rect(scene, geometry, bounds)
    if roi[2] <= roi[0] or roi[3] <= roi[1]:
        return
    albedo, alpha, screen = warp_carrier(canvas, scene, geometry, roi)
    if geometry.pitch_max < SUPERSAMPLE_BELOW_PX:
        sharpen_symbol(albedo, ops, modules, scene, geometry, roi)
    x0, y0, x1, y1 = roi
    plane = plane_coords(geometry, roi) if _needs_plane(scene) else None
    region = frame[y0:y1, x0:x1]
    light_carrier(region, albedo, alpha, screen, light[y0:y1, x0:x1], scene, plane)
    add_reflections(region, scene, geometry, modules.shape[0], alpha, screen, plane)
    apply_optics(region, scene, geometry)
    if scene.moire_amp > 0 and plane is not None:
        pattern = moire_pattern(scene, geometry, plane, roi, alpha * screen)
        cv2.multiply(region, pattern, dst=region)


def _needs_plane(scene: Scene) -> bool:
    return scene.glare_peak > 0 or scene.moire_amp > 0 or scene.shadow > 0
