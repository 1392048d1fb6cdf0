"""QR reading with zbar through pyzbar's ctypes bindings, returning the raw bytes of each code.

pyzbar's `decode()` lets zbar guess a text encoding and transcode byte-mode data, which turns
UTF-8 names into mojibake and corrupts binary payloads (DIVOC ZIPs).  zbar ≥ 0.23 has a
"binary" option (ZBAR_CFG_BINARY = 4, newer than pyzbar's enum) that returns the bytes as
stored; callers decode them (see `station.codec.text`).
"""

from __future__ import annotations

from ctypes import c_char_p, c_void_p, cast, string_at

import numpy as np
from numpy.typing import NDArray
from pyzbar import wrapper as zbar

ZBAR_CFG_BINARY = 4
_Y800 = int.from_bytes(b"Y800", "little")


def read_qr_bytes(gray: NDArray[np.uint8]) -> list[bytes]:
    """Raw payloads of every QR code zbar finds in an 8-bit grayscale image."""
    if gray.ndim != 2 or gray.size == 0:
        return []
    height, width = gray.shape
    pixels = np.ascontiguousarray(gray, dtype=np.uint8).tobytes()
    scanner = zbar.zbar_image_scanner_create()
    try:
        zbar.zbar_image_scanner_set_config(scanner, 0, zbar.ZBarConfig.CFG_ENABLE, 0)
        qr = zbar.ZBarSymbol.QRCODE
        zbar.zbar_image_scanner_set_config(scanner, qr, zbar.ZBarConfig.CFG_ENABLE, 1)
        zbar.zbar_image_scanner_set_config(scanner, qr, ZBAR_CFG_BINARY, 1)
        image = zbar.zbar_image_create()
        try:
            zbar.zbar_image_set_format(image, _Y800)
            zbar.zbar_image_set_size(image, width, height)
            zbar.zbar_image_set_data(image, cast(c_char_p(pixels), c_void_p), len(pixels), None)
            if zbar.zbar_scan_image(scanner, image) <= 0:
                return []
            return _symbols(image)
        finally:
            zbar.zbar_image_destroy(image)
    finally:
        zbar.zbar_image_scanner_destroy(scanner)


def _symbols(image: object) -> list[bytes]:
    found: list[bytes] = []
    symbol = zbar.zbar_image_first_symbol(image)
    while symbol:
        length = zbar.zbar_symbol_get_data_length(symbol)
        found.append(string_at(zbar.zbar_symbol_get_data(symbol), length))
        symbol = zbar.zbar_symbol_next(symbol)
    return found
