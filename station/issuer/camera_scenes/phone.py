"""A phone held up with a wallet app showing the code, and the hand holding it."""

from __future__ import annotations

from numpy.random import Generator

from station.issuer.camera_scenes.carrier_parts import (
    BRANDS,
    SKIN_TONES,
    Color,
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


def phone_ops(scene: Scene, family: str, code: float, quiet: float, rng: Generator) -> list[Op]:
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
    body = rounded(-width / 2.0, sy0 - top, width / 2.0, sy1 + bottom, rng.uniform(7.0, 11.0))
    ops: list[Op] = []
    skin = jitter(SKIN_TONES[int(rng.integers(len(SKIN_TONES)))], rng)
    if scene.hand:
        ops += _fingers_behind(width, sy1 + bottom, skin, rng)
    ops.append(Shape(body, jitter((25, 25, 28), rng, 8)))
    ops.append(Shape(rounded(sx0, sy0, sx1, sy1, rng.uniform(3.0, 8.0)), (0, 0, 0), True))
    ops += _app_ops(scene, family, (sx0, sy0, sx1, sy1), card, rng)
    if scene.hand:
        ops += _thumb(width, card, sy1, skin, rng)
    return ops


def _app_ops(
    scene: Scene,
    family: str,
    screen: tuple[float, float, float, float],
    card: float,
    rng: Generator,
) -> list[Op]:
    """The wallet app: status bar, branded title bar, name lines, the code, a button."""
    sx0, sy0, sx1, sy1 = screen
    dark = scene.dark_mode
    background = jitter((28, 26, 24) if dark else (250, 250, 250), rng, 4)
    ink = (225, 225, 225) if dark else (40, 40, 40)
    brand, title, lines = BRANDS[family]
    ops: list[Op] = [Shape(rounded(sx0, sy0, sx1, sy1, 5.0), background, True)]
    ops.append(Label("9:41", (sx0 + 4.0, sy0 + 3.5), 2.2, ink, True))
    ops.append(Shape(rectangle(sx1 - 12.0, sy0 + 1.5, sx1 - 4.0, sy0 + 3.4), ink, True))
    bar = sy0 + rng.uniform(10.0, 14.0)
    ops.append(Shape(rectangle(sx0, sy0 + 5.0, sx1, bar), brand, True))
    ops.append(Label(title, (sx0 + 4.0, bar - 2.5), 2.6, (250, 250, 250), True))
    half = card / 2.0
    ops.append(Label(lines[1], (sx0 + 5.0, -half - 6.0), 2.8, ink, True))
    ops.append(Label(lines[0], (sx0 + 5.0, -half - 12.0), 2.2, ink, True))
    if dark and not scene.inverted:
        white = jitter((245, 245, 245), rng, 4)
        ops.append(Shape(rounded(-half, -half, half, half, 1.5), white, True))
        ops.append(Symbol((20, 20, 20), white, True))
    elif scene.inverted:
        ops.append(Symbol(jitter((220, 220, 220), rng, 10), background, True))
    else:
        ops.append(Symbol((15, 15, 15), background, True))
    for row in range(3):
        y = half + 8.0 + 6.0 * row
        length = rng.uniform(0.35, 0.8) * (sx1 - sx0 - 10.0)
        ops.append(Shape(rectangle(sx0 + 5.0, y, sx0 + 5.0 + length, y + 2.0), ink, True))
    button_y = sy1 - rng.uniform(8.0, 14.0)
    ops.append(Shape(rounded(sx0 + 6.0, button_y - 8.0, sx1 - 6.0, button_y, 4.0), brand, True))
    return ops


def _fingers_behind(width: float, bottom: float, skin: Color, rng: Generator) -> list[Op]:
    """Fingertips curling round the far edge, and the palm under the phone."""
    shade = jitter(skin, rng, 10)
    x = (width / 2.0 + rng.uniform(1.0, 3.5)) * (1 if rng.random() < 0.5 else -1)
    ops: list[Op] = [
        Shape(ellipse(x, bottom - 55.0 + 18.0 * i + rng.uniform(-3, 3), 5.0, 8.0), shade)
        for i in range(int(rng.integers(2, 4)))
    ]
    ops.append(Shape(ellipse(rng.uniform(-10, 10), bottom + 18.0, 48.0, 40.0), skin))
    return ops


def _thumb(
    width: float, card: float, screen_bottom: float, skin: Color, rng: Generator
) -> list[Op]:
    """The thumb over the near edge, kept clear of the code's quiet zone."""
    sign = 1 if rng.random() < 0.5 else -1
    x = sign * max(width / 2.0 + rng.uniform(-2.0, 4.0), card / 2.0 + 11.0)
    y = rng.uniform(card / 2.0 + 22.0, max(card / 2.0 + 24.0, screen_bottom - 20.0))
    angle = sign * rng.uniform(10.0, 35.0)
    darker = tuple(int(c * 0.8) for c in skin)
    return [
        Shape(ellipse(x, y, 10.5, 24.0, angle), (darker[0], darker[1], darker[2])),
        Shape(ellipse(x - sign * 0.6, y - 0.6, 9.5, 23.0, angle), skin),
        Shape(ellipse(x - sign * 1.5, y - 15.0, 5.5, 6.0, angle), jitter(skin, rng, 12)),
    ]
