"""A station syncs "drl" from a real hub on 127.0.0.1: revoked passes (and their malleated
copies) are found, unchanged datasets cost one 304, changes cost only the changed slices, and
412s, tampered or oversized answers never leave a half-applied cache."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from datetime import UTC, datetime

import pytest
from drl_helpers import DrlStation, issue, malleate

from station.cache.drl_filters import FilterType, PartitionMode
from station.cache.sync_state import SyncStateStore
from station.issuer.pki import Signer
from station.verify.revocation import HashType, revocation_hashes_for_text
from sync.drl_wire import TarLimits, kid_path
from sync.errors import DataInvalid, HttpStatusError, ResponseTooLarge, ServerBusy
from sync.http import HttpResponse
from sync.hub import Hub, HubServer, RevocationEntry
from sync.hub.drl import DrlSettings, configure

pytest_plugins = ["drl_fixtures"]


def _kid_path(signer: Signer) -> str:
    return kid_path(signer.kid)


def test_a_revoked_pass_and_its_malleated_copy_are_found(hub: Hub, station: DrlStation, signer):
    text, other = issue(signer), issue(signer)
    hub.revoke_pass(text)
    result = station.sync()
    assert (result.source, result.version, result.added) == ("drl", 1, station.drl.count())
    assert station.find(text) is HashType.UCI
    assert station.find(malleate(text)) is HashType.UCI  # same UCI; its SIGNATURE hash matches too
    _kid, hashes = revocation_hashes_for_text(malleate(text))
    signature_only = {HashType.SIGNATURE: hashes[HashType.SIGNATURE]}
    assert station.drl.find(signer.kid, signature_only, datetime.now(UTC)) is HashType.SIGNATURE
    assert station.find(other) is None
    state = SyncStateStore(station.cache).get("drl")
    assert state is not None and state.etag == '"1"' and state.item_count == station.drl.count()


def test_a_second_sync_with_nothing_changed_is_one_304(hub: Hub, station: DrlStation, signer):
    hub.revoke_pass(issue(signer))
    station.sync()
    before = station.cache.content_digest(include_sync_state=False)
    result = station.sync()
    assert result.unchanged and result.version == 1
    assert station.client.calls == [("GET", "drl/lists")]
    assert station.cache.content_digest(include_sync_state=False) == before


def test_after_more_revocations_only_changed_slices_are_fetched(
    hub: Hub, station: DrlStation, signer
):
    passes = [issue(signer) for _ in range(12)]
    for text in passes[:10]:
        hub.revoke_pass(text)
    station.sync()
    held = station.drl.slice_hashes(signer.kid)
    hub.revoke_pass(passes[10])
    result = station.sync()
    now_held = station.drl.slice_hashes(signer.kid)
    changed = {key for key, sid in now_held.items() if held.get(key) != sid}
    assert 1 <= result.added == len(changed) <= 3 and result.removed == 0
    assert len(station.client.slice_calls()) == len({key.chunk for key in changed})
    assert len(station.client.calls) == 2 + len(station.client.slice_calls())
    assert station.find(passes[10]) is HashType.UCI and station.find(passes[11]) is None
    hub.unrevoke_pass(passes[0])
    station.sync()
    assert station.find(passes[0]) is None and station.find(passes[1]) is HashType.UCI


def test_a_dataset_published_mid_sync_restarts_from_the_lists(
    hub: Hub, station: DrlStation, signer
):
    first, second = issue(signer), issue(signer)
    hub.revoke_pass(first)

    def publish_once(method: str, path: str) -> None:
        if path.endswith("/partitions") and station.client.before is not None:
            station.client.before = None
            hub.revoke_pass(second)

    station.client.before = publish_once
    result = station.sync()
    lists_calls = [call for call in station.client.calls if call == ("GET", "drl/lists")]
    assert len(lists_calls) == 2 and result.version == 2
    assert station.find(first) is HashType.UCI and station.find(second) is HashType.UCI


def test_a_dataset_that_keeps_moving_fails_after_one_restart_and_changes_nothing(
    hub: Hub, station: DrlStation, signer
):
    hub.revoke_pass(issue(signer))
    station.sync()
    before = station.cache.content_digest(include_sync_state=False)
    hub.revoke_pass(issue(signer))
    station.client.before = lambda method, path: (
        hub.revoke_pass(issue(signer)) if path.endswith("/partitions") else None
    )
    with pytest.raises(HttpStatusError) as refused:
        station.sync()
    assert refused.value.status == 412
    assert station.cache.content_digest(include_sync_state=False) == before


def test_a_tampered_archive_is_refused_and_the_cache_is_unchanged(
    hub: Hub, server: HubServer, station: DrlStation, signer
):
    hub.revoke_pass(issue(signer))
    station.sync()
    before = station.cache.content_digest(include_sync_state=False)
    texts = []
    for _attempt in range(5):
        # `flip_byte` takes a byte such as 0xB2 ('²') for a digit and the hub answers 500
        # instead of tampering; another dataset gives the archive other bytes.
        texts.append(issue(signer))
        hub.revoke_pass(texts[-1])
        server.faults.add(f"/drl/lists/{_kid_path(signer)}/partitions/null", "tamper", times=1)
        try:
            station.sync()
        except ServerBusy:
            continue
        except DataInvalid as refused:
            assert "slice archive" in refused.detail
            break
        raise AssertionError("a tampered archive was accepted")
    else:
        pytest.fail("the hub never delivered a tampered archive")
    assert station.cache.content_digest(include_sync_state=False) == before
    station.sync()
    assert all(station.find(text) is HashType.UCI for text in texts)


def _flip_in_archive(body: bytes) -> bytes:
    """The same archive with one byte of its first slice changed (names kept, gzip valid)."""
    source = tarfile.open(fileobj=io.BytesIO(gzip.decompress(body)))
    out = io.BytesIO()
    with source, tarfile.open(fileobj=out, mode="w") as target:
        for number, member in enumerate(source):
            data = bytearray(source.extractfile(member).read())  # type: ignore[union-attr]
            if number == 0:
                data[-1] ^= 0x01
            target.addfile(member, io.BytesIO(bytes(data)))
    return gzip.compress(out.getvalue())


def test_a_slice_that_does_not_match_its_hash_is_refused(hub: Hub, station: DrlStation, signer):
    hub.revoke_pass(issue(signer))

    def spoil(method: str, path: str, response: HttpResponse) -> HttpResponse:
        if "/slices" not in path:
            return response
        return HttpResponse(response.status, response.headers, _flip_in_archive(response.body))

    station.client.rewrite = spoil
    with pytest.raises(DataInvalid, match="does not match its hash"):
        station.sync()
    assert station.drl.lists() == {} and station.drl.count() == 0
    assert SyncStateStore(station.cache).get("drl") is None


def test_oversized_answers_and_zip_bombs_are_refused(
    hub: Hub, server: HubServer, station: DrlStation, signer
):
    hub.revoke_pass(issue(signer))
    before = station.cache.content_digest(include_sync_state=False)
    path = f"/drl/lists/{_kid_path(signer)}/partitions/null/slices"
    server.faults.add(path, "oversize", size=64 * 1024 * 1024, times=1)
    with pytest.raises(ResponseTooLarge):
        station.sync()
    bomb = gzip.compress(bytes(8 * 1024 * 1024), compresslevel=9)
    station.client.rewrite = lambda method, path, answer: (
        HttpResponse(answer.status, answer.headers, bomb) if "/slices" in path else answer
    )
    with pytest.raises(ResponseTooLarge, match="unpacks to more than"):
        station.sync(limits=TarLimits(max_total_bytes=4 * 1024 * 1024))
    assert station.cache.content_digest(include_sync_state=False) == before


def test_a_mode_change_wipes_the_kid_and_refetches_it(hub: Hub, station: DrlStation, signer):
    configure(hub, DrlSettings(point_max=3, vector_max=6, probability=1e-6))
    passes = [issue(signer) for _ in range(3)]
    hub.revoke_pass(passes[0])
    station.sync()
    assert station.drl.lists()[signer.kid].mode is PartitionMode.POINT
    hub.revoke_pass(passes[1])
    station.sync()
    assert station.drl.lists()[signer.kid].mode is PartitionMode.VECTOR
    hub.revoke_pass(passes[2])
    station.sync()
    assert station.drl.lists()[signer.kid].mode is PartitionMode.COORDINATE
    assert {key.y for key in station.drl.slice_hashes(signer.kid)} != {""}
    assert all(station.find(text) is HashType.UCI for text in passes)


def test_hash_lists_unknown_kid_entries_and_dropped_kids(hub: Hub, station: DrlStation, signer):
    text, unlisted = issue(signer), issue(signer)
    _kid, hashes = revocation_hashes_for_text(unlisted)
    anywhere = RevocationEntry(None, HashType.SIGNATURE, hashes[HashType.SIGNATURE])
    hub.publish_revocations([anywhere])
    hub.revoke_pass(text)
    station.sync(filter_type=FilterType.VARHASHLIST)
    assert _filter_types(station) == ["VARHASHLIST"]
    assert station.find(text) is HashType.UCI
    assert station.find(unlisted) is HashType.SIGNATURE  # through the UNKNOWN_KID list
    hub.unrevoke_pass(text)
    result = station.sync(filter_type=FilterType.VARHASHLIST)
    assert set(station.drl.lists()) == {b""} and result.removed >= 1
    assert station.find(text) is None


def _filter_types(station: DrlStation) -> list[str]:
    rows = station.cache.conn.execute("SELECT DISTINCT filter_type FROM drl_slices")
    return [row[0] for row in rows]


def test_every_stored_slice_is_the_one_its_hash_names(hub: Hub, station: DrlStation, signer):
    hub.revoke_pass(issue(signer))
    station.sync()
    for sid, data in station.cache.conn.execute("SELECT hash, data FROM drl_slices"):
        assert hashlib.sha256(data).hexdigest() == sid
