"""The vocabulary carriers are drawn in: shapes, labels and the symbol, in millimetres.

Phones, printouts and cards are lists of these operations around the code centre, so their
layout is decided once in physical units and rasterised at whatever resolution the code's
module pitch needs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.random import Generator

from station.issuer.camera_scenes.arrays import Matrix

Color = tuple[int, int, int]


@dataclass(frozen=True)
class Shape:
    """A filled polygon or an open polyline in one colour."""

    points: Matrix  # (k, 2) mm
    color: Color
    screen: bool = False
    width_mm: float = 0.0  # > 0: an open polyline of this width instead of a filled polygon


@dataclass(frozen=True)
class Label:
    """A line of text, drawn with OpenCV's Hershey font scaled to `height_mm`."""

    text: str
    origin: tuple[float, float]  # baseline start, mm
    height_mm: float
    color: Color
    screen: bool = False


@dataclass(frozen=True)
class Symbol:
    """The QR symbol itself, placed by the rasteriser on the canvas's module grid."""

    dark: Color
    light: Color
    screen: bool


Op = Shape | Label | Symbol


def rectangle(x0: float, y0: float, x1: float, y1: float) -> Matrix:
    """An axis-aligned rectangle's corners."""
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64)


def rounded(x0: float, y0: float, x1: float, y1: float, radius: float) -> Matrix:
    """A rectangle with rounded corners (phone bodies, screens, buttons, cards)."""
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


def ellipse(cx: float, cy: float, ax: float, ay: float, angle_deg: float = 0.0) -> Matrix:
    """A rotated ellipse as a polygon (fingers, thumbs, palms, logos)."""
    t = np.linspace(0.0, 2.0 * np.pi, 40, endpoint=False)
    a = math.radians(angle_deg)
    x, y = ax * np.cos(t), ay * np.sin(t)
    return np.column_stack(
        [cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a)]
    )


def jitter(color: Color, rng: Generator, amount: int = 6) -> Color:
    """A colour varied slightly, so no two phones, papers or hands look exactly alike."""
    b, g, r = (int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in color)
    return (b, g, r)


#: BGR skin tones of the hands holding a carrier.
SKIN_TONES: tuple[Color, ...] = (
    (160, 185, 230),
    (135, 165, 215),
    (110, 145, 200),
    (85, 120, 175),
    (60, 90, 140),
    (45, 65, 100),
)
#: Per credential family: the app's brand colour, its title, and two lines of text.
BRANDS: Mapping[str, tuple[Color, str, tuple[str, ...]]] = MappingProxyType(
    {
        "dcc": ((150, 70, 20), "EU Digital COVID Certificate", ("Vaccination", "Dose 2/2")),
        "shc": ((120, 90, 30), "SMART Health Card", ("COVID-19 vaccination", "2 doses")),
        "nzcp": ((60, 50, 20), "My Vaccine Pass", ("Valid to 16 Apr 2023", "Aotearoa")),
        "pccovid": ((60, 140, 30), "PC-COVID", ("QR ca nhan", "Nguyen Thi Hong Nhung")),
        "cccd": ((40, 40, 170), "VNeID", ("Can cuoc cong dan", "Tran Van Binh")),
        "other": ((110, 110, 110), "Wallet", ("Pass", "")),
    }
)


def extent(ops: Sequence[Op], half: float) -> tuple[float, float, float, float]:
    """The bounding box (mm) of a drawing and of the code of half-width `half`."""
    boxes = [(-half, -half, half, half)]
    for op in ops:
        if isinstance(op, Shape):
            low, high = op.points.min(axis=0), op.points.max(axis=0)
            boxes.append((float(low[0]), float(low[1]), float(high[0]), float(high[1])))
        elif isinstance(op, Label):
            x, y = op.origin
            boxes.append((x, y - op.height_mm, x + 0.75 * op.height_mm * len(op.text), y))
    box = np.array(boxes)
    return (box[:, 0].min(), box[:, 1].min(), box[:, 2].max(), box[:, 3].max())
