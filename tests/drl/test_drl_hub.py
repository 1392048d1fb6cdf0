"""The hub's DRL endpoints over HTTP: ETag, 304 and 412, filter types, partition ids per mode,
archive naming, `lastUpdated` that moves only for what changed, and slices built once."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import tarfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from station.cache.drl_filters import FilterType, parse_bloom, parse_varhash, varhash_contains
from station.verify.revocation import HashType
from sync.hub import Hub, HubServer, RevocationEntry
from sync.hub.drl import DrlSettings, configure, publisher

pytest_plugins = ["drl_fixtures"]

KID = bytes(range(1, 9))
KID_PATH = base64.urlsafe_b64encode(KID).rstrip(b"=").decode()
EXPIRY = datetime.now(UTC) + timedelta(days=90)


class Api:
    """An enrolled station's raw HTTP view of /drl (statuses are the point here)."""

    def __init__(self, url: str, hub: Hub) -> None:
        self.url = url + "/drl/lists"
        code = hub.create_enrollment_code("drl-api")
        answer = requests.post(f"{url}/station/v1/enroll", json={"code": code}, timeout=10)
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["Authorization"] = f"Bearer {answer.json()['token']}"

    def get(self, path: str = "", **headers: str) -> requests.Response:
        return self.session.get(self.url + path, headers=_headers(headers), timeout=10)

    def post(self, path: str, body: Any, **headers: str) -> requests.Response:
        return self.session.post(self.url + path, json=body, headers=_headers(headers), timeout=10)

    def etag(self) -> str:
        return self.get().headers["ETag"]


def _headers(given: dict[str, str]) -> dict[str, str]:
    return {name.replace("_", "-"): value for name, value in given.items()}


@pytest.fixture()
def api(hub: Hub, server: HubServer) -> Iterator[Api]:
    opened = Api(server.url, hub)
    yield opened
    opened.session.close()


def _entries(count: int, kid: bytes | None = KID, start: int = 0) -> list[RevocationEntry]:
    def digest(n: int) -> bytes:
        return hashlib.sha256(n.to_bytes(8, "big")).digest()[:16]

    return [
        RevocationEntry(kid, HashType.UCI, digest(n), EXPIRY) for n in range(start, start + count)
    ]


def _members(body: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(body))) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive}  # type: ignore[union-attr]


def test_lists_need_the_station_token(server: HubServer):
    answer = requests.get(server.url + "/drl/lists", timeout=10)
    assert answer.status_code == 401 and answer.json()["code"] == "NOT_ENROLLED"


def test_lists_carry_the_dataset_etag_and_answer_304_when_it_is_held(hub: Hub, api: Api):
    hub.publish_revocations(_entries(5))
    hub.publish_revocations(_entries(1, kid=None))
    answer = api.get()
    assert answer.status_code == 200 and answer.headers["ETag"] == f'"{hub.version("revocations")}"'
    by_kid = {item["kid"]: item for item in answer.json()}
    assert set(by_kid) == {base64.b64encode(KID).decode(), "UNKNOWN_KID"}
    assert by_kid["UNKNOWN_KID"]["mode"] == "POINT" and by_kid["UNKNOWN_KID"]["hashTypes"] == [
        "UCI"
    ]
    for tag in (answer.headers["ETag"], answer.headers["ETag"].strip('"'), "*"):
        assert api.get(If_None_Match=tag).status_code == 304
    assert api.get(If_None_Match='"0"').status_code == 200


def test_follow_up_calls_need_the_current_etag(hub: Hub, api: Api):
    hub.publish_revocations(_entries(3))
    etag = api.etag()
    assert api.get(f"/{KID_PATH}/partitions").status_code == 400
    assert api.get(f"/{KID_PATH}/partitions", If_Match=etag).status_code == 200
    hub.publish_revocations(_entries(1, start=100))
    stale = api.get(f"/{KID_PATH}/partitions", If_Match=etag)
    assert stale.status_code == 412 and stale.json()["code"] == "VERSION_GONE"
    assert api.post(f"/{KID_PATH}/partitions/null/slices", None, If_Match=etag).status_code == 412


def test_unknown_filter_types_kids_and_partitions_are_refused(hub: Hub, api: Api):
    hub.publish_revocations(_entries(3))
    etag = api.etag()
    odd = api.get(f"/{KID_PATH}/partitions", If_Match=etag, X_SLICE_FILTER_TYPE="CUCKOO")
    assert odd.status_code == 400
    assert api.get("/AAAAAAAAAAA/partitions", If_Match=etag).status_code == 404
    assert api.get(f"/{KID_PATH}/partitions/7", If_Match=etag).status_code == 404
    wrong = api.post(f"/{KID_PATH}/partitions/null/chunks/0/slices", ["f" * 64], If_Match=etag)
    assert wrong.status_code == 404


@pytest.mark.parametrize("filter_type", list(FilterType))
def test_a_point_list_serves_its_slices_as_named_tar_members(hub: Hub, api: Api, filter_type):
    hub.publish_revocations(_entries(40))
    etag = api.etag()
    headers = {"If_Match": etag, "X_SLICE_FILTER_TYPE": str(filter_type)}
    (partition,) = api.get(f"/{KID_PATH}/partitions", **headers).json()
    assert (partition["id"], partition["x"], partition["y"]) == (None, None, None)
    assert partition == api.get(f"/{KID_PATH}/partitions/null", **headers).json()
    members = _members(api.post(f"/{KID_PATH}/partitions/null/slices", None, **headers).content)
    listed = {
        f"{KID_PATH}/null/{cid}/{meta['hash']}": meta["type"]
        for cid, slices in partition["chunks"].items()
        for meta in slices.values()
    }
    assert set(members) == set(listed) and set(listed.values()) == {str(filter_type)}
    for name, data in members.items():
        assert hashlib.sha256(data).hexdigest() == name.rsplit("/", 1)[1]
        parse = parse_bloom if filter_type is FilterType.BLOOMFILTER else parse_varhash
        parse(data)
    name = next(iter(members))
    cid, sid = name.split("/")[2:]
    single = api.get(f"/{KID_PATH}/partitions/null/chunks/{cid}/slices/{sid}", **headers)
    assert single.content == members[name]
    chunk = api.post(f"/{KID_PATH}/partitions/null/chunks/{cid}/slices", [sid], **headers)
    assert set(_members(chunk.content)) == {name}


def test_partition_ids_and_coordinates_follow_the_mode(hub: Hub, api: Api):
    configure(hub, DrlSettings(point_max=4, vector_max=40, probability=1e-6))
    hub.publish_revocations(_entries(30))
    hub.publish_revocations(_entries(50, kid=bytes(8)))
    modes = {item["kid"]: item["mode"] for item in api.get().json()}
    assert sorted(modes.values()) == ["COORDINATE", "VECTOR"]
    etag = api.etag()
    vector = api.get(f"/{KID_PATH}/partitions", If_Match=etag).json()
    assert all(p["id"] == p["x"] and p["y"] is None and len(p["x"]) == 1 for p in vector)
    coordinate = api.get("/AAAAAAAAAAA/partitions", If_Match=etag).json()
    assert all(p["id"] == p["x"] + p["y"] for p in coordinate)
    assert sum(len(s) for p in coordinate for s in p["chunks"].values()) >= 40


def test_varhash_slices_find_their_members(hub: Hub, api: Api):
    entries = _entries(25)
    hub.publish_revocations(entries)
    headers = {"If_Match": api.etag(), "X_SLICE_FILTER_TYPE": "VARHASHLIST"}
    members = _members(api.post(f"/{KID_PATH}/partitions/null/slices", None, **headers).content)
    for entry in entries:
        chunk = entry.hash.hex()[0]
        data = next(d for n, d in members.items() if n.split("/")[2] == chunk)
        assert varhash_contains(data, entry.hash)


def test_last_updated_moves_only_for_the_kid_and_partitions_that_changed(hub: Hub, api: Api):
    other = bytes(8)
    hub.publish_revocations(_entries(20) + _entries(20, kid=other))
    first = {item["kid"]: item["lastUpdated"] for item in api.get().json()}
    etag = api.etag()
    parts = {
        p["id"]: p["lastUpdated"] for p in api.get("/AAAAAAAAAAA/partitions", If_Match=etag).json()
    }
    hub.publish_revocations(_entries(1, start=500))  # one more hash for KID only
    second = {item["kid"]: item["lastUpdated"] for item in api.get().json()}
    other_kid = base64.b64encode(other).decode()
    assert second[other_kid] == first[other_kid]
    mine = base64.b64encode(KID).decode()
    assert second[mine] > first[mine], "a change within the same second still moves it"
    etag = api.etag()
    assert {
        p["id"]: p["lastUpdated"] for p in api.get("/AAAAAAAAAAA/partitions", If_Match=etag).json()
    } == parts
    since = api.get(f"/{KID_PATH}/partitions", If_Match=etag, If_Modified_Since=first[mine])
    assert [p["lastUpdated"] for p in since.json()] == [second[mine]]


def test_slices_are_built_once_per_dataset_and_filter_type(hub: Hub, api: Api):
    hub.publish_revocations(_entries(10))
    etag = api.etag()
    api.get(f"/{KID_PATH}/partitions", If_Match=etag)
    drl = publisher(hub)
    layout = drl.layout()
    kid = layout.lists[KID_PATH]
    partition = kid.partitions["null"]
    built = drl.slices(layout, FilterType.BLOOMFILTER, kid, partition)
    assert drl.slices(layout, FilterType.BLOOMFILTER, kid, partition) is built
    assert drl.layout() is layout
    hub.publish_revocations(_entries(1, start=99))
    assert drl.layout() is not layout


def test_expired_and_removed_entries_are_not_served(hub: Hub, api: Api):
    gone = [RevocationEntry(KID, HashType.UCI, bytes(16), datetime.now(UTC) - timedelta(days=1))]
    hub.publish_revocations(gone + _entries(2))
    (item,) = api.get().json()
    assert item["expires"] == EXPIRY.strftime("%Y-%m-%dT%H:%M:00Z")
    hub.unpublish_revocations(_entries(2))
    assert api.get().json() == []
