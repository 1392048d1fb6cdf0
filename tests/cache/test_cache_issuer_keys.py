"""Issuer keys of the non-EU families: public only, by issuer and kid, with rid revocations."""

from __future__ import annotations

import json

import pytest

from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cli.main import main

ISS = "https://spec.smarthealth.cards/examples/issuer"
KEY = {"kty": "EC", "crv": "P-256", "kid": "3Kfdg", "x": "11", "y": "22", "use": "sig"}


@pytest.fixture
def keys(tmp_path):
    cache = open_cache(tmp_path / "cache.sqlite")
    yield IssuerKeyCache(cache)
    cache.close()


def test_keys_are_found_by_family_issuer_and_kid(keys):
    assert keys.import_keys("shc", ISS, [KEY, dict(KEY, kid="other")]) == 2
    assert keys.keys_for("shc", ISS, "3Kfdg") == [KEY]
    assert keys.keys_for("nzcp", ISS, "3Kfdg") == []
    assert keys.keys_for("shc", ISS + "/", "3Kfdg") == []
    assert keys.issuers("shc") == [ISS]
    assert keys.remove_issuer("shc", ISS) == 2 and keys.issuers("shc") == []


@pytest.mark.parametrize(
    "bad",
    [dict(KEY, d="secret"), {k: v for k, v in KEY.items() if k != "kid"}, ["not", "a", "key"]],
)
def test_private_or_unnamed_keys_are_refused_and_nothing_is_written(keys, bad):
    with pytest.raises(ValueError):
        keys.import_keys("shc", ISS, [KEY, bad])
    assert keys.keys_for("shc", ISS, "3Kfdg") == []


def test_rid_revocation_with_and_without_a_cutoff(keys):
    keys.add_revocations("shc", ISS, "3Kfdg", [("all", None), ("before", 1_700_000_000)])
    assert keys.is_revoked("shc", ISS, "3Kfdg", "all", 1_800_000_000)
    assert keys.is_revoked("shc", ISS, "3Kfdg", "before", 1_600_000_000)
    assert not keys.is_revoked("shc", ISS, "3Kfdg", "before", 1_700_000_000)
    assert not keys.is_revoked("shc", ISS, "3Kfdg", "unknown", 0)
    assert not keys.is_revoked("shc", ISS, "other-kid", "all", 0)


def test_import_keys_from_the_command_line(tmp_path, capsys):
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [KEY]}))
    base = ["--data-dir", str(tmp_path / "station"), "trust"]
    assert main([*base, "import-keys", "--family", "shc", "--issuer", ISS, str(jwks)]) == 0
    assert main([*base, "keys", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert [(r["family"], r["issuer"], r["kid"]) for r in rows] == [("shc", ISS, "3Kfdg")]
    jwks.write_text(json.dumps({"keys": [dict(KEY, d="x")]}))
    assert main([*base, "import-keys", "--family", "shc", "--issuer", ISS, str(jwks)]) == 2
    assert "private members" in capsys.readouterr().err
