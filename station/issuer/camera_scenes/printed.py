"""Printed carriers: a certificate printout and a Vietnamese chip ID card (CCCD).

Their ink is drawn at a drawn fraction of the paper's reflectance, which is what the
low-contrast condition varies for faded thermal prints.
"""

from __future__ import annotations

import numpy as np
from numpy.random import Generator

from station.issuer.camera_scenes.carrier_parts import (
    BRANDS,
    SKIN_TONES,
    Label,
    Op,
    Shape,
    Symbol,
    ellipse,
    jitter,
    rectangle,
    rounded,
)
from station.issuer.camera_scenes.scene import Scene
from station.issuer.camera_scenes.srgb import decode_srgb, linear_to_byte


def paper_ops(scene: Scene, family: str, code: float, quiet: float, rng: Generator) -> list[Op]:
    """A printed certificate: the code with headings and text lines around it."""
    paper = jitter((240, 244, 246), rng, 5)
    ink_level = linear_to_byte(scene.ink_ratio * float(decode_srgb(np.array(paper[1] / 255))))
    ink = (ink_level, ink_level, ink_level)
    half = code / 2.0
    left, right = rng.uniform(15.0, 80.0), rng.uniform(30.0, 120.0)
    up, down = rng.uniform(25.0, 100.0), rng.uniform(25.0, 150.0)
    x0, y0, x1, y1 = -half - left, -half - up, half + right, half + down
    _, title, lines = BRANDS[family]
    ops: list[Op] = [Shape(rectangle(x0, y0, x1, y1), paper), Symbol(ink, paper, False)]
    ops.append(Label(title.upper(), (x0 + 8.0, -half - quiet - 10.0), 4.0, ink))
    text_x = half + quiet + 6.0
    for row, line in enumerate((*lines, "Date of birth", "1990-05-17", "Issued by", "MoH")):
        ops.append(Label(line, (text_x, -half + 5.0 + 7.5 * row), 2.8, ink))
    ops.append(Label("Certificate identifier", (-half, half + quiet + 6.0), 2.6, ink))
    if scene.hand:
        sign = 1 if rng.random() < 0.5 else -1
        edge = x1 if sign > 0 else x0
        skin = jitter(SKIN_TONES[int(rng.integers(len(SKIN_TONES)))], rng)
        thumb_y = rng.uniform(-half, y1 - 10.0)
        ops.append(Shape(ellipse(edge + sign * 4.0, thumb_y, 11.0, 20.0, sign * 20.0), skin))
    return ops


def card_ops(scene: Scene, code: float, quiet: float, rng: Generator) -> list[Op]:
    """A chip ID card (CCCD): pale patterned background, photo, text, code in the top right."""
    half = code / 2.0
    x1 = half + quiet + rng.uniform(2.5, 4.0)
    y0 = -half - quiet - rng.uniform(2.5, 5.0)
    x0, y1 = x1 - 85.6, y0 + 54.0
    base = jitter((226, 232, 214), rng, 5)
    ink = (70, 40, 30)
    ops: list[Op] = []
    skin = jitter(SKIN_TONES[int(rng.integers(len(SKIN_TONES)))], rng)
    ops.append(Shape(rounded(x0, y0, x1, y1, 3.2), base))
    xs = np.linspace(x0 + 1.0, x1 - 1.0, 60)
    for k in range(7):
        phase = rng.uniform(0.0, 2.0 * np.pi)
        ys = y0 + 8.0 + 6.5 * k + 1.5 * np.sin(xs / 4.0 + phase)
        ops.append(Shape(np.column_stack([xs, ys]), (200, 214, 196), width_mm=0.25))
    ops.append(Shape(ellipse(x0 + 8.0, y0 + 8.0, 5.0, 5.0), (40, 60, 200)))
    ops.append(Label("CAN CUOC CONG DAN", (x0 + 26.0, y0 + 9.0), 2.6, (40, 40, 170)))
    ops.append(Shape(rectangle(x0 + 4.0, y0 + 17.0, x0 + 24.0, y0 + 43.0), (215, 205, 190)))
    ops.append(Shape(ellipse(x0 + 14.0, y0 + 27.0, 5.5, 7.0), skin))
    ops.append(Shape(rectangle(x0 + 5.0, y0 + 44.0, x0 + 13.0, y0 + 50.0), (90, 170, 210)))
    for row, line in enumerate(("So: 079099012345", "Ho ten: TRAN VAN BINH", "15/04/1990  Nam")):
        ops.append(Label(line, (x0 + 27.0, y0 + 20.0 + 6.0 * row), 2.2, ink))
    white = (245, 245, 245)
    level = linear_to_byte(scene.ink_ratio * float(decode_srgb(np.array(white[0] / 255))))
    ops.append(Shape(rectangle(-half - quiet, -half - quiet, half + quiet, half + quiet), white))
    ops.append(Symbol((level, level, level), white, False))
    if scene.hand:
        thumb_x = rng.uniform(x0 + 5.0, x0 + 40.0)
        ops.append(Shape(ellipse(thumb_x, y1 + 6.0, 10.0, 16.0, rng.uniform(-30, 30)), skin))
    return ops
