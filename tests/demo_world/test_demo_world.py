"""The demo world through a real station: hub on 127.0.0.1, enrollment, sync, QR pixels, verdicts.

Every credential the demo shows is rendered as a PNG, read back from the pixels with the
station's reader, and verified by the verifier the app builds over its synced cache; each must
get the verdict (and the reason) its label promises.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.adapters.clock import SystemClock
from station.cache.database import open_cache
from station.cli.verifier_options import build_verifier
from station.issuer.demo_world import DemoWorld, build_demo_world
from station.issuer.pki import make_signer
from station.paths import cache_db_path
from station.reasons import Status
from station.scan import read_codes
from station.scan.strategy import STILL_BUDGET_S
from station.settings import load_settings, save_settings, with_setting
from station.verify.verifier import Verifier
from sync.context import SyncContext
from sync.enrollment import enroll, save_enrollment
from sync.hub import Hub, HubConfig, HubServer
from sync.hub.demo_population import populate_hub
from sync.runner import sync_sources

#: The cheapest status-list KDF a station accepts (station.cache.status_key minimums).
FAST = HubConfig(kdf_memory_kib=8192, kdf_iterations=1)
SIGNED_FAMILIES = ("dcc", "ddcc", "shc", "nzcp", "vds", "divoc", "vn_pccovid", "vn_cccd")


@dataclass
class SyncedStation:
    world: DemoWorld
    hub: Hub
    verifier: Verifier


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncedStation]:
    """A hub holding the demo world, and a station enrolled there that synced every source."""
    folder = tmp_path_factory.mktemp("demo-world")
    world = build_demo_world()
    hub = Hub(folder / "hub.sqlite", FAST)
    server = HubServer(hub).start()
    try:
        populate_hub(hub, world)
        base = folder / "station"
        settings = load_settings(base)
        for key, value in world.station_settings:
            settings = with_setting(settings, key, value)
        save_settings(base, settings)
        _enroll_and_sync(server.url, hub, base)
        verifier = build_verifier(
            argparse.Namespace(at=None, trust_cert=[], profile=None, data_dir=str(base))
        )
        yield SyncedStation(world, hub, verifier)
        verifier.trust.signers.cache.close()  # type: ignore[attr-defined]
    finally:
        server.stop()
        hub.close()


def _enroll_and_sync(url: str, hub: Hub, base: Path) -> None:
    enrollment = enroll(url, hub.create_enrollment_code(), hub.key_fingerprint(), now=_now())
    save_enrollment(enrollment, base)
    client = enrollment.client()
    with open_cache(cache_db_path(base)) as cache:
        context = SyncContext(client, cache, enrollment.pinned_keys(), SystemClock())
        failed = [outcome.summary() for outcome in sync_sources(context) if not outcome.ok]
    client.close()
    assert not failed, failed


def _now() -> datetime:
    return datetime.now(UTC)


def _scanned(png: bytes) -> list[str]:
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    return read_codes(image, budget_s=STILL_BUDGET_S)


def test_every_credential_gets_its_verdict_from_pixels_at_a_synced_station(station):
    wrong = []
    for credential in station.world.credentials:
        texts = _scanned(credential.png())
        assert texts == [credential.text], f"{credential.label}: read {len(texts)} code(s)"
        result = station.verifier.verify(texts[0])
        codes = {check.code for check in result.failed_checks}
        reason_missing = credential.expected_reason and credential.expected_reason not in codes
        if result.status != credential.expected or reason_missing:
            wrong.append(f"{credential.label}: {result.status} {sorted(codes)}")
    assert not wrong, "\n".join(wrong)


def test_every_family_shows_an_accepted_and_a_refused_credential(station):
    credentials = station.world.credentials
    assert 20 <= len(credentials) <= 26
    verdicts = {(c.family, c.expected == Status.VALID) for c in credentials}
    for family in SIGNED_FAMILIES:
        assert {(family, True), (family, False)} <= verdicts, family
    assert {c.family for c in credentials} == {*SIGNED_FAMILIES, "other"}
    assert {c.expected for c in credentials} == set(Status)
    assert len({c.label for c in credentials}) == len(credentials)
    assert max(len(c.label) for c in credentials) <= 44  # one line of a verdict list


def test_the_show_opens_with_a_valid_eu_pass_and_alternates_families(station):
    credentials = station.world.credentials
    assert (credentials[0].family, credentials[0].expected) == ("dcc", Status.VALID)
    neighbours = zip(credentials, credentials[1:], strict=False)
    assert all(first.family != second.family for first, second in neighbours)
    longest = max(Counter(c.family for c in credentials).values())
    assert longest < len(credentials) / 2


def test_people_labels_and_verdicts_depend_only_on_the_seed():
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    first, again, other = (build_demo_world(now, seed) for seed in (7, 7, 8))

    def script(world: DemoWorld) -> list[tuple[str, str, str, str | None]]:
        return [(c.label, c.family, c.expected, c.expected_reason) for c in world.credentials]

    def national(world: DemoWorld) -> list[str]:
        return [c.text for c in world.credentials if c.family.startswith("vn_")]

    assert script(first) == script(again) == script(other)
    assert national(first) == national(again) != national(other)
    assert [s.id_number for s in first.statuses] == [s.id_number for s in again.statuses]


def test_the_national_qrs_name_vietnamese_holders(station):
    names = [c.text.split("|")[2] for c in station.world.credentials if c.family == "vn_cccd"]
    assert all(len(name.split()) == 3 for name in names)
    assert any(not name.isascii() for name in names)


def test_publishing_again_is_harmless_and_a_foreign_hub_is_refused(station, tmp_path):
    sources = ("trust-list", "issuer-keys", "status-list", "revocations")
    before = [station.hub.version(source) for source in sources]
    populate_hub(station.hub, station.world)
    assert [station.hub.version(source) for source in sources] == before
    with Hub(tmp_path / "hub.sqlite", FAST) as other:
        other.add_dscs([make_signer(common_name="A production signer").der])
        with pytest.raises(ValueError, match="other signer"):
            populate_hub(other, station.world)
        assert len(other.dscs()) == 1
