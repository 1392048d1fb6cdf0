"""`read_codes` and each decoder on QR images generated from real payload shapes, and on every
kind of bad image: the answer is always a list (maybe empty), quickly, never an exception."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
import segno
import zxingcpp

from station.adapters.clock import SystemClock
from station.cli.requests import Request, RequestRunner
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.qr_image import qr_gray
from station.scan import read_codes
from station.scan.strategy import READERS
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier

NATIONAL_QR = (
    "079099012345|025123456|Trần Văn Bình|15041990|Nam|"
    "123 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|20062021"
)
PC_COVID_QR = "001099012345|Nguyễn Thị Hồng Nhung|01011990|CCCD|QID123456|EXT<x<y"


def shc_text() -> str:
    rng = np.random.default_rng(7)
    return "shc:/" + "".join(f"{int(n):02d}" for n in rng.integers(0, 78, 600))


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("certificate.json", '{"credentialSubject": {"name": "A"}}' * 4)
    return buffer.getvalue()


def gray_of(data: str | bytes, scale: int = 4) -> np.ndarray:
    code = segno.make(data, error="l", boost_error=False, micro=False)
    matrix = np.array(list(code.matrix_iter(scale=scale, border=4)), dtype=np.uint8)
    return np.where(matrix == 1, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def hc1(es256_signer, now) -> str:  # type: ignore[no-untyped-def]
    return issue_dcc(
        es256_signer,
        vaccination_payload(),
        issued_at=now - timedelta(days=1),
        expires=now + timedelta(days=300),
    )


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_reader_reads_every_family_exactly(reader: str, hc1: str) -> None:
    texts = [
        hc1,
        shc_text(),
        "NZCP:/1/2KCEVIQEIVVWK6JNGEASNICZAEP2KALYDZSGSZB2O5SWEOTOPJRXALTDN53GSZBRHEXGQZLBNR2GQLTOPICRUYMBTIFAIGTUKBAAUYTWMOSGQQDDN5XHIZLYOSBHQJTIOR2HA4Z2F4XXO53XFZ3TGLTPOJTS6MRQGE4C6Y3SMVSGK3TUNFQWY4ZPOYYXQKTIOR2HA4Z2F4XW46TDOAXGG33WNFSDCOJONBSWC3DUNAXG46RPMNXW45DFPB2HGL3WGFTXMZLSONUW63TFGEXDALRQMR2HS4DFQJ2FMZLSNFTGSYLCNRSUG4TFMRSW45DJMFWG6UDVMJWGSY2DN53GS3TFKBQXG43LMJXW6RI",
        NATIONAL_QR,
        PC_COVID_QR,
    ]
    for text in texts:
        assert [raw.decode("utf-8") for raw in READERS[reader](gray_of(text))] == [text]


def test_binary_zip_payload_survives_byte_for_byte() -> None:
    data = zip_bytes()
    texts = read_codes(gray_of(data))
    assert len(texts) == 1 and texts[0].encode("latin-1") == data


def test_latin1_text_is_not_mangled() -> None:
    assert read_codes(gray_of("Café Österreich".encode("latin-1"))) == ["Café Österreich"]


def test_several_codes_in_one_frame_are_all_reported(hc1: str) -> None:
    frame = np.full((720, 1280), 235, np.uint8)
    for index, text in enumerate([hc1, NATIONAL_QR, shc_text()]):
        code = qr_gray(text, scale=2)
        top, left = 40 + index * 10, 20 + index * 420
        frame[top : top + code.shape[0], left : left + code.shape[1]] = code
    assert sorted(read_codes(frame)) == sorted([hc1, NATIONAL_QR, shc_text()])


def test_colour_and_alpha_images_read_like_gray(hc1: str) -> None:
    gray = qr_gray(hc1, scale=3)
    bgr = np.dstack([gray, gray, gray])
    bgra = np.dstack([gray, gray, gray, np.full_like(gray, 255)])
    assert read_codes(bgr) == read_codes(bgra) == read_codes(gray) == [hc1]


def test_non_contiguous_and_other_dtypes(hc1: str) -> None:
    gray = qr_gray(hc1, scale=3)
    padded = np.full((gray.shape[0] * 2, gray.shape[1] * 2), 255, np.uint8)
    padded[::2, ::2] = gray
    assert read_codes(padded[::2, ::2]) == [hc1]
    assert read_codes(gray.astype(np.uint16) * 257) == [hc1]
    assert read_codes(gray.astype(np.float64) / 255.0) == [hc1]
    assert read_codes(gray > 127) == [hc1]


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((0, 0), np.uint8),
        np.zeros((1, 1), np.uint8),
        np.zeros((1, 5000), np.uint8),
        np.zeros((720, 1280), np.uint8),
        np.full((720, 1280, 3), 255, np.uint8),
        np.random.default_rng(1).integers(0, 256, (720, 1280), dtype=np.uint8),
        np.zeros((4, 4, 4, 4), np.uint8),
        np.zeros((10, 10, 2), np.uint8),
        np.array([[np.nan, np.inf], [-np.inf, 0.0]]),
    ],
    ids=["empty", "1x1", "1x5000", "black", "white", "noise", "4d", "2-channel", "nan-inf"],
)
def test_images_without_codes_give_nothing(image: np.ndarray) -> None:
    assert read_codes(image) == []


def test_huge_image_is_read_after_shrinking() -> None:
    huge = np.full((10_000, 10_000), 255, np.uint8)
    code = qr_gray("HC1:" + "6BFOXN" * 30, scale=24)
    huge[500 : 500 + code.shape[0], 700 : 700 + code.shape[1]] = code
    assert read_codes(huge) == ["HC1:" + "6BFOXN" * 30]


def test_shop_barcode_is_not_reported_as_a_qr_code() -> None:
    ean = zxingcpp.create_barcode("8934588012228", zxingcpp.BarcodeFormat.EAN13)
    image = np.asarray(zxingcpp.write_barcode_to_image(ean, scale=4))
    assert read_codes(image) == []


def test_a_photo_of_a_shop_barcode_says_so(tmp_path: Path) -> None:
    ean = zxingcpp.create_barcode("8934588012228", zxingcpp.BarcodeFormat.EAN13)
    path = tmp_path / "ean.png"
    cv2.imwrite(str(path), np.asarray(zxingcpp.write_barcode_to_image(ean, scale=4)))
    runner = RequestRunner(Verifier(TrustIndex([]), SystemClock()))
    result = runner.run(Request(1, image=str(path)))
    assert result.status == "INVALID"
    assert result.checks[0].code == "NOT_A_QR_CODE" and "EAN-13" in result.checks[0].message
