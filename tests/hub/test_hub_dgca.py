"""The DGCA verifier-service and business-rule-service endpoints, as a DGCA client uses them."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from station.trust.certificate import compute_kid
from sync.bundle import key_id, load_public_key, verify_hash_string
from sync.errors import SignatureRejected

pytest_plugins = ["hub_fixtures"]

RULE = """{
  "Identifier": "VR-VN-0001",
  "Type": "Acceptance",
  "Country": "VN",
  "Version": "1.0.0",
  "SchemaVersion": "1.0.0",
  "Engine": "CERTLOGIC",
  "EngineVersion": "0.7.5",
  "CertificateType": "Vaccination",
  "Description": [{"lang": "vi", "desc": "Đủ liều"}],
  "ValidFrom": "2021-07-01T00:00:00Z",
  "ValidTo": "2030-06-01T00:00:00Z",
  "AffectedFields": ["v.0.dn"],
  "Logic":   {"var": "payload.v.0.dn"}
}
""".encode()
VALUESET = b'{"valueSetId": "disease-agent-targeted",  "valueSetDate": "2021-04-27",\n'
VALUESET += b' "valueSetValues": {"840539006": {"display": "COVID-19", "active": true}}}'


def _kid(der: bytes) -> str:
    return base64.b64encode(compute_kid(der)).decode()


def _walk_updates(client, token: int | None = None) -> list[tuple[int, str, bytes]]:
    """The DGCA client loop: follow X-RESUME-TOKEN until 204."""
    seen = []
    while True:
        headers = {} if token is None else {"X-RESUME-TOKEN": str(token)}
        answer = client.get("/signercertificateUpdate", headers=headers)
        if answer.status_code == 204:
            assert answer.content == b""
            return seen
        assert answer.status_code == 200
        assert answer.headers["Content-Type"].startswith("text/plain")
        token = int(answer.headers["X-RESUME-TOKEN"])
        seen.append((token, answer.headers["X-KID"], base64.b64decode(answer.text)))


def test_update_loop_pages_every_signer_with_its_recomputed_kid(hub, client, signers):
    hub.add_dscs([s.der for s in signers[:3]])
    status = client.get("/signercertificateStatus").json()
    seen = _walk_updates(client)
    assert [der for _t, _k, der in seen] == [s.der for s in signers[:3]]
    assert [kid for _t, kid, _d in seen] == [_kid(der) for _t, _k, der in seen] == status
    tokens = [token for token, _k, _d in seen]
    assert tokens == sorted(tokens) and len(set(tokens)) == 3


def test_removal_is_soft_and_a_readded_signer_gets_a_new_id(hub, client, signers):
    hub.add_dscs([s.der for s in signers[:3]])
    first = _walk_updates(client)
    assert hub.remove_dsc(_kid(signers[1].der)) == 1
    assert client.get("/signercertificateStatus").json() == [
        _kid(signers[0].der),
        _kid(signers[2].der),
    ]
    delta = client.get("/signercertificateStatus/delta").json()
    assert delta == {
        "updated": [_kid(s.der) for s in (signers[0], signers[2])],
        "deleted": [_kid(signers[1].der)],
    }
    assert hub.add_dscs([signers[1].der]) == 1
    resumed = _walk_updates(client, token=first[-1][0])
    assert [der for _t, _k, der in resumed] == [signers[1].der]
    assert resumed[0][0] > first[-1][0]
    assert client.get("/signercertificateStatus/delta").json()["deleted"] == []


def test_delta_honours_if_modified_since(hub, client, signers):
    hub.add_dscs([signers[0].der])
    future = client.get(
        "/signercertificateStatus/delta", headers={"If-Modified-Since": "2999-01-01T00:00:00Z"}
    )
    assert future.json() == {"updated": [], "deleted": []}
    rfc1123 = client.get(
        "/signercertificateStatus/delta",
        headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
    )
    assert rfc1123.json()["updated"] == [_kid(signers[0].der)]
    bad = client.get("/signercertificateStatus/delta", headers={"If-Modified-Since": "yesterday"})
    assert (bad.status_code, bad.json()["code"]) == (400, "BAD_DATE")


def test_bad_resume_token_and_kid_lookup(hub, client, signers):
    hub.add_dscs([s.der for s in signers[:2]])
    bad = client.get("/signercertificateUpdate", headers={"X-RESUME-TOKEN": "-1"})
    assert (bad.status_code, bad.json()["code"]) == (400, "BAD_RESUME_TOKEN")
    found = client.post("/signercertificateUpdate", json=[_kid(signers[1].der), "AAAAAAAAAAA="])
    assert found.json() == {
        "DE": [{"kid": _kid(signers[1].der), "rawData": base64.b64encode(signers[1].der).decode()}]
    }
    assert client.post("/signercertificateUpdate", json={"kid": 1}).status_code == 400


def test_rules_are_served_byte_exact_with_their_hash_and_signature(hub, client):
    hub.add_rule(RULE)
    digest = hashlib.sha256(RULE).hexdigest()
    listing = client.get("/rules")
    verify_hash_string(client.pins, listing.content, listing.headers["X-SIGNATURE"])
    expected = [{"identifier": "VR-VN-0001", "version": "1.0.0", "country": "VN", "hash": digest}]
    assert listing.json() == expected
    assert client.get("/rules/vn").json() == expected
    assert client.get("/rules/DE").json() == []
    body = client.get(f"/rules/vn/{digest}")
    assert body.content == RULE and hashlib.sha256(body.content).hexdigest() == digest
    verify_hash_string(client.pins, body.content, body.headers["X-SIGNATURE"])
    with pytest.raises(SignatureRejected):
        verify_hash_string(client.pins, body.content + b" ", body.headers["X-SIGNATURE"])
    missing = client.get(f"/rules/VN/{'0' * 64}")
    assert (missing.status_code, missing.json()["code"]) == (404, "RULE_NOT_FOUND")


@pytest.mark.parametrize("country", ["V1", "VNM", "%20"])
def test_a_bad_country_code_is_a_400(client, country):
    answer = client.get(f"/rules/{country}")
    assert (answer.status_code, answer.json()["code"]) == (400, "BAD_COUNTRY")


def test_rule_versions_and_removal(hub, client):
    hub.add_rule(RULE)
    assert hub.version("rules") == 1
    hub.add_rule(RULE)
    assert hub.version("rules") == 1
    second = RULE.replace(b'"1.0.0",\n  "SchemaVersion"', b'"1.0.1",\n  "SchemaVersion"')
    hub.add_rule(second)
    assert [r["version"] for r in client.get("/rules").json()] == ["1.0.0", "1.0.1"]
    assert hub.remove_rule("VR-VN-0001") == 2
    assert client.get("/rules").json() == [] and hub.version("rules") == 3
    with pytest.raises(ValueError):
        hub.add_rule(b'{"Identifier": "x"}')


def test_value_sets_are_listed_and_served_byte_exact(hub, client):
    digest = hub.add_valueset(VALUESET)
    listing = client.get("/valuesets")
    assert listing.json() == [{"id": "disease-agent-targeted", "hash": digest}]
    verify_hash_string(client.pins, listing.content, listing.headers["X-SIGNATURE"])
    body = client.get(f"/valuesets/{digest}")
    assert body.content == VALUESET
    verify_hash_string(client.pins, body.content, body.headers["X-SIGNATURE"])
    assert client.get(f"/valuesets/{'f' * 64}").json()["code"] == "VALUESET_NOT_FOUND"


def test_country_list_and_public_key(hub, client, signers):
    hub.add_dscs([signers[1].der, signers[2].der])
    hub.add_rule(RULE)
    countries = client.get("/countrylist")
    assert countries.json() == ["DE", "FR", "VN"]
    published = client.get("/publickey")
    key = load_public_key(base64.b64decode(published.text))
    assert key_id(key) in client.pins
    verify_hash_string({"k": key}, countries.content, countries.headers["X-SIGNATURE"])


def test_context_points_at_this_hub(client, anonymous):
    context = anonymous.get(client.url + "/context", timeout=10).json()
    endpoints = context["versions"]["default"]["endpoints"]
    assert set(endpoints) == {"status", "update", "rules", "valuesets", "countryList"}
    assert endpoints["status"]["url"] == client.url + "/signercertificateStatus"
    assert endpoints["status"]["pubKeys"] == []
    assert client.get(endpoints["rules"]["url"].removeprefix(client.url)).json() == []
    assert json.loads(anonymous.get(client.url + "/context", timeout=10).content)["origin"] == "VN"
