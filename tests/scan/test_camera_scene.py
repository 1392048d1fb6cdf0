"""The synthetic camera frames: deterministic, well-formed, every condition, the code really in
them (both decoders read every payload family on clean frames), and the demo video plays back."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from station.adapters.qr_pyzbar import read_qr_bytes
from station.issuer.camera_scenes.conditions import CONDITION_SHARES, CONDITIONS
from station.issuer.camera_scenes.demo import write_demo_frames, write_demo_video
from station.issuer.camera_scenes.frames import (
    SyntheticFrame,
    synth_frame,
    synth_frame_with_truth,
    synth_set,
)
from station.issuer.camera_scenes.samples import sample_texts
from station.verify.dcc_decode import (
    decode_transport,
    decompress,
    parse_cose_sign1,
    parse_cwt,
    strip_prefix,
)

TEXTS = sample_texts()
HC1, SHC, NZCP, PC_COVID, CCCD = TEXTS


def _gray(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def test_sample_texts_cover_every_family_at_realistic_lengths():
    assert sample_texts() == TEXTS  # deterministic, signatures included
    assert HC1.startswith("HC1:") and 550 <= len(HC1) <= 650
    digits = SHC.removeprefix("shc:/")
    assert SHC.startswith("shc:/") and digits.isdigit() and 1100 <= len(digits) <= 1600
    assert all(int(digits[i : i + 2]) <= 77 for i in range(0, len(digits), 2))
    assert NZCP.startswith("NZCP:/1/") and re.fullmatch(r"[A-Z2-7]+", NZCP[8:])
    assert 400 <= len(NZCP) <= 700
    assert PC_COVID.count("|") == 5 and "Nguyễn Thị Hồng Nhung" in PC_COVID
    assert CCCD.split("|")[0] == "079099012345" and "Trần Văn Bình" in CCCD


def test_sample_hc1_is_a_well_formed_es256_dcc():
    cose = parse_cose_sign1(decompress(decode_transport(strip_prefix(HC1)), 1 << 20))
    assert cose.alg == -7 and len(cose.kid) == 8 and len(cose.signature) == 64
    assert parse_cwt(cose.payload).certificate["nam"]["fn"] == "Nguyễn"


def test_sample_nzcp_is_base32_of_a_cose_sign1():
    body = NZCP[8:]
    raw = base64.b32decode(body + "=" * (-len(body) % 8))
    assert parse_cose_sign1(raw).alg == -7


@pytest.mark.parametrize("condition", CONDITIONS)
def test_every_condition_gives_a_720p_bgr_frame_with_the_code_inside(condition):
    frame = synth_frame_with_truth(TEXTS[CONDITIONS.index(condition) % 5], condition, 7)
    assert frame.image.shape == (720, 1280, 3) and frame.image.dtype == np.uint8
    assert frame.condition == condition and 0.0 <= frame.severity <= 1.0
    assert frame.corners.shape == (4, 2)
    assert (frame.corners >= 0).all() and (frame.corners < (1280, 720)).all()
    assert 5 < frame.image.mean() < 250  # neither black nor blown out
    assert frame.params["pitch_min_px"] >= 1.4


def test_same_arguments_give_identical_bytes_and_other_seeds_differ():
    first = synth_frame(HC1, "glare", 11)
    assert np.array_equal(first, synth_frame(HC1, "glare", 11))
    assert not np.array_equal(first, synth_frame(HC1, "glare", 12))
    assert not np.array_equal(first, synth_frame(HC1, "perspective", 11))


def test_severity_and_the_drawn_parameters_vary_with_the_seed():
    frames = [synth_frame_with_truth(HC1, "perspective", seed) for seed in range(6)]
    severities = {round(frame.severity, 6) for frame in frames}
    tilts = [frame.params["tilt_deg"] for frame in frames]
    assert len(severities) == 6
    assert max(tilts) - min(tilts) > 10.0
    assert all(15.0 <= tilt <= 48.0 for tilt in tilts)
    blurs = [synth_frame_with_truth(SHC, "blur", seed).params["defocus_pitches"] for seed in (1, 2)]
    assert blurs[0] != blurs[1]


@pytest.mark.parametrize("text", TEXTS, ids=["hc1", "shc", "nzcp", "pc-covid", "cccd"])
def test_clean_frames_are_read_exactly_by_zxing_cpp_and_by_zbar(text):
    for seed in (0, 1):
        gray = _gray(synth_frame(text, "clean", seed))
        assert text in [result.text for result in zxingcpp.read_barcodes(gray)]
        assert text.encode("utf-8") in read_qr_bytes(gray)


def test_unknown_condition_is_refused():
    with pytest.raises(ValueError, match="unknown condition"):
        synth_frame(HC1, "fog", 0)


def test_other_frame_sizes_are_supported():
    frame = synth_frame_with_truth(PC_COVID, "clean", 3, size=(640, 360))
    assert frame.image.shape == (360, 640, 3)
    assert PC_COVID in [r.text for r in zxingcpp.read_barcodes(_gray(frame.image))]


def test_synth_set_is_lazy_cycles_texts_and_keeps_inverted_rare():
    frames = synth_set(TEXTS[:2], 4, seed=5, conditions=("clean", "inverted"))
    assert isinstance(frames, Iterator)
    listed: list[SyntheticFrame] = list(frames)
    counts = {c: sum(f.condition == c for f in listed) for c in ("clean", "inverted")}
    assert counts == {"clean": 4, "inverted": round(4 * CONDITION_SHARES["inverted"])}
    assert {f.text for f in listed if f.condition == "clean"} == set(TEXTS[:2])
    equal = synth_set(TEXTS[:2], 2, seed=5, conditions=("inverted",), shares=None)
    assert len(list(equal)) == 2


def test_demo_video_reads_back_with_the_expected_frame_count(tmp_path: Path):
    path = tmp_path / "demo.mp4"
    fps, seconds, gap = 5, 0.8, 0.4
    written = write_demo_video(
        path, TEXTS[3:5], seconds_per_code=seconds, fps=fps, size=(640, 360), gap_seconds=gap
    )
    expected = 2 * (round(gap * fps) + round(seconds * fps))
    assert written == expected
    capture = cv2.VideoCapture(str(path))
    assert capture.get(cv2.CAP_PROP_FPS) == pytest.approx(fps, rel=0.01)
    frames = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(image)
    capture.release()
    assert len(frames) == expected and frames[0].shape == (360, 640, 3)
    first_code = frames[round(gap * fps) + 1]
    assert PC_COVID in [r.text for r in zxingcpp.read_barcodes(_gray(first_code))]
    assert zxingcpp.read_barcodes(_gray(frames[0])) == []  # nobody at the kiosk yet


def test_demo_frames_are_written_as_numbered_images(tmp_path: Path):
    paths = write_demo_frames(
        tmp_path / "frames", [PC_COVID], seconds_per_code=0.4, fps=5, gap_seconds=0.2, seed=1
    )
    assert [p.name for p in paths] == [f"frame_{i:05d}.jpg" for i in range(3)]
    assert cv2.imread(str(paths[-1])).shape == (720, 1280, 3)
