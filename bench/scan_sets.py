"""The image sets the scanning benchmarks read, each as (name, image, expected text or None).

(a) `dgc_pngs`: the QR PNGs of the vendored EU DCC conformance files; the expected text is the
    file's PREFIX.
(b) `synthetic`: camera-like 1280x720 frames from `station.issuer.camera_scenes`, every condition
    (perspective, blur, glare, moiré, small code, phone screen, night, ...).
(c) `real_photos`: the zxing-cpp project's real photos and scans (tests/vectors); the images of
    its false-positive folders come with expected None: reading anything there is a false read.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from station.issuer.camera_scenes.conditions import CONDITIONS
from station.issuer.camera_scenes.frames import synth_set
from station.issuer.camera_scenes.samples import sample_texts

VECTORS = Path(__file__).resolve().parent.parent / "tests" / "vectors"


@dataclass(frozen=True)
class Sample:
    name: str
    image: np.ndarray[Any, Any]
    expected: str | None
    group: str


def dgc_pngs() -> Iterator[Sample]:
    for path in sorted((VECTORS / "dgc-testdata").rglob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if (
            not case.get("2DCODE")
            or case.get("EXPECTEDRESULTS", {}).get("EXPECTEDPICTUREDECODE") is False
        ):
            continue
        data = np.frombuffer(base64.b64decode(case["2DCODE"]), np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
        if image is None:
            continue
        name = str(path.relative_to(VECTORS / "dgc-testdata"))
        yield Sample(name, image, case["PREFIX"], name.split("/")[0])


def synthetic(frames_per_condition: int = 25, seed: int = 2026) -> Iterator[Sample]:
    for frame in synth_set(sample_texts(), frames_per_condition, seed, CONDITIONS):
        name = f"{frame.condition}/{frame.seed}"
        yield Sample(name, frame.image, frame.text, frame.condition)


def real_photos() -> Iterator[Sample]:
    root = VECTORS / "zxing-cpp-qrcode-samples"
    for image_path in sorted(root.glob("*/*")):
        if image_path.suffix == ".txt" or image_path.name in ("LICENSE", "README.md"):
            continue
        folder = image_path.parent.name
        truth = image_path.with_suffix(".txt")
        if folder.startswith("falsepositives"):
            expected = None
        elif truth.exists():
            expected = truth.read_bytes().decode("utf-8")
        else:
            continue
        image = cv2.imread(str(image_path), cv2.IMREAD_COLOR)
        if image is not None:
            yield Sample(f"{folder}/{image_path.name}", image, expected, folder)


_ARUCO = cv2.QRCodeDetectorAruco()


def read_with_opencv(gray: np.ndarray[Any, Any]) -> list[str]:
    """Texts OpenCV's Aruco-based QR detector reads: the third decoder the benchmarks compare."""
    try:
        ok, texts, _, _ = _ARUCO.detectAndDecodeMulti(gray)
    except (cv2.error, UnicodeDecodeError):  # OpenCV decodes to str itself and fails on bytes
        return []
    return [t for t in texts if t] if ok else []


SETS = {"dgc_pngs": dgc_pngs, "synthetic": synthetic, "real_photos": real_photos}
