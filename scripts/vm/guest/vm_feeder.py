"""Play the demo credentials' QR images into a V4L2 loopback device, as a camera would see a
queue of people holding up their passes, and log when each one was on screen.

    .venv/bin/python vm_feeder.py --device /dev/video0 --world /srv/vm-hub/world \
        --schedule /run/vm-feeder.jsonl [--only 1]

Writes raw YUYV frames (what most USB webcams deliver) at 15 fps to the loopback's output
side; `station scan --source camera:0` reads the capture side through OpenCV's V4L2 backend,
the code path of a USB webcam. Each credential stays in view `--dwell` seconds, then an empty
frame for `--gap` seconds, so every code leaves the picture before the next one arrives.
Every change of picture is appended to `--schedule` as {"number": N (0 = empty), "at": T} with
T on CLOCK_MONOTONIC, which the check shares, so it can tell which credential a verdict's
frame showed and how long after the credential appeared the verdict came.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

WIDTH, HEIGHT, FPS = 1280, 720, 15.0
#: ioctl numbers on 64-bit Linux: _IOWR('V', 5, struct v4l2_format) and
#: _IOWR('V', 22, struct v4l2_streamparm).
VIDIOC_S_FMT = 0xC0D05605
VIDIOC_S_PARM = 0xC0CC5616
BUF_TYPE_VIDEO_OUTPUT = 2
FIELD_NONE = 1
COLORSPACE_SRGB = 8
PIX_FMT_YUYV = int.from_bytes(b"YUYV", "little")
#: The tallest a code may be drawn: a pass held 20-30 cm from a 720p webcam.
MAX_CODE_PX = 600


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="/dev/video0")
    parser.add_argument("--world", type=Path, required=True, help="folder with manifest.json")
    parser.add_argument("--schedule", type=Path, required=True, help="JSON lines written here")
    parser.add_argument("--dwell", type=float, default=2.0, help="seconds each code is in view")
    parser.add_argument("--gap", type=float, default=0.5, help="seconds of empty picture between")
    parser.add_argument("--only", type=int, help="show only this credential number, forever")
    args = parser.parse_args()
    manifest = json.loads((args.world / "manifest.json").read_text())
    chosen = [c for c in manifest["credentials"] if args.only in (None, c["number"])]
    frames = {c["number"]: to_yuyv(compose(args.world / c["image"])) for c in chosen}
    frames[0] = to_yuyv(np.full((HEIGHT, WIDTH), 255, np.uint8))
    fd = os.open(args.device, os.O_WRONLY)
    try:
        set_format(fd)
        play(fd, frames, playlist(sorted(frames.keys() - {0}), args), args.schedule)
    finally:
        os.close(fd)
    return 0


def compose(image_path: Path) -> np.ndarray:
    """The QR image enlarged by a whole factor (crisp modules) on a white 720p picture."""
    code = cv2.imread(str(image_path), cv2.IMREAD_GRAYSCALE)
    if code is None:
        raise SystemExit(f"cannot read {image_path}")
    factor = max(1, MAX_CODE_PX // max(code.shape))
    code = cv2.resize(code, None, fx=factor, fy=factor, interpolation=cv2.INTER_NEAREST)
    canvas = np.full((HEIGHT, WIDTH), 255, np.uint8)
    top, left = (HEIGHT - code.shape[0]) // 2, (WIDTH - code.shape[1]) // 2
    canvas[top : top + code.shape[0], left : left + code.shape[1]] = code
    return canvas


def to_yuyv(gray: np.ndarray) -> bytes:
    """Grey picture as YUYV 4:2:2 (limited range luma, neutral chroma)."""
    luma = (16 + gray.astype(np.uint16) * 219 // 255).astype(np.uint8)
    packed = np.empty((gray.shape[0], gray.shape[1] * 2), np.uint8)
    packed[:, 0::2] = luma
    packed[:, 1::2] = 128
    return packed.tobytes()


def set_format(fd: int) -> None:
    """VIDIOC_S_FMT on the output side: 1280x720 YUYV; then 15 fps (advisory)."""
    fmt = bytearray(208)
    struct.pack_into("I", fmt, 0, BUF_TYPE_VIDEO_OUTPUT)
    struct.pack_into(
        "7I",
        fmt,
        8,
        WIDTH,
        HEIGHT,
        PIX_FMT_YUYV,
        FIELD_NONE,
        WIDTH * 2,
        WIDTH * HEIGHT * 2,
        COLORSPACE_SRGB,
    )
    fcntl.ioctl(fd, VIDIOC_S_FMT, fmt)
    parm = bytearray(204)
    struct.pack_into("I", parm, 0, BUF_TYPE_VIDEO_OUTPUT)
    struct.pack_into("4I", parm, 4, 0, 0, 1, int(FPS))  # capability, mode, 1/FPS s per frame
    try:
        fcntl.ioctl(fd, VIDIOC_S_PARM, parm)
    except OSError:
        pass  # the frame rate is only what the capture side reports; the pacing below rules


def playlist(numbers: list[int], args: argparse.Namespace) -> Iterator[tuple[int, float]]:
    """(picture number, seconds) forever: each code for `dwell`, then empty for `gap`."""
    while True:
        for number in numbers:
            yield number, args.dwell
            if args.only is None:
                yield 0, args.gap


def play(
    fd: int, frames: dict[int, bytes], slots: Iterator[tuple[int, float]], schedule: Path
) -> None:
    """Write frames at FPS, logging each change of picture with its monotonic time."""
    period = 1 / FPS
    tick = time.monotonic()
    with schedule.open("a") as log:
        for number, seconds in slots:
            log.write(json.dumps({"number": number, "at": time.monotonic()}) + "\n")
            log.flush()
            for _ in range(max(1, round(seconds * FPS))):
                os.write(fd, frames[number])
                tick += period
                time.sleep(max(0.0, tick - time.monotonic()))


if __name__ == "__main__":
    raise SystemExit(main())
