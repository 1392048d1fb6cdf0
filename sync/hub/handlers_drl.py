"""The EU revocation distribution service API (sync-protocols §3.3) under `/drl/`.

`GET /drl/lists` answers with the dataset's ETag (304 on `If-None-Match` with it); every other
call must carry `If-Match` with that ETag and gets 412 VERSION_GONE once the dataset moved on,
so a client never mixes partitions or slices of two datasets. Kids in paths are base64url (or
the literal UNKNOWN_KID); the POINT-mode partition id is the literal `null`. Slices come as a
gzip tar of `{kid}/{partition id}/{chunk}/{sid}` files, one slice alone as its raw bytes.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from station.cache.drl_filters import FilterType, PartitionMode
from sync.hub.drl import KidList, Layout, Partition, Slice, publisher
from sync.hub.messages import Request, Response, json_bytes, signed
from sync.hub.problems import BAD_DATE, BAD_REQUEST, NOT_FOUND, VERSION_GONE, HubProblem
from sync.hub.store import parse_instant, utc_iso

GZIP = "application/gzip"
OCTETS = "application/octet-stream"
FILTER_TYPE_HEADER = "X-SLICE-FILTER-TYPE"
MAX_SELECTION = 10_000
SLICE_FORMAT_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class _Pinned:
    """A follow-up request checked against the dataset: its layout, filter type and kid."""

    layout: Layout
    filter_type: FilterType
    kid: KidList

    def partition(self, path_id: str) -> Partition:
        found = self.kid.partitions.get(path_id.lower())
        if found is None:
            raise HubProblem(404, NOT_FOUND, "no such partition", path_id)
        return found


def lists(request: Request) -> Response:
    layout = publisher(request.hub).layout()
    if _matches(request.header("If-None-Match"), layout, any_ok=True):
        return Response(304, b"", None, (("ETag", layout.etag),))
    body = [_list_json(kid) for kid in layout.lists.values()]
    return _signed_json(request, body).with_header("ETag", layout.etag)


def partitions(request: Request) -> Response:
    pinned = _pin(request)
    since = _modified_since(request)
    shown = [
        _partition_json(request, pinned, partition)
        for partition in pinned.kid.partitions.values()
        if since is None or partition.last_updated > since
    ]
    return _signed_json(request, shown)


def partition(request: Request) -> Response:
    pinned = _pin(request)
    found = pinned.partition(request.params["id"])
    return _signed_json(request, _partition_json(request, pinned, found))


def _signed_json(request: Request, value: Any) -> Response:
    """JSON with `X-SIGNATURE` by the hub's key: the lists and partitions name every slice by
    its hash, so signing them covers the slices too, beyond what TLS alone guarantees."""
    return signed(json_bytes(value), request.hub.signing_key())


def partition_slices(request: Request) -> Response:
    """POST: the slices of the chunks named in the body (all chunks without a body)."""
    pinned = _pin(request)
    found = pinned.partition(request.params["id"])
    built = _slices(request, pinned, found)
    wanted = _selection(request.body, {chunk for chunk, _when in built}, "chunk")
    chosen = [(chunk, piece) for (chunk, _when), piece in built.items() if chunk in wanted]
    return _archive(pinned.kid, found, chosen)


def chunk_slices(request: Request) -> Response:
    """GET: every slice of one chunk; POST: those whose hashes the body names."""
    pinned = _pin(request)
    found = pinned.partition(request.params["id"])
    chunk = request.params["cid"].lower()
    mine = [(c, piece) for (c, _w), piece in _slices(request, pinned, found).items() if c == chunk]
    if not mine:
        raise HubProblem(404, NOT_FOUND, "no such chunk", chunk)
    if request.method == "POST":
        wanted = _selection(request.body, {piece.sid for _c, piece in mine}, "slice")
        mine = [(c, piece) for c, piece in mine if piece.sid in wanted]
    return _archive(pinned.kid, found, mine)


def slice_body(request: Request) -> Response:
    """GET: one slice's bytes."""
    pinned = _pin(request)
    found = pinned.partition(request.params["id"])
    chunk, sid = request.params["cid"].lower(), request.params["sid"].lower()
    for (c, _when), piece in _slices(request, pinned, found).items():
        if c == chunk and piece.sid == sid:
            return Response(200, piece.data, OCTETS)
    raise HubProblem(404, NOT_FOUND, "no such slice", sid)


def _pin(request: Request) -> _Pinned:
    """The current dataset if `If-Match` names it (else 400/412), the filter type and the kid."""
    layout = publisher(request.hub).layout()
    if request.header("If-Match") is None:
        raise HubProblem(400, BAD_REQUEST, "send If-Match with the ETag from /drl/lists")
    if not _matches(request.header("If-Match"), layout, any_ok=False):
        raise HubProblem(
            412, VERSION_GONE, "the revocation dataset changed; start again from /drl/lists"
        )
    raw = request.header(FILTER_TYPE_HEADER)
    try:
        filter_type = FilterType(raw.strip().upper()) if raw else _default_filter(request)
    except ValueError:
        raise HubProblem(400, BAD_REQUEST, f"unknown {FILTER_TYPE_HEADER}", raw or "") from None
    spelled = request.params["kid"].replace("+", "-").replace("/", "_").rstrip("=")
    kid = layout.lists.get(spelled)
    if kid is None:
        raise HubProblem(404, NOT_FOUND, "no list for that kid", request.params["kid"])
    return _Pinned(layout, filter_type, kid)


def _default_filter(request: Request) -> FilterType:
    return publisher(request.hub).settings.default_filter


def _matches(header: str | None, layout: Layout, *, any_ok: bool) -> bool:
    """Whether an If-Match / If-None-Match value names the dataset (quotes and W/ optional)."""
    if header is None:
        return False
    for tag in header.split(","):
        text = tag.strip().removeprefix("W/").strip('"')
        if text == str(layout.version) or (any_ok and text == "*"):
            return True
    return False


def _modified_since(request: Request) -> datetime | None:
    raw = request.header("If-Modified-Since")
    if raw is None or not raw.strip():
        return None
    try:
        return parse_instant(raw)
    except ValueError:
        raise HubProblem(400, BAD_DATE, "If-Modified-Since is not an ISO 8601 date", raw) from None


def _slices(
    request: Request, pinned: _Pinned, found: Partition
) -> dict[tuple[str, datetime], Slice]:
    return dict(publisher(request.hub).slices(pinned.layout, pinned.filter_type, pinned.kid, found))


def _partition_json(request: Request, pinned: _Pinned, found: Partition) -> dict[str, Any]:
    built = _slices(request, pinned, found)
    return _partition_document(pinned.kid, found, pinned.filter_type, built)


def _partition_document(
    kid: KidList,
    partition: Partition,
    filter_type: FilterType,
    slices: Mapping[tuple[str, datetime], Slice],
) -> dict[str, Any]:
    """A partition as `GET .../partitions` describes it, slice hashes included."""
    chunks: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for (chunk, when), built in slices.items():
        chunks[chunk][utc_iso(when)] = {
            "type": str(filter_type),
            "version": SLICE_FORMAT_VERSION,
            "hash": built.sid,
        }
    return {
        "kid": kid.kid,
        "id": None if kid.mode is PartitionMode.POINT else partition.path_id,
        "x": partition.x,
        "y": partition.y,
        "lastUpdated": instant_ms(partition.last_updated),
        "expired": utc_iso(partition.expired),
        "chunks": dict(chunks),
    }


def _selection(body: bytes, known: set[str], what: str) -> set[str]:
    """The ids a POST body names (a JSON array of strings); all of `known` without a body."""
    if not body.strip():
        return known
    try:
        chosen = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise HubProblem(400, BAD_REQUEST, f"the body must be a JSON array of {what} ids") from None
    valid = isinstance(chosen, list) and all(isinstance(item, str) for item in chosen)
    if not valid or len(chosen) > MAX_SELECTION:
        raise HubProblem(400, BAD_REQUEST, f"the body must be a JSON array of {what} ids")
    wanted = {item.lower() for item in chosen}
    unknown = sorted(wanted - known)
    if unknown:
        raise HubProblem(404, NOT_FOUND, f"no such {what}", unknown[0])
    return wanted


def _archive(kid: KidList, found: Partition, slices: Iterable[tuple[str, Slice]]) -> Response:
    """A gzip tar of slices named `{kid}/{partition id}/{chunk}/{sid}` (byte-stable)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for chunk, piece in slices:
            info = tarfile.TarInfo(f"{kid.path}/{found.path_id}/{chunk}/{piece.sid}")
            info.size, info.mode, info.mtime = len(piece.data), 0o644, 0
            archive.addfile(info, io.BytesIO(piece.data))
    body = gzip.compress(buffer.getvalue(), compresslevel=6, mtime=0)
    return Response(200, body, GZIP)


def _list_json(kid: KidList) -> dict[str, Any]:
    return {
        "kid": kid.kid,
        "mode": str(kid.mode),
        "hashTypes": [kind.name for kind in kid.hash_types],
        "expires": utc_iso(kid.expires),
        "lastUpdated": instant_ms(kid.last_updated),
    }


def instant_ms(moment: datetime) -> str:
    """`lastUpdated` as written on the wire: ISO 8601 UTC with milliseconds."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.")
    return text + f"{moment.microsecond // 1000:03d}Z"
