"""The identity block of every credential family, taken from real verdicts on real passes;
and the authority's public key file the log seals to."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase, open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.entrylog.identity import identity_block
from station.entrylog.sealing import SealingKey, generate_authority_key
from station.entrylog.sealing_key_file import load_sealing_key, save_sealing_key, sealing_key_path
from station.errors import ConfigError
from station.issuer import ddcc, divoc, nzcp, shc, vds, vn_qr
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier

pytest_plugins = ["entrylog_fixtures"]


@pytest.fixture()
def bare_verifier(now: datetime) -> Verifier:
    """A verifier trusting nobody: families still decode and name the holder."""
    return Verifier(TrustIndex([]), FixedClock(now))


@pytest.fixture()
def shc_world(tmp_path: Path) -> Iterator[tuple[shc.ShcIssuer, CacheDatabase]]:
    issuer = shc.make_shc_issuer()
    with open_cache(tmp_path / "cache.sqlite") as cache:
        IssuerKeyCache(cache).import_keys("shc", issuer.iss, issuer.jwks()["keys"])
        yield issuer, cache


def test_dcc_block_is_name_birth_date_and_uvci(dcc_result):
    block = identity_block(dcc_result(family="Lê", given="Thu Hà", dob="1972-09-30"))
    assert block == {
        "name": "Lê, Thu Hà",
        "date_of_birth": "1972-09-30",
        "credential_id": "URN:UVCI:01:VN:TEST0000000000000001#4",
    }


def test_shc_block_carries_the_rid(shc_world, now):
    issuer, cache = shc_world
    verifier = Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now))
    bundle = shc.vaccination_bundle()
    text = shc.issue_shc(issuer, bundle, nbf=now - timedelta(days=1), rid="Rk9PQkFS")
    block = identity_block(verifier.verify(text))
    assert block is not None and block["credential_id"] == "Rk9PQkFS" and block["name"]


def test_nzcp_block_carries_the_credential_id(bare_verifier, now):
    text = nzcp.issue_nzcp(
        nzcp.new_issuer(), not_before=now - timedelta(days=1), expires=now + timedelta(days=9)
    )
    result = bare_verifier.verify(text)
    block = identity_block(result)
    assert block is not None and block["credential_id"].startswith("urn:uuid:")
    assert block["credential_id"] == result.details["credential_id"]


def test_divoc_vds_and_ddcc_blocks(bare_verifier, now, es256_signer):
    credential = divoc.vaccination_credential(issued_at=now, certificate_id="998877665544")
    texts = {
        "998877665544": divoc.issue_divoc(divoc.new_issuer(), credential, now),
        "VNM000000001": vds.issue_vds(
            vds.make_barcode_signer(vds.make_country_authority()), vds.vaccination_message()
        ),
        "VN-DDCC-42": ddcc.issue_ddcc(
            es256_signer,
            ddcc.core_data_set(hcid="VN-DDCC-42"),
            issued_at=now - timedelta(days=1),
            expires=now + timedelta(days=9),
            subclaim=3,
        ),
    }
    for expected, text in texts.items():
        block = identity_block(bare_verifier.verify(text))
        assert block is not None and block["credential_id"] == expected
        assert block["date_of_birth"] == "1990-05-17"


def test_a_national_qr_seals_name_and_birth_date_but_never_the_id_number(bare_verifier):
    person = vn_qr.make_person(random.Random(5))
    block = identity_block(bare_verifier.verify(vn_qr.pccovid_text(person)))
    assert block is not None and block["credential_id"] == ""
    assert block["date_of_birth"] == person.birth_date.isoformat()
    assert person.id_number not in json.dumps(block)


def test_text_that_is_no_credential_names_nobody(bare_verifier):
    assert identity_block(bare_verifier.verify("hello, this is not a pass")) is None


def test_sealing_key_file_round_trip(tmp_path):
    key = SealingKey(generate_authority_key().public_key())
    assert load_sealing_key(tmp_path) is None
    path = save_sealing_key(tmp_path, key, 3)
    assert path == sealing_key_path(tmp_path)
    saved = json.loads(path.read_text())
    assert saved["version"] == 3 and saved["key_id"] == key.id.hex() and "=" not in saved["key"]
    loaded = load_sealing_key(tmp_path)
    assert loaded is not None and loaded.raw() == key.raw()
    other = SealingKey(generate_authority_key().public_key())
    save_sealing_key(tmp_path, other, 4)  # replaces atomically
    replaced = load_sealing_key(tmp_path)
    assert replaced is not None and replaced.raw() == other.raw()
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"key": "AAAA", "key_id": "00", "version": 1}',
        '{"key": "%s", "key_id": "0011223344556677", "version": 1}' % ("A" * 43),
        '{"key": "%s", "key_id": "%s"}',
    ],
)
def test_an_unusable_sealing_key_file_is_a_configuration_error(tmp_path, content):
    key = SealingKey(generate_authority_key().public_key())
    if content.count("%s") == 2:
        path = save_sealing_key(tmp_path, key, 1)
        saved = json.loads(path.read_text())
        content = content % (saved["key"], saved["key_id"])
    sealing_key_path(tmp_path).write_text(content)
    with pytest.raises(ConfigError):
        load_sealing_key(tmp_path)
