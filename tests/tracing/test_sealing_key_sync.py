"""The sealing key reaches the station only through a bundle signed by the pinned hub key."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.adapters.clock import SystemClock
from station.cache.database import open_cache
from station.clock_trust import load_evidence
from station.entrylog.sealing import SealingKey, generate_authority_key
from station.entrylog.sealing_key_file import (
    held_sealing_key_version,
    load_sealing_key,
    save_sealing_key,
)
from sync.bundle import key_id
from sync.context import SyncContext
from sync.errors import DataInvalid, RollbackAttempt, SignatureRejected
from sync.http import BackendClient
from sync.hub import Hub, HubConfig, HubServer
from sync.sealing_key import _key, sync_sealing_key


@pytest.fixture()
def hub(tmp_path: Path) -> Iterator[tuple[Hub, str]]:
    opened = Hub(tmp_path / "hub.sqlite", HubConfig(kdf_memory_kib=8192, kdf_iterations=1))
    server = HubServer(opened).start()
    yield opened, server.url
    server.stop()
    opened.close()


@pytest.fixture()
def context(hub: tuple[Hub, str], tmp_path: Path) -> Iterator[SyncContext]:
    opened, url = hub
    enrolled = opened.enroll(opened.create_enrollment_code("gate"))
    cache = open_cache(tmp_path / "station" / "cache.sqlite")
    pins = {key_id(key): key for key in opened.public_keys()}
    with BackendClient(url, token=enrolled.token) as client:
        yield SyncContext(client, cache, pins, SystemClock(), data_dir=tmp_path / "station")
    cache.close()


def test_no_key_published_leaves_the_station_without_one(context: SyncContext) -> None:
    assert context.data_dir is not None
    result = sync_sealing_key(context, context.data_dir)
    assert (result.version, result.unchanged) == (None, True)
    assert load_sealing_key(context.data_dir) is None


def test_the_published_key_is_kept_and_a_rotation_follows(
    context: SyncContext, hub: tuple[Hub, str]
) -> None:
    assert context.data_dir is not None
    first = SealingKey(generate_authority_key().public_key())
    hub[0].set_sealing_key(first)
    assert sync_sealing_key(context, context.data_dir).version == 1
    assert load_sealing_key(context.data_dir) == first
    assert sync_sealing_key(context, context.data_dir).unchanged
    second = SealingKey(generate_authority_key().public_key())
    hub[0].set_sealing_key(second)
    assert sync_sealing_key(context, context.data_dir).version == 2
    assert load_sealing_key(context.data_dir) == second
    evidence = load_evidence(context.data_dir)
    assert evidence is not None and evidence.agreed  # the signed time confirmed the clock


def test_an_older_key_version_is_refused(context: SyncContext, hub: tuple[Hub, str]) -> None:
    assert context.data_dir is not None
    hub[0].set_sealing_key(SealingKey(generate_authority_key().public_key()))
    newer = SealingKey(generate_authority_key().public_key())
    save_sealing_key(context.data_dir, newer, 7)
    with pytest.raises(RollbackAttempt):
        sync_sealing_key(context, context.data_dir)
    assert load_sealing_key(context.data_dir) == newer
    assert held_sealing_key_version(context.data_dir) == 7


def test_a_tampered_bundle_changes_nothing(context: SyncContext, hub: tuple[Hub, str]) -> None:
    assert context.data_dir is not None
    hub[0].set_sealing_key(SealingKey(generate_authority_key().public_key()))
    hub[0].faults.add("/station/v1/bundles/sealing-key", "tamper")
    with pytest.raises((SignatureRejected, DataInvalid)):
        sync_sealing_key(context, context.data_dir)
    assert load_sealing_key(context.data_dir) is None


def test_a_key_that_does_not_match_its_id_is_refused() -> None:
    key = SealingKey(generate_authority_key().public_key())
    encoded = base64.urlsafe_b64encode(key.raw()).rstrip(b"=").decode()
    assert _key(encoded, key.id.hex()) == key
    for bad_key, bad_id in ((encoded, "00" * 8), ("AAAA", key.id.hex()), (None, key.id.hex())):
        with pytest.raises(DataInvalid):
            _key(bad_key, bad_id)
