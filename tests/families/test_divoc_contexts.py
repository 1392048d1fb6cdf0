"""The vendored JSON-LD contexts and the offline document loader: pinned, copied, never fetched.

A context decides what a linked-data signature covers, so the station serves its own pinned
copies and refuses every other URL; these tests also make sure pyld's network loader (requests)
is never reached during a verification.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from divoc_helpers import signed, text_of
from pyld import jsonld

from station.errors import ConfigError, Reject
from station.reasons import Reason, Status
from station.verify import divoc_canon
from station.verify.divoc_contexts import (
    CONTEXT_DIR,
    CREDENTIALS_V1,
    ContextNotVendored,
    check_contexts,
    load_contexts,
    load_vendored,
    vendored_contexts,
)

pytest_plugins = ["divoc_fixtures"]

EXPECTED_URLS = {
    "https://www.w3.org/2018/credentials/v1",
    "https://w3id.org/security/v1",
    "https://w3id.org/security/v2",
    "https://cowin.gov.in/credentials/vaccination/v1",
    "https://cowin.gov.in/credentials/vaccination/v2",
    "https://divoc.lgcc.gov.lk/credentials/vaccination/v1",
    "https://divoc.prod/vaccine/credentials/vaccination/v1",
    "https://www.pedulilindungi.id/credentials/vaccination/v2",
}


def test_the_station_holds_exactly_the_documented_contexts():
    held = vendored_contexts()
    assert set(held) == EXPECTED_URLS
    assert {url for url, c in held.items() if c.use == "proof"} == {
        "https://w3id.org/security/v1",
        "https://w3id.org/security/v2",
    }
    readme = resources.files("station").joinpath(CONTEXT_DIR, "README.md").read_text("utf-8")
    assert all(f"`{url}`" in readme for url in EXPECTED_URLS)


@pytest.mark.parametrize(
    "url",
    [
        "https://divoc.dev/credentials/vaccination/v1",
        "https://www.w3.org/2018/credentials/v2",
        "http://www.w3.org/2018/credentials/v1",
        "https://w3id.org/security/v1/",
        "file:///etc/passwd",
    ],
)
def test_the_loader_refuses_every_other_url(url):
    with pytest.raises(ContextNotVendored) as caught:
        load_vendored(url)
    assert caught.value.url == url


def test_the_loader_hands_out_copies():
    first = load_vendored(CREDENTIALS_V1)
    first["document"]["@context"]["id"] = "@type"
    assert load_vendored(CREDENTIALS_V1)["document"]["@context"]["id"] == "@id"


def test_a_context_file_changed_on_disk_stops_the_station(tmp_path: Path):
    folder = resources.files("station").joinpath(CONTEXT_DIR)
    copy = tmp_path / "jsonld"
    shutil.copytree(str(folder), copy)
    assert set(load_contexts(copy)) == EXPECTED_URLS
    target = copy / "cowin-vaccination-v2.jsonld"
    target.write_text(target.read_text().replace('"schema:name"', '"schema:givenName"', 1))
    with pytest.raises(ConfigError, match="pinned digest"):
        load_contexts(copy)


def test_a_nested_unknown_context_is_refused_by_the_loader():
    document = {"@context": "https://attacker.example/context", "@id": "urn:x", "urn:p": "v"}
    with pytest.raises(Reject) as caught:
        divoc_canon.canonical_nquads(document)
    assert caught.value.reason is Reason.DIVOC_CONTEXT_UNKNOWN


def test_verifying_never_reaches_pyld_s_network_loader(divoc_issuer, divoc_verifier, monkeypatch):
    def no_network(url, options=None):
        raise AssertionError(f"fetched {url}")

    monkeypatch.setattr(jsonld, "_default_document_loader", no_network)
    jsonld._resolved_context_cache.clear()  # force every context through a loader again
    result = divoc_verifier.verify(text_of(signed(divoc_issuer)))
    assert result.status is Status.VALID


def test_strict_canonicalisation_agrees_with_pyld_normalize(divoc_issuer):
    credential = signed(divoc_issuer)
    credential.pop("proof")
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": load_vendored,
    }
    strict = divoc_canon.canonical_nquads(credential)
    assert strict == jsonld.normalize(credential, options)
    assert '<https://schema.org/name> "Nguyen Van An"' in strict


@pytest.mark.parametrize(
    "contexts",
    [
        [CREDENTIALS_V1, CREDENTIALS_V1],
        [CREDENTIALS_V1, "https://cowin.gov.in/credentials/vaccination/v1"] * 2,
        [],
        [CREDENTIALS_V1, 7],
    ],
)
def test_context_lists_a_credential_never_has(contexts):
    with pytest.raises(Reject) as caught:
        check_contexts({"@context": contexts})
    assert caught.value.reason is Reason.DIVOC_CONTEXT_UNKNOWN
