"""Hub payloads the sync fuzzer (fuzz/sync_lists.py) found to raise instead of being refused.

`base64.b64decode` raises a plain ValueError, not `binascii.Error`, for a string holding a
non-ASCII character; a signed page with such a kid, hash or status-list key used to end the sync
with that ValueError instead of `DataInvalid`.
"""

from __future__ import annotations

import pytest

from sync.errors import DataInvalid
from sync.trust_list import kid_set
from sync.wire import base64_bytes

#: The fuzzer's value: a status-list key of base64 characters with one U+01BA inside.
NON_ASCII = "A\u01baAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


@pytest.mark.parametrize("value", [NON_ASCII, "ä", "AAAAAAAAAAA\u00a0"], ids=repr)
def test_non_ascii_base64_is_data_invalid(value):
    with pytest.raises(DataInvalid, match="is not base64"):
        base64_bytes(value, "a status-list key", length=32)


def test_trust_list_kid_with_a_non_ascii_character_is_data_invalid():
    with pytest.raises(DataInvalid, match="is not base64"):
        kid_set(["AAAAAAAAAAA=", "AAAAAAAAAA\u00e9="])


def test_ascii_base64_still_decodes():
    assert base64_bytes("AAAAAAAAAAA=", "a kid", length=8) == bytes(8)
