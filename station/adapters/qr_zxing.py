"""QR reading with zxing-cpp, returning the raw bytes of each code.

zxing-cpp is the stronger of the two decoders here (it finds codes at any rotation, in
perspective, light on dark, and in frames where zbar finds nothing), and it releases the GIL
while it works, so a scan thread does not stall the GUI.  We take `Barcode.bytes` rather than
`.text` so both decoders hand the same raw bytes to `station.codec.text`.
"""

from __future__ import annotations

import numpy as np
import zxingcpp
from numpy.typing import NDArray

#: Only QR codes: every credential the station reads is a QR, and looking for 1-D symbologies
#: too costs time on every frame.  A shop barcode then reads as "no code", which is the truth.
_QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)

_GLOBAL = zxingcpp.Binarizer.GlobalHistogram
_LOCAL = zxingcpp.Binarizer.LocalAverage


def read_qr_bytes(
    gray: NDArray[np.uint8], *, thorough: bool = True, global_threshold: bool = False
) -> list[bytes]:
    """Raw payloads of every QR code zxing-cpp finds in an 8-bit grayscale image.

    `thorough=False` skips zxing's own downscaled and inverted passes: the fast path for a
    camera frame, where the read strategy decides which recoveries are worth their time.
    `global_threshold` binarises with one histogram threshold for the whole image instead of
    zxing's default local average, which reads blurred and noisy frames the default misses.
    """
    if gray.ndim != 2 or gray.size == 0:
        return []
    results = zxingcpp.read_barcodes(
        np.ascontiguousarray(gray),
        formats=_QR_ONLY,
        try_rotate=True,
        try_downscale=thorough,
        try_invert=thorough,
        binarizer=_GLOBAL if global_threshold else _LOCAL,
    )
    return [bytes(result.bytes) for result in results if result.valid]


def other_barcode_formats(gray: NDArray[np.uint8]) -> list[str]:
    """Names of non-QR barcodes in the image (EAN-13, Code 128, ...), to tell a guard why a
    picture holds no pass.  Only used on still images: it is too slow for every camera frame."""
    if gray.ndim != 2 or gray.size == 0:
        return []
    results = zxingcpp.read_barcodes(np.ascontiguousarray(gray))
    return [
        str(result.format) for result in results if result.format != zxingcpp.BarcodeFormat.QRCode
    ]
