"""`station hub fetch-issuer shc`: the hub reads a SMART Health Card issuer's JWKS and CRLs from
a real HTTP server on 127.0.0.1, checks them, and publishes them in its issuer-keys bundle."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hub_helpers import hub_command

from station.adapters.clock import FixedClock, SystemClock
from station.cache.database import open_cache
from station.cache.trust_view import CachedTrust
from station.issuer.shc import ShcIssuer, issue_shc, make_shc_issuer, vaccination_bundle
from station.reasons import Reason, Status
from station.verify.verifier import Verifier
from sync.context import SyncContext
from sync.enrollment import enroll
from sync.hub import Hub, HubServer
from sync.hub.issuers import all_issuers
from sync.jwk import jwk_thumbprint
from sync.runner import sync_sources

Run = Callable[..., tuple[int, str, str]]


class IssuerSite:
    """An issuer's web server: `routes` maps a path to (status, body); anything else is 404."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                status, body = routes.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def publish(self, iss: str, keys: list[dict], crls: dict[str, dict] | None = None) -> None:
        """Serve `{iss}/.well-known/jwks.json` and one CRL per kid (replacing earlier files)."""
        path = iss.removeprefix(self.origin)
        for old in [p for p in self.routes if p.startswith(path + "/.well-known/")]:
            del self.routes[old]
        self.routes[f"{path}/.well-known/jwks.json"] = (200, json.dumps({"keys": keys}).encode())
        for kid, crl in (crls or {}).items():
            self.routes[f"{path}/.well-known/crl/{kid}.json"] = (200, json.dumps(crl).encode())

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture()
def site() -> Iterator[IssuerSite]:
    served = IssuerSite()
    yield served
    served.close()


@pytest.fixture()
def iss(site: IssuerSite) -> str:
    return f"{site.origin}/shc"


@pytest.fixture()
def issuer(iss: str) -> ShcIssuer:
    return make_shc_issuer(iss)


@pytest.fixture()
def hub_db(tmp_path: Path) -> Path:
    return tmp_path / "hub.sqlite"


@pytest.fixture()
def station(hub_db: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `station hub ... --db HUB`: returns (exit code, stdout, stderr)."""
    return hub_command(hub_db, capsys)


def with_crl_version(issuer: ShcIssuer, version: int) -> dict:
    return {**issuer.public_jwk(), "crlVersion": version}


def crl(issuer: ShcIssuer, ctr: int, *rids: str) -> dict:
    return {"kid": issuer.kid, "method": "rid", "ctr": ctr, "rids": list(rids)}


def held(hub_db: Path) -> tuple[int, list[dict]]:
    """The issuer-keys version and the issuers as the hub will publish them."""
    with Hub(hub_db) as hub, hub.read() as conn:
        return hub.version("issuer-keys"), all_issuers(conn)


def test_fetch_publishes_keys_and_crls_once(site, iss, issuer, station, hub_db):
    site.publish(
        iss, [with_crl_version(issuer, 2)], {issuer.kid: crl(issuer, 2, "Rk9P", "QkFS.1700000000")}
    )
    code, out, err = station("fetch-issuer", "shc", iss)
    assert (code, err) == (0, "")
    assert out.strip() == (
        f"{iss}: 1 key(s), 1 CRL(s) with 2 rid(s) published; issuer-keys version 1"
    )
    version, (published,) = held(hub_db)
    assert version == 1
    assert (published["family"], published["issuer"]) == ("shc", iss)
    assert published["keys"] == [with_crl_version(issuer, 2)]
    assert published["crls"] == [{"kid": issuer.kid, "ctr": 2, "rids": ["Rk9P", "QkFS.1700000000"]}]
    code, out, _ = station("fetch-issuer", "shc", iss)
    assert code == 1 and "unchanged; issuer-keys version 1" in out
    assert held(hub_db)[0] == 1


def test_a_key_without_crl_version_needs_no_crl(site, iss, issuer, station, hub_db):
    site.publish(iss, issuer.jwks()["keys"])
    assert station("fetch-issuer", "shc", iss)[0] == 0
    assert held(hub_db)[1][0]["crls"] == []


def test_upstream_changes_follow_and_a_removed_key_disappears(site, iss, issuer, station, hub_db):
    second = make_shc_issuer(iss)
    site.publish(
        iss, [with_crl_version(issuer, 1), second.public_jwk()], {issuer.kid: crl(issuer, 1)}
    )
    assert station("fetch-issuer", "shc", iss)[0] == 0
    site.publish(iss, [with_crl_version(issuer, 2)], {issuer.kid: crl(issuer, 2, "Rk9P")})
    code, out, _ = station("fetch-issuer", "shc", iss)
    assert code == 0 and "1 key(s), 1 CRL(s) with 1 rid(s) published; issuer-keys version 2" in out
    (published,) = held(hub_db)[1]
    assert [key["kid"] for key in published["keys"]] == [issuer.kid]
    assert published["crls"][0]["rids"] == ["Rk9P"]


def test_a_crl_newer_than_the_jwks_is_accepted(site, iss, issuer, station, hub_db):
    """The CRL may be updated between the two downloads: a ctr above crlVersion is fine."""
    site.publish(iss, [with_crl_version(issuer, 3)], {issuer.kid: crl(issuer, 4, "Rk9P")})
    assert station("fetch-issuer", "shc", iss)[0] == 0
    assert held(hub_db)[1][0]["crls"][0]["ctr"] == 4


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/shc"


def _off_curve(issuer: ShcIssuer) -> dict:
    """A key whose y is not on the curve, named by its own (consistent) thumbprint."""
    jwk = issuer.public_jwk()
    y = ("B" if jwk["y"][0] == "A" else "A") + jwk["y"][1:]
    bad = {"kty": "EC", "crv": "P-256", "x": jwk["x"], "y": y}
    return {**bad, "kid": jwk_thumbprint(bad)}


def serve_keys(site: IssuerSite, iss: str, keys: list[dict]) -> str:
    site.publish(iss, keys)
    return iss


def serve_jwks_raw(site: IssuerSite, iss: str, status: int, body: bytes) -> str:
    site.routes[iss.removeprefix(site.origin) + "/.well-known/jwks.json"] = (status, body)
    return iss


def serve_crl_raw(site: IssuerSite, iss: str, issuer: ShcIssuer, body: bytes) -> str:
    """A key with crlVersion 2, and `body` as its CRL."""
    site.publish(iss, [with_crl_version(issuer, 2)])
    site.routes[f"{iss.removeprefix(site.origin)}/.well-known/crl/{issuer.kid}.json"] = (200, body)
    return iss


def serve_crl(site: IssuerSite, iss: str, issuer: ShcIssuer, document: dict) -> str:
    return serve_crl_raw(site, iss, issuer, json.dumps(document).encode())


Breakage = Callable[[IssuerSite, str, ShcIssuer], str]
#: Each case serves something wrong and returns the iss to fetch, with the expected message.
BREAKAGES: dict[str, tuple[Breakage, str]] = {
    "unreachable": (lambda s, i, k: _closed_port_url(), "network unreachable"),
    "jwks 404": (lambda s, i, k: f"{s.origin}/nobody", "HTTP 404"),
    "jwks 500": (lambda s, i, k: serve_jwks_raw(s, i, 500, b"{}"), "server busy"),
    "jwks oversize": (
        lambda s, i, k: serve_jwks_raw(s, i, 200, b" " * 300_000 + b"{}"),
        "response too large",
    ),
    "jwks not json": (lambda s, i, k: serve_jwks_raw(s, i, 200, b"{keys: [}"), "not JSON"),
    "jwks NaN": (lambda s, i, k: serve_jwks_raw(s, i, 200, b'{"keys": NaN}'), "not JSON"),
    "jwks not an object": (
        lambda s, i, k: serve_jwks_raw(s, i, 200, b"[]"),
        'expected {"keys": [...]}',
    ),
    "jwks empty": (lambda s, i, k: serve_keys(s, i, []), 'expected {"keys": [...]}'),
    "private members": (
        lambda s, i, k: serve_keys(s, i, [{**k.public_jwk(), "d": "AAAA"}]),
        "refused, it holds private members",
    ),
    "bad kid": (
        lambda s, i, k: serve_keys(s, i, [{**k.public_jwk(), "kid": "made-up"}]),
        "the kid is not the key's RFC 7638 thumbprint",
    ),
    "not P-256": (
        lambda s, i, k: serve_keys(s, i, [{**k.public_jwk(), "crv": "P-384"}]),
        "not an ES256 P-256 key",
    ),
    "not ES256": (
        lambda s, i, k: serve_keys(s, i, [{**k.public_jwk(), "alg": "ES384"}]),
        "not an ES256 P-256 key",
    ),
    "off the curve": (
        lambda s, i, k: serve_keys(s, i, [_off_curve(k)]),
        "not a valid P-256 public key",
    ),
    "duplicate kid": (
        lambda s, i, k: serve_keys(s, i, [k.public_jwk(), k.public_jwk()]),
        "the same kid appears twice",
    ),
    "crlVersion not a number": (
        lambda s, i, k: serve_keys(s, i, [{**k.public_jwk(), "crlVersion": "2"}]),
        "crlVersion is not a positive integer",
    ),
    "crl missing": (lambda s, i, k: serve_keys(s, i, [with_crl_version(k, 1)]), "HTTP 404"),
    "crl for another kid": (
        lambda s, i, k: serve_crl(s, i, k, {**crl(k, 2), "kid": "other"}),
        "the CRL is for another kid",
    ),
    "crl method": (
        lambda s, i, k: serve_crl(s, i, k, {**crl(k, 2), "method": "hash"}),
        "unknown CRL method 'hash'",
    ),
    "crl older than key": (
        lambda s, i, k: serve_crl(s, i, k, crl(k, 1, "Rk9P")),
        "ctr 1 is older than the key's crlVersion",
    ),
    "crl ctr not a number": (
        lambda s, i, k: serve_crl(s, i, k, {**crl(k, 2), "ctr": "2"}),
        "ctr is not a non-negative integer",
    ),
    "rid too long": (lambda s, i, k: serve_crl(s, i, k, crl(k, 2, "A" * 25)), "a rid is not"),
    "rid alphabet": (lambda s, i, k: serve_crl(s, i, k, crl(k, 2, "Rk9P+/==")), "a rid is not"),
    "crl not json": (lambda s, i, k: serve_crl_raw(s, i, k, b"rids: []"), "not JSON"),
    "https only across a network": (
        lambda s, i, k: "http://issuer.example.org/shc",
        "the backend must use https",
    ),
    "trailing slash": (
        lambda s, i, k: serve_keys(s, i, k.jwks()["keys"]) + "/",
        "an iss has no trailing /",
    ),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_refused_input_publishes_nothing(site, iss, issuer, station, hub_db, case):
    serve, expected = BREAKAGES[case]
    code, out, err = station("fetch-issuer", "shc", serve(site, iss, issuer))
    assert code == 2 and out == ""
    assert err.startswith("station hub: ") and err.count("\n") == 1
    assert expected in err
    assert held(hub_db) == (0, [])


def test_a_failed_refresh_keeps_what_the_hub_had(site, iss, issuer, station, hub_db):
    site.publish(iss, [with_crl_version(issuer, 1)], {issuer.kid: crl(issuer, 1, "Rk9P")})
    assert station("fetch-issuer", "shc", iss)[0] == 0
    before = held(hub_db)
    site.publish(iss, [with_crl_version(issuer, 2)])  # the new CRL is not up yet
    code, _, err = station("fetch-issuer", "shc", iss)
    assert code == 2 and "crl/" in err and "HTTP 404" in err
    assert held(hub_db) == before


def test_all_refreshes_every_held_issuer_and_reports_each(site, station, hub_db):
    first, second = make_shc_issuer(f"{site.origin}/a"), make_shc_issuer(f"{site.origin}/b")
    for issuer in (first, second):
        site.publish(issuer.iss, issuer.jwks()["keys"])
        assert station("fetch-issuer", "shc", issuer.iss)[0] == 0
    code, out, _ = station("fetch-issuer", "shc", "--all")
    assert code == 1 and out.strip().endswith("2 issuer(s): 0 updated, 0 failed")
    gone = make_shc_issuer(_closed_port_url())
    with Hub(hub_db) as hub:
        hub.add_issuer("shc", gone.iss, gone.jwks()["keys"])
        hub.add_issuer("nzcp", "did:web:nzcp.example.org", [{"kid": "k1", "kty": "EC"}])
    site.publish(first.iss, [with_crl_version(first, 1)], {first.kid: crl(first, 1, "Rk9P")})
    code, out, err = station("fetch-issuer", "shc", "--all")
    assert code == 2
    assert f"{first.iss}: 1 key(s), 1 CRL(s) with 1 rid(s) published" in out
    assert f"{second.iss}: 1 key(s), 0 CRL(s) with 0 rid(s) unchanged" in out
    assert out.strip().endswith("3 issuer(s): 1 updated, 1 failed")
    assert gone.iss in err and "network unreachable" in err and "kept what the hub had" in err
    issuers = {item["issuer"]: item for item in held(hub_db)[1]}
    assert issuers[gone.iss]["keys"] == gone.jwks()["keys"]
    assert "did:web:nzcp.example.org" in issuers


def test_all_with_no_issuers_and_usage_errors(station, iss):
    code, out, _ = station("fetch-issuer", "shc", "--all")
    assert code == 1 and "No SMART Health Card issuers" in out
    assert station("fetch-issuer", "shc")[2] == "station hub: name one issuer URL, or --all\n"
    assert station("fetch-issuer", "shc", iss, "--all")[0] == 2
    code, _, err = station("fetch-issuer", "shc", iss, "--ca", "/nonexistent/ca.pem")
    assert code == 2 and "no such CA file" in err


def test_a_fetched_crl_revokes_the_card_at_a_station(site, iss, issuer, station, hub_db, tmp_path):
    """Issuer → hub (fetch) → station (signed bundle sync) → verdict INVALID / REVOKED."""
    now = datetime.now(UTC)
    revoked = issue_shc(issuer, vaccination_bundle(), nbf=now - timedelta(days=1), rid="Rk9PQkFS")
    kept = issue_shc(issuer, vaccination_bundle(), nbf=now - timedelta(days=1), rid="T3RoZXI")
    site.publish(iss, [with_crl_version(issuer, 1)], {issuer.kid: crl(issuer, 1, "Rk9PQkFS")})
    assert station("fetch-issuer", "shc", iss)[0] == 0
    with Hub(hub_db) as hub, HubServer(hub) as server, open_cache(tmp_path / "c.sqlite") as cache:
        enrolled = enroll(server.url, hub.create_enrollment_code(), hub.key_fingerprint(), now=now)
        with enrolled.client() as client:
            ctx = SyncContext(client, cache, enrolled.pinned_keys(), SystemClock())
            (outcome,) = sync_sources(ctx, ["issuer-keys"])
        assert outcome.ok, outcome.error
        verifier = Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now))
        result = verifier.verify(revoked)
        assert (result.status, result.check("revocation").code) == (Status.INVALID, Reason.REVOKED)
        assert verifier.verify(kept).status is Status.VALID
