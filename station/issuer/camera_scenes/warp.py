"""Bringing the rasterised carrier into the frame through the camera's homography and lens.

Only the frame rectangle that can show the carrier is resampled; small codes get their
symbol resampled again, supersampled, because one bilinear sample per pixel would alias
module edges that a sensor pixel integrates over its area.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np
from numpy.typing import NDArray

from station.issuer.camera_scenes.arrays import ByteImage, FloatImage, Matrix, buffer, byte_buffer
from station.issuer.camera_scenes.canvas import SOLID, Canvas
from station.issuer.camera_scenes.carrier_parts import Op, Symbol
from station.issuer.camera_scenes.geometry import Geometry, distort, project, square, undistort
from station.issuer.camera_scenes.scene import Scene
from station.issuer.camera_scenes.srgb import SRGB_LUT


def canvas_bounds(
    scene: Scene, geometry: Geometry, layout: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The part of the carrier's plane (mm) that can appear in the frame."""
    width, height = scene.size
    pad = 0.1
    xs = np.array([-pad, 0.5, 1 + pad]) * (width - 1)
    ys = np.array([-pad, 0.5, 1 + pad]) * (height - 1)
    border = np.array([[x, y] for x in xs for y in ys if (x, y) != (xs[1], ys[1])])
    border = undistort(border, scene, geometry.focal)
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


def frame_rect(
    scene: Scene, geometry: Geometry, bounds: tuple[float, float, float, float]
) -> tuple[int, int, int, int]:
    """Frame rectangle covering the carrier plus room for the blur kernels."""
    x0, y0, x1, y1 = bounds
    edges = np.array(
        [[x, y0] for x in np.linspace(x0, x1, 9)]
        + [[x, y1] for x in np.linspace(x0, x1, 9)]
        + [[x0, y] for y in np.linspace(y0, y1, 9)]
        + [[x1, y] for y in np.linspace(y0, y1, 9)]
    )
    projected = distort(project(geometry.plane_to_frame, edges), scene, geometry.focal)
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


def _blur_reach(scene: Scene, geometry: Geometry) -> float:
    pitch = geometry.pitch_min
    return (
        3.0 * scene.lens_sigma_px
        + scene.defocus_pitches * pitch
        + scene.motion_pitches * pitch / 2.0
    )


def warp_carrier(
    canvas: Canvas, scene: Scene, geometry: Geometry, roi: tuple[int, int, int, int]
) -> tuple[FloatImage, FloatImage, FloatImage]:
    """The carrier resampled into the frame rectangle: linear albedo, coverage, screen mask."""
    warped = _resample(canvas.image, canvas.mm_to_px, scene, geometry, roi, 1, "warped")
    height, width = warped.shape[:2]
    colour = byte_buffer("colour", height, width, 3)
    cv2.cvtColor(warped, cv2.COLOR_BGRA2BGR, dst=colour)
    linear = buffer("albedo", height, width, 3)
    cv2.LUT(colour, SRGB_LUT, dst=linear)
    kind = warped[:, :, 3]
    alpha, screen = buffer("alpha", height, width), buffer("screen", height, width)
    np.minimum(kind, SOLID, out=alpha, dtype=np.float32)
    alpha *= np.float32(1.0 / SOLID)
    np.subtract(kind, np.float32(SOLID), out=screen, dtype=np.float32)
    np.maximum(screen, np.float32(0.0), out=screen)
    screen *= np.float32(1.0 / (255 - SOLID))
    return linear, alpha, screen


def sharpen_symbol(
    albedo: FloatImage,
    ops: Sequence[Op],
    modules: NDArray[np.bool_],
    scene: Scene,
    geometry: Geometry,
    roi: tuple[int, int, int, int],
) -> None:
    """Re-render the code and its quiet zone supersampled 2× and area-averaged, in place.

    At a few pixels per module a single bilinear sample per pixel would alias the module
    edges; a sensor pixel integrates light over its area. The rest of the carrier is left
    at one sample per pixel, which is indistinguishable there and four times cheaper.
    """
    symbol = next((op for op in ops if isinstance(op, Symbol)), None)
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
    np.copyto(target, cv2.LUT(fine[:, :, :3], SRGB_LUT), where=inside[:, :, None])


def _code_rect(
    scene: Scene, geometry: Geometry, roi: tuple[int, int, int, int]
) -> tuple[int, int, int, int]:
    half = scene.code_mm / 2.0 + scene.quiet_modules * geometry.module_mm
    corners = distort(project(geometry.plane_to_frame, square(half)), scene, geometry.focal)
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
    scene: Scene,
    geometry: Geometry,
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
    out = byte_buffer(name, dsize[1], dsize[0], image.shape[2] if image.ndim == 3 else 1)
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
    mm_to_px: Matrix, scene: Scene, geometry: Geometry, rect: tuple[int, int, int, int], ss: int
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
    points = undistort(grid, scene, geometry.focal)
    to_canvas = mm_to_px @ np.linalg.inv(geometry.plane_to_frame)
    mapped = np.concatenate([points, np.ones((*points.shape[:2], 1))], axis=-1) @ to_canvas.T
    coarse = (mapped[..., :2] / mapped[..., 2:3]).astype(np.float32)
    size = (count_x * step * ss, count_y * step * ss)
    fine = cv2.resize(coarse, size, interpolation=cv2.INTER_LINEAR)
    fine = fine[: (y1 - y0) * ss, : (x1 - x0) * ss]
    return np.ascontiguousarray(fine[..., 0]), np.ascontiguousarray(fine[..., 1])


def plane_coords(geometry: Geometry, roi: tuple[int, int, int, int]) -> tuple[FloatImage, ...]:
    """Code-plane millimetres (x, y) under every pixel of the frame rectangle."""
    x0, y0, x1, y1 = roi
    inverse = np.linalg.inv(geometry.plane_to_frame).astype(np.float32)
    xs = np.arange(x0, x1, dtype=np.float32)[None, :]
    ys = np.arange(y0, y1, dtype=np.float32)[:, None]
    w = inverse[2, 0] * xs + inverse[2, 1] * ys + inverse[2, 2]
    x = (inverse[0, 0] * xs + inverse[0, 1] * ys + inverse[0, 2]) / w
    y = (inverse[1, 0] * xs + inverse[1, 1] * ys + inverse[1, 2]) / w
    return np.asarray(x, np.float32), np.asarray(y, np.float32)
