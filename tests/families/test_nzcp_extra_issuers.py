"""A station may accept a trial or demo NZ COVID Pass issuer by setting, never by default."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.cli.verifier_options import build_verifier
from station.config import VerifierConfig
from station.errors import ConfigError
from station.issuer.nzcp import issue_nzcp, new_issuer
from station.paths import cache_db_path
from station.settings import StationSettings, load_settings, save_settings, with_setting
from station.verify.nzcp_keys import jwks_from_did_document
from station.verify.verifier import Verifier

TRIAL = "did:web:nzcp.trial.example.vn"


def test_an_extra_issuer_is_accepted_only_when_configured(tmp_path: Path, now: datetime) -> None:
    issuer = new_issuer(TRIAL)
    text = issue_nzcp(issuer, not_before=now - timedelta(days=1), expires=now + timedelta(days=30))
    with open_cache(tmp_path / "cache.sqlite") as cache:
        IssuerKeyCache(cache).import_keys(
            "nzcp", TRIAL, jwks_from_did_document(issuer.did_document())["keys"]
        )
        trust = CachedTrust(cache, FixedClock(now)).sources()
        default = Verifier(trust, FixedClock(now)).verify(text)
        configured = VerifierConfig(nzcp_extra_issuers=frozenset({TRIAL}))
        accepted = Verifier(trust, FixedClock(now), configured).verify(text)
    assert (str(default.status), default.reason) == ("INVALID", "NZCP_ISSUER_UNTRUSTED")
    assert str(accepted.status) == "VALID", accepted.reason


def test_the_setting_reaches_the_verifier_and_bad_dids_are_refused(
    tmp_path: Path, now: datetime
) -> None:
    settings = with_setting(StationSettings(), "nzcp_extra_issuers", f" {TRIAL} ,did:web:b.example")
    save_settings(tmp_path, settings)
    assert load_settings(tmp_path).nzcp_extra_issuers == (TRIAL, "did:web:b.example")
    open_cache(cache_db_path(tmp_path)).close()
    verifier = build_verifier(
        argparse.Namespace(at=None, trust_cert=[], profile=None, data_dir=str(tmp_path))
    )
    assert verifier.config.nzcp_extra_issuers == frozenset({TRIAL, "did:web:b.example"})
    assert with_setting(settings, "nzcp_extra_issuers", "").nzcp_extra_issuers == ()
    for bad in ("https://not.a.did", "did:key:z6Mk", ",".join(["did:web:x"] * 11)):
        with pytest.raises(ConfigError):
            with_setting(settings, "nzcp_extra_issuers", bad)
