"""Rasterising a carrier's drawing operations into one BGRA canvas.

The alpha channel records the kind of surface (nothing, solid, screen) rather than plain
coverage, so a single perspective warp carries colour, coverage and the screen mask together.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from station.issuer.camera_scenes.arrays import ByteImage, Matrix
from station.issuer.camera_scenes.carrier_parts import Color, Label, Op, Shape, Symbol


@dataclass(frozen=True)
class Canvas:
    """The carrier as BGRA: sRGB-encoded reflectance or screen content, and in A the kind of
    surface: 0 nothing, `SOLID` paper/plastic/skin, 255 screen. Values in between, at edges,
    interpolate correctly (partial cover, or a mix of screen and bezel), so one warp carries
    everything."""

    image: ByteImage
    mm_to_px: Matrix  # plane mm -> canvas pixel coordinates (pixel centres at integers)


#: Alpha of solid surfaces (paper, plastic, skin); 255 marks a screen, 0 nothing.
SOLID = 128


def rasterize(
    ops: Sequence[Op],
    modules: NDArray[np.bool_],
    module_px: int,
    module_mm: float,
    bounds: tuple[float, float, float, float],
) -> Canvas:
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
        if isinstance(op, Symbol):
            drawing.symbol(op, modules, module_px, (left, top))
        elif isinstance(op, Label):
            drawing.label(op)
        else:
            drawing.shape(op)
    return Canvas(image, to_px)


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
        return (*color, 255 if screen else SOLID)

    def shape(self, op: Shape) -> None:
        pts = [self.points(op.points)]
        colour = self.colour(op.color, op.screen)
        if op.width_mm > 0:
            thick = max(1, round(op.width_mm * self.scale))
            cv2.polylines(self.image, pts, False, colour, thick, cv2.LINE_AA, 4)
        else:
            cv2.fillPoly(self.image, pts, colour, cv2.LINE_AA, 4)

    def label(self, op: Label) -> None:
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
        self, op: Symbol, modules: NDArray[np.bool_], module_px: int, corner: tuple[int, int]
    ) -> None:
        side = modules.shape[0] * module_px
        palette = np.array([self.colour(op.light, op.screen), self.colour(op.dark, op.screen)])
        colours = palette.astype(np.uint8)[modules.astype(np.uint8)]
        x, y = corner
        self.image[y : y + side, x : x + side] = cv2.resize(
            colours, (side, side), interpolation=cv2.INTER_NEAREST
        )
