"""What a revocation distribution service (DRL) sends, read strictly: list and partition JSON, and
the gzip tar archives slices come in.

Everything is checked before anything reaches the cache: kids, modes, hash types, partition
coordinates that fit the kid's mode, chunk ids, slice hashes. Archives are read in memory under
caps on the decompressed size, the member count and each member's size, with anything but
regular files refused, so a hostile or broken backend can neither exhaust the kiosk's memory
nor make the station write a file.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import tarfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from station.cache.drl import DrlList, DrlPartition, SliceKey
from station.cache.drl_filters import FilterType, PartitionMode
from station.verify.revocation import HashType
from sync.errors import DataInvalid, ResponseTooLarge
from sync.wire import optional_instant

UNKNOWN_KID = "UNKNOWN_KID"
KID_BYTES = 8
MAX_LISTS = 100_000
MAX_PARTITIONS = 4096
_HEX = "0123456789abcdef"
_SID = re.compile(r"^[0-9a-f]{64}$")
_PARTITION_ID = re.compile(r"^[0-9A-Za-z_-]{1,32}$")


@dataclass(frozen=True, slots=True)
class TarLimits:
    """Caps on one slice archive; the defaults fit a full national list chunk by chunk."""

    max_members: int = 4096
    max_member_bytes: int = 4 * 1024 * 1024
    max_total_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RemoteList:
    """A kid's list as `GET /lists` describes it, with the kid as URL paths spell it."""

    listing: DrlList
    kid_path: str


@dataclass(frozen=True, slots=True)
class RemoteSlice:
    sid: str
    filter_type: FilterType


@dataclass(frozen=True, slots=True)
class RemotePartition:
    """A partition's metadata, its id as URL paths spell it, and the slices it lists."""

    partition: DrlPartition
    path_id: str
    slices: dict[SliceKey, RemoteSlice]


@dataclass(frozen=True, slots=True)
class TarSlice:
    """One archive member, named `{kid}/{partition id}/{chunk}/{sid}`."""

    kid: bytes
    path_id: str
    chunk: str
    sid: str
    data: bytes


def kid_bytes(value: Any) -> bytes:
    """A list's kid: base64 (standard or URL-safe) of 8 bytes, or b"" for UNKNOWN_KID."""
    if value == UNKNOWN_KID:
        return b""
    text = str(value).strip().replace("-", "+").replace("_", "/").rstrip("=")
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DataInvalid("a DRL kid is not base64") from exc
    if len(raw) != KID_BYTES:
        raise DataInvalid(f"a DRL kid is not {KID_BYTES} bytes")
    return raw


def kid_path(kid: bytes) -> str:
    """The kid as URL paths and archive names spell it: unpadded base64url, or UNKNOWN_KID."""
    if not kid:
        return UNKNOWN_KID
    return base64.urlsafe_b64encode(kid).rstrip(b"=").decode("ascii")


def parse_lists(document: Any) -> dict[bytes, RemoteList]:
    """`GET /lists`: one entry per kid; a kid listed twice is refused."""
    if not isinstance(document, list) or len(document) > MAX_LISTS:
        raise DataInvalid("the DRL list answer is not a list of kids")
    found: dict[bytes, RemoteList] = {}
    for item in document:
        listing = _listing(_object(item, "a DRL list entry"))
        if listing.kid in found:
            raise DataInvalid("a kid is listed twice")
        found[listing.kid] = RemoteList(listing, kid_path(listing.kid))
    return found


def _listing(item: dict[str, Any]) -> DrlList:
    types = item.get("hashTypes")
    if not isinstance(types, list) or not types:
        raise DataInvalid("a DRL list names no hash types")
    try:
        mode = PartitionMode(str(item.get("mode")))
        hash_types = frozenset(HashType.from_wire(str(name)) for name in types)
    except ValueError as exc:
        raise DataInvalid(f"a DRL list is malformed: {exc}") from exc
    return DrlList(
        kid=kid_bytes(item.get("kid")),
        mode=mode,
        hash_types=hash_types,
        expires=optional_instant(item.get("expires"), "a DRL list expiry"),
        last_updated=_instant(item.get("lastUpdated"), "a DRL list's lastUpdated"),
    )


def parse_partitions(document: Any, listing: DrlList) -> list[RemotePartition]:
    """`GET /lists/{kid}/partitions`: coordinates must fit the kid's mode, ids be unique."""
    if not isinstance(document, list) or len(document) > MAX_PARTITIONS:
        raise DataInvalid("the DRL partition answer is not a list of partitions")
    found = [_partition(_object(item, "a DRL partition"), listing) for item in document]
    coordinates = {(p.partition.x, p.partition.y) for p in found}
    if len({p.path_id for p in found}) != len(found) or len(coordinates) != len(found):
        raise DataInvalid("a DRL partition is listed twice")
    return found


def _partition(item: dict[str, Any], listing: DrlList) -> RemotePartition:
    x, y = _coordinate(item.get("x")), _coordinate(item.get("y"))
    wanted = {
        PartitionMode.POINT: not x and not y,
        PartitionMode.VECTOR: bool(x) and not y,
        PartitionMode.COORDINATE: bool(x) and bool(y),
    }
    if not wanted[listing.mode]:
        raise DataInvalid(f"a partition's x/y do not fit {listing.mode} mode")
    raw_id = item.get("id")
    path_id = "null" if raw_id is None else str(raw_id)
    if not _PARTITION_ID.match(path_id):
        raise DataInvalid("a partition id is not a short URL-safe name")
    partition = DrlPartition(
        kid=listing.kid,
        partition_id="" if raw_id is None else path_id,
        x=x,
        y=y,
        last_updated=optional_instant(item.get("lastUpdated"), "a partition's lastUpdated"),
        expires=optional_instant(item.get("expired"), "a partition's expiry"),
    )
    return RemotePartition(partition, path_id, _chunks(item.get("chunks"), x, y))


def _chunks(value: Any, x: str, y: str) -> dict[SliceKey, RemoteSlice]:
    """`{cid: {expiry: {type, version, hash}}}` as slice keys and what each key holds."""
    chunks = _object(value, "a partition's chunk map")
    found: dict[SliceKey, RemoteSlice] = {}
    for cid, slices in chunks.items():
        chunk = _coordinate(cid)
        if not chunk:
            raise DataInvalid("a chunk id is not one hex digit")
        for expiry, meta in _object(slices, "a chunk's slice map").items():
            when = _instant(expiry, "a slice expiry")
            key = SliceKey(x, y, chunk, int(when.timestamp() // 1))
            if key in found:
                raise DataInvalid("two slices of one chunk expire in the same second")
            found[key] = _slice_meta(_object(meta, "a slice description"))
    return found


def _slice_meta(meta: dict[str, Any]) -> RemoteSlice:
    sid = str(meta.get("hash", "")).lower()
    if not _SID.match(sid):
        raise DataInvalid("a slice hash is not SHA-256 hex")
    try:
        return RemoteSlice(sid, FilterType(str(meta.get("type"))))
    except ValueError as exc:
        raise DataInvalid(f"unknown slice type {meta.get('type')!r}") from exc


def read_slice_tar(body: bytes, limits: TarLimits) -> list[TarSlice]:
    """The members of a gzip tar of slices, read in memory within `limits`."""
    raw = _gunzip(body, limits.max_total_bytes)
    found: list[TarSlice] = []
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as archive:
            for member in archive:
                if len(found) >= limits.max_members:
                    raise ResponseTooLarge(f"more than {limits.max_members} slices in one answer")
                found.append(_member(archive, member, limits))
    except (tarfile.TarError, EOFError, OSError, UnicodeError) as exc:
        raise DataInvalid(f"the slice archive is not a valid tar: {type(exc).__name__}") from exc
    return found


def _member(archive: tarfile.TarFile, member: tarfile.TarInfo, limits: TarLimits) -> TarSlice:
    if not member.isreg():
        raise DataInvalid("the slice archive holds something other than files")
    if member.size > limits.max_member_bytes:
        raise ResponseTooLarge(f"a slice of {member.size:,} bytes is larger than allowed")
    parts = member.name.split("/")
    if len(parts) < 4 or not _SID.match(parts[-1]) or len(parts[-2]) != 1:
        raise DataInvalid("a slice archive member is not named kid/partition/chunk/sid")
    extracted = archive.extractfile(member)
    if extracted is None:
        raise DataInvalid("a slice archive member has no data")
    data = extracted.read(member.size + 1)
    if len(data) != member.size:
        raise DataInvalid("a slice archive member is cut short")
    return TarSlice(kid_bytes("/".join(parts[:-3])), parts[-3], parts[-2].lower(), parts[-1], data)


def _gunzip(body: bytes, cap: int) -> bytes:
    """The decompressed archive, never more than `cap` bytes in memory."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        raw = inflater.decompress(body, cap + 1)
    except zlib.error as exc:
        raise DataInvalid("the slice archive is not valid gzip") from exc
    if len(raw) > cap:
        raise ResponseTooLarge(f"the slice archive unpacks to more than {cap:,} bytes")
    if not inflater.eof or inflater.unused_data:
        raise DataInvalid("the slice archive is cut short or followed by other data")
    return raw


def _coordinate(value: Any) -> str:
    """A partition coordinate or chunk id: one hex digit (lowercased), '' for null."""
    if value is None:
        return ""
    text = str(value).lower()
    if len(text) != 1 or text not in _HEX:
        raise DataInvalid(f"{value!r} is not one hex digit")
    return text


def _instant(value: Any, what: str) -> datetime:
    moment = optional_instant(value, what)
    if moment is None:
        raise DataInvalid(f"{what} is missing")
    return moment


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DataInvalid(f"{what} is not an object")
    return value
