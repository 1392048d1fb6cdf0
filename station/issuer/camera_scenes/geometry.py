"""Where the code plane sits in front of the pinhole camera, and where its corners land.

The distance is drawn within the holding range and then limited to where the code fits in
the frame and its modules stay resolvable (see the package docstring); lens distortion is
applied to ideal pixel positions so the ground-truth corners match what the camera records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from station.issuer.camera_scenes.arrays import Matrix
from station.issuer.camera_scenes.scene import Scene, lerp


@dataclass(frozen=True)
class Geometry:
    """The solved pose: how code-plane millimetres map to frame pixels, and the module pitch."""

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


def project(homography: Matrix, points: Matrix) -> Matrix:
    """Points (k, 2) mapped through a homography (no lens distortion)."""
    ones = np.ones((points.shape[0], 1))
    mapped = np.hstack([points, ones]) @ homography.T
    return np.asarray(mapped[:, :2] / mapped[:, 2:3], dtype=np.float64)


def square(half: float) -> Matrix:
    """A square's corners around the origin, in the order of `SyntheticFrame.corners`."""
    return np.array([[-half, -half], [half, -half], [half, half], [-half, half]])


def _pitches(corners: Matrix, modules: int) -> tuple[float, float]:
    sides = np.linalg.norm(corners - np.roll(corners, -1, axis=0), axis=1) / modules
    return float(sides.min()), float(sides.max())


def solve_geometry(scene: Scene, modules: int) -> Geometry:
    """Distance and placement so that the code fits and its modules resolve (see above)."""
    width, height = scene.size
    focal = (width / 2.0) / math.tan(math.radians(scene.hfov_deg) / 2.0)
    rotation = _rotation(scene.tilt_deg, scene.tilt_axis_deg, scene.roll_deg)
    module_mm = scene.code_mm / modules
    half = scene.code_mm / 2.0
    outer = square(half + scene.quiet_modules * module_mm * 0.75)
    centre = ((width - 1) / 2.0, (height - 1) / 2.0)
    probe = 300.0
    trial = _plane_homography(focal, scene.size, rotation, centre, probe)
    pitch_probe, _ = _pitches(project(trial, square(half)), modules)
    extent = np.ptp(project(trial, outer), axis=0)
    margin = 0.03 * height
    fit = probe * max(extent[0] / (width - 2 * margin), extent[1] / (height - 2 * margin))
    distance = _pick_distance(scene, probe * pitch_probe, fit)
    for _ in range(2):  # off-centre placement changes the pitch a little: correct once
        at = _place(scene, focal, rotation, distance, outer, margin)
        homography = _plane_homography(focal, scene.size, rotation, at, distance)
        corners = distort(project(homography, square(half)), scene, focal)
        pitch_min, pitch_max = _pitches(corners, modules)
        wanted = scene.pitch_target_px or max(pitch_min, scene.pitch_floor_px)
        if abs(pitch_min - wanted) < 0.02 * wanted:
            break
        distance = max(fit, distance * pitch_min / wanted)
    return Geometry(focal, homography, distance, pitch_min, pitch_max, corners, module_mm)


def _pick_distance(scene: Scene, pitch_times_distance: float, fit: float) -> float:
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
    scene: Scene,
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
        box = project(homography, outer)
        low = margin + (centre[0] - box[:, 0].min()), margin + (centre[1] - box[:, 1].min())
        high = (
            width - 1 - margin - (box[:, 0].max() - centre[0]),
            height - 1 - margin - (box[:, 1].max() - centre[1]),
        )
        wanted = (
            lerp(low[0], high[0], scene.place_x) if low[0] < high[0] else centre[0],
            lerp(low[1], high[1], scene.place_y) if low[1] < high[1] else centre[1],
        )
        at = (lerp(centre[0], wanted[0], shrink), lerp(centre[1], wanted[1], shrink))
        placed = project(_plane_homography(focal, scene.size, rotation, at, distance), outer)
        inside = placed.min() >= 0 and (placed[:, 0].max() < width) and placed[:, 1].max() < height
        if inside:
            return at
    return at


def distort(points: Matrix, scene: Scene, focal: float) -> Matrix:
    """Radial (barrel) distortion of the webcam lens, applied to ideal pixel positions."""
    if scene.barrel_k1 == 0.0:
        return points
    centre = np.array([(scene.size[0] - 1) / 2.0, (scene.size[1] - 1) / 2.0])
    offset = points - centre
    r2 = (offset**2).sum(axis=1, keepdims=True) / focal**2
    return np.asarray(centre + offset * (1.0 + scene.barrel_k1 * r2), dtype=np.float64)


def undistort(points: Matrix, scene: Scene, focal: float) -> Matrix:
    """Inverse of `distort`, by fixed-point iteration (the distortion is mild)."""
    if scene.barrel_k1 == 0.0:
        return points
    centre = np.array([(scene.size[0] - 1) / 2.0, (scene.size[1] - 1) / 2.0])
    offset = points - centre
    ideal = offset.copy()
    for _ in range(4):
        r2 = (ideal**2).sum(axis=-1, keepdims=True) / focal**2
        ideal = offset / (1.0 + scene.barrel_k1 * r2)
    return np.asarray(centre + ideal, dtype=np.float64)
