"""What the DRL client accepts from a backend: list and partition JSON, and slice archives read
in memory within caps (member count, member size, decompressed size, regular files only)."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile

import pytest

from station.cache.drl_filters import PartitionMode
from station.verify.revocation import HashType
from sync.drl import etag_version
from sync.drl_wire import (
    TarLimits,
    kid_bytes,
    kid_path,
    parse_lists,
    parse_partitions,
    read_slice_tar,
)
from sync.errors import DataInvalid, ResponseTooLarge

KID = bytes([0xFB, 0xFF, 1, 2, 3, 4, 5, 6])
SMALL = TarLimits(max_members=3, max_member_bytes=1024, max_total_bytes=64 * 1024)


def _tar(members: list[tuple[str, bytes]], kind: bytes = tarfile.REGTYPE) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.type = len(data), kind
            if kind == tarfile.SYMTYPE:
                info.size, info.linkname = 0, "/etc/passwd"
            archive.addfile(info, io.BytesIO(data) if info.size else None)
    return gzip.compress(buffer.getvalue())


def _member(data: bytes, chunk: str = "a", kid: str | None = None) -> tuple[str, bytes]:
    return f"{kid or kid_path(KID)}/null/{chunk}/{hashlib.sha256(data).hexdigest()}", data


def _listing(**changes):
    item = {
        "kid": "+/8BAgMEBQY=",
        "mode": "POINT",
        "hashTypes": ["UCI", "SIGNATURE"],
        "expires": "2027-01-01T00:00:00Z",
        "lastUpdated": "2026-06-01T10:00:00.123Z",
    }
    item.update(changes)
    return item


# --- Slice archives ------------------------------------------------------------------------


def test_an_archive_yields_every_slice_with_its_name_parts():
    members = [_member(b"one"), _member(b"two", chunk="F")]
    found = read_slice_tar(_tar(members), SMALL)
    assert [(m.kid, m.path_id, m.chunk, m.data) for m in found] == [
        (KID, "null", "a", b"one"),
        (KID, "null", "f", b"two"),
    ]
    assert found[0].sid == hashlib.sha256(b"one").hexdigest()


def test_a_standard_base64_kid_with_a_slash_in_member_names_is_read():
    found = read_slice_tar(_tar([_member(b"x", kid="+/8BAgMEBQY=")]), SMALL)
    assert found[0].kid == KID


def test_a_zip_bomb_is_refused_without_unpacking_it():
    bomb = gzip.compress(bytes(80 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100 * 1024
    with pytest.raises(ResponseTooLarge, match="unpacks to more than"):
        read_slice_tar(bomb, TarLimits())


@pytest.mark.parametrize(
    ("members", "error", "message"),
    [
        ([_member(bytes([n])) for n in range(4)], ResponseTooLarge, "more than 3 slices"),
        ([_member(bytes(1025))], ResponseTooLarge, "larger than allowed"),
        ([("a/b/c", b"x")], DataInvalid, "not named"),
        ([("k/null/ab/" + "0" * 64, b"x")], DataInvalid, "not named"),
        ([("AAAA/null/a/" + "0" * 64, b"x")], DataInvalid, "kid is not 8 bytes"),
    ],
)
def test_archives_beyond_the_caps_or_misnamed_are_refused(members, error, message):
    with pytest.raises(error, match=message):
        read_slice_tar(_tar(members), SMALL)


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.DIRTYPE, tarfile.FIFOTYPE])
def test_anything_but_regular_files_is_refused(kind):
    with pytest.raises(DataInvalid, match="other than files"):
        read_slice_tar(_tar([_member(b"")], kind=kind), SMALL)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not gzip at all", "not valid gzip"),
        (_tar([_member(b"abc")])[:-6], "cut short"),
        (_tar([_member(b"abc")]) + b"junk", "followed by other data"),
        (gzip.compress(b"\x01" * 700), "not a valid tar"),
    ],
)
def test_broken_archives_are_refused(body, message):
    with pytest.raises(DataInvalid, match=message):
        read_slice_tar(body, SMALL)


# --- Lists and partitions ------------------------------------------------------------------


def test_lists_are_read_with_kids_in_either_base64_alphabet():
    found = parse_lists([_listing(), _listing(kid="UNKNOWN_KID", mode="COORDINATE")])
    assert set(found) == {KID, b""}
    assert found[KID].kid_path == "-_8BAgMEBQY" and found[b""].kid_path == "UNKNOWN_KID"
    assert found[KID].listing.hash_types == {HashType.UCI, HashType.SIGNATURE}
    assert found[b""].listing.mode is PartitionMode.COORDINATE
    assert kid_bytes("-_8BAgMEBQY") == KID


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"kid": "x"}, "not a list"),
        ([_listing(), _listing()], "listed twice"),
        ([_listing(kid="AAAA")], "not 8 bytes"),
        ([_listing(kid="!!!")], "not base64"),
        ([_listing(mode="LINE")], "malformed"),
        ([_listing(hashTypes=["UVCI"])], "malformed"),
        ([_listing(hashTypes=[])], "no hash types"),
        ([_listing(lastUpdated=None)], "missing"),
        ([_listing(lastUpdated="yesterday")], "not a date"),
        (["kid"], "not an object"),
    ],
)
def test_malformed_lists_are_refused(document, message):
    with pytest.raises(DataInvalid, match=message):
        parse_lists(document)


def _partition(**changes):
    item = {
        "kid": "+/8BAgMEBQY=",
        "id": "a",
        "x": "a",
        "y": None,
        "lastUpdated": "2026-06-01T10:00:00Z",
        "expired": "2027-01-01T00:00:00Z",
        "chunks": {"B": {"2027-01-01T00:00:00Z": {"type": "BLOOMFILTER", "hash": "A" * 64}}},
    }
    item.update(changes)
    return item


def test_partitions_are_read_into_slice_keys():
    vector = parse_lists([_listing(mode="VECTOR")])[KID].listing
    (found,) = parse_partitions([_partition()], vector)
    assert (found.path_id, found.partition.x, found.partition.y) == ("a", "a", "")
    ((key, meta),) = found.slices.items()
    assert (key.x, key.y, key.chunk, key.expires) == ("a", "", "b", 1798761600)
    assert meta.sid == "a" * 64


@pytest.mark.parametrize(
    ("mode", "changes", "message"),
    [
        ("POINT", {}, "do not fit POINT"),
        ("COORDINATE", {}, "do not fit COORDINATE"),
        ("VECTOR", {"x": "ab"}, "not one hex digit"),
        ("VECTOR", {"id": "../etc"}, "URL-safe"),
        ("VECTOR", {"chunks": {"g": {}}}, "not one hex digit"),
        ("VECTOR", {"chunks": {"b": {"soon": {}}}}, "not a date"),
        ("VECTOR", {"chunks": {"b": {"2027-01-01T00:00:00Z": {"type": "BLOOMFILTER"}}}}, "SHA-256"),
        (
            "VECTOR",
            {"chunks": {"b": {"2027-01-01T00:00:00Z": {"type": "X", "hash": "0" * 64}}}},
            "unknown slice type",
        ),
    ],
)
def test_partitions_that_do_not_fit_their_list_are_refused(mode, changes, message):
    listing = parse_lists([_listing(mode=mode)])[KID].listing
    with pytest.raises(DataInvalid, match=message):
        parse_partitions([_partition(**changes)], listing)


def test_a_partition_listed_twice_is_refused():
    listing = parse_lists([_listing(mode="VECTOR")])[KID].listing
    with pytest.raises(DataInvalid, match="listed twice"):
        parse_partitions([_partition(), _partition(id="b")], listing)


def test_numeric_etags_name_a_version():
    assert [etag_version(tag) for tag in ('"12"', "12", 'W/"7"', '"abc"', None)] == [
        12,
        12,
        7,
        None,
        None,
    ]
