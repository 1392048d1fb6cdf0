"""A demo camera feed: people stepping up to the kiosk one after another with their codes.

It feeds the station's scan command and screenshots without a camera: numbered images or a
video file that the station's `dir:` and `file:` frame sources replay.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from station.issuer.camera_scenes.arrays import ByteImage
from station.issuer.camera_scenes.conditions import draw_scene
from station.issuer.camera_scenes.frames import FRAME_SIZE
from station.issuer.camera_scenes.payload import credential_family, qr_modules
from station.issuer.camera_scenes.readability import settle
from station.issuer.camera_scenes.render import render, render_empty
from station.issuer.camera_scenes.scene import Scene, mix

DEMO_CONDITIONS: tuple[str, ...] = ("clean", "perspective", "phone_screen", "glare", "noise")


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
    room = draw_scene("", "clean", seed, size)
    for index, text in enumerate(texts):
        for frame in range(round(gap_seconds * fps)):
            yield render_empty(replace(room, noise_seed=mix(seed, index, frame, 1)))
        condition = DEMO_CONDITIONS[index % len(DEMO_CONDITIONS)]
        scene = draw_scene(text, condition, seed * 1009 + index, size)
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


def _presentation(scene: Scene, text: str, count: int, fps: int) -> Iterator[ByteImage]:
    """A code held up for `count` frames, swaying slightly as a hand does."""
    modules = qr_modules(text)
    family = credential_family(text)
    rng = np.random.default_rng(scene.effect_seed)
    phases = rng.uniform(0.0, 2.0 * math.pi, 3)
    for index in range(count):
        t = index / max(1, fps)
        swayed = replace(
            scene,
            place_x=float(np.clip(scene.place_x + 0.04 * math.sin(2.5 * t + phases[0]), 0, 1)),
            place_y=float(np.clip(scene.place_y + 0.03 * math.sin(1.9 * t + phases[1]), 0, 1)),
            roll_deg=scene.roll_deg + 1.5 * math.sin(1.7 * t + phases[2]),
            noise_seed=mix(scene.noise_seed, index),
        )
        yield render(swayed, modules, settle(swayed, modules.shape[0]), family)
