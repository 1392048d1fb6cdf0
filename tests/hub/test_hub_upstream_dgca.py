"""`station hub pull-dgca`: a hub pulls signer certificates from an upstream DGCA service — here
a second real hub on 127.0.0.1 that the downstream hub enrolled at like a station.

The `hub`, `server` and `client` fixtures are the upstream; the hub under test is another file.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from hub_helpers import HubClient, hub_command
from tls_certificates import make_authority, make_server_pair

from station.issuer.pki import Signer
from station.trust.certificate import load_trusted_certificate
from sync.hub import Hub, HubServer
from sync.hub.dscs import MANUAL, kid_text
from sync.hub.upstream_dgca import UPSTREAM

pytest_plugins = ["hub_fixtures"]

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture()
def downstream(tmp_path: Path) -> Path:
    return tmp_path / "downstream.sqlite"


@pytest.fixture()
def station(downstream: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `station hub ... --db DOWNSTREAM`: returns (exit code, stdout, stderr)."""
    return hub_command(downstream, capsys)


@pytest.fixture()
def pull(station: Run, server: HubServer, hub: Hub, client: HubClient) -> Run:
    """`pull-dgca` from the upstream with the downstream's token and the upstream's pin."""

    def run(*extra: str, url: str | None = None) -> tuple[int, str, str]:
        target = url or server.url
        return station(
            "pull-dgca", target, f"--token={client.token}", "--pin", hub.key_fingerprint(), *extra
        )

    return run


def current(downstream: Path) -> tuple[int, dict[str, str]]:
    """The downstream's trust-list version and its current signers: fingerprint → origin."""
    with Hub(downstream) as hub:
        rows = {dsc.fingerprint: dsc.origin for dsc in hub.dscs() if not dsc.deleted}
        return hub.version("trust-list"), rows


def fingerprints(signers: list[Signer]) -> set[str]:
    return {load_trusted_certificate(signer.der).fingerprint for signer in signers}


def test_pull_adds_the_upstream_signers_once_and_keeps_manual_ones(hub, signers, downstream, pull):
    hub.add_dscs([s.der for s in signers[:3]])
    with Hub(downstream) as mine:
        mine.add_dscs([signers[3].der])
    code, out, err = pull()
    assert (code, err) == (0, "")
    assert out.strip().endswith("3 signer certificate(s) pulled, +3 -0; trust-list version 2")
    version, rows = current(downstream)
    assert version == 2
    upstream = fingerprints(signers[:3])
    assert {fp for fp, origin in rows.items() if origin == UPSTREAM} == upstream
    assert {fp for fp, origin in rows.items() if origin == MANUAL} == fingerprints(signers[3:])
    code, out, _ = pull()
    assert code == 1 and "+0 -0; trust-list version 2" in out
    assert current(downstream)[0] == 2


def test_signers_removed_upstream_disappear_but_manual_ones_stay(hub, signers, downstream, pull):
    hub.add_dscs([s.der for s in signers])
    with Hub(downstream) as mine:
        mine.add_dscs([signers[3].der])  # also upstream: it stays a manual entry
    assert pull()[0] == 0
    assert current(downstream)[1][next(iter(fingerprints(signers[3:])))] == MANUAL
    hub.remove_dsc(kid_text(signers[0].kid))
    hub.remove_dsc(kid_text(signers[3].kid))
    code, out, _ = pull()
    assert code == 0 and "2 signer certificate(s) pulled, +0 -1; trust-list version 3" in out
    rows = current(downstream)[1]
    assert set(rows) == fingerprints(signers[1:])
    assert rows[next(iter(fingerprints(signers[3:])))] == MANUAL


def test_the_pulled_signers_reach_stations_of_the_downstream_hub(hub, signers, downstream, pull):
    hub.add_dscs([s.der for s in signers[:2]])
    assert pull()[0] == 0
    with Hub(downstream) as mine:
        bundle = mine.trust_list_bundle()
    assert set(bundle.payload["kids"]) == {kid_text(s.kid) for s in signers[:2]}


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


#: A fault armed on the upstream (path prefix, kind, parameters) and the message it must give.
FAULTS = {
    "status signed by a stranger": ("/signercertificateStatus", "wrong_key", {}, "signature"),
    "status unsigned": ("/signercertificateStatus", "unsigned", {}, "carries no signature"),
    "status tampered": ("/signercertificateStatus", "tamper", {}, "signature"),
    "status oversize": (
        "/signercertificateStatus",
        "oversize",
        {"size": 3 * 1024 * 1024},
        "response too large",
    ),
    "page signed by a stranger": ("/signercertificateUpdate", "wrong_key", {}, "signature"),
    "page unsigned": ("/signercertificateUpdate", "unsigned", {}, "carries no signature"),
    "page tampered": ("/signercertificateUpdate", "tamper", {}, "signature"),
    "page cut off": ("/signercertificateUpdate", "truncate", {}, "response truncated"),
    "page 503": ("/signercertificateUpdate", "status", {"status": 503}, "server busy"),
    "public key tampered": ("/publickey", "tamper", {}, "/publickey"),
    "public key unsigned": ("/publickey", "unsigned", {}, "carries no signature"),
}


@pytest.mark.parametrize("case", sorted(FAULTS))
def test_a_failed_verification_changes_nothing(hub, server, signers, downstream, pull, case):
    hub.add_dscs([s.der for s in signers[:2]])
    assert pull()[0] == 0
    before = current(downstream)
    hub.remove_dsc(kid_text(signers[0].kid))
    hub.add_dscs([signers[2].der])
    prefix, kind, params, expected = FAULTS[case]
    server.faults.add(prefix, kind, **params)
    code, out, err = pull()
    assert (code, out) == (2, "")
    assert err.startswith("station hub: ") and err.count("\n") == 1 and expected in err
    assert current(downstream) == before
    server.faults.clear()
    assert pull()[0] == 0 and current(downstream) != before


def test_wrong_pin_token_or_address_is_refused(
    hub, server, signers, downstream, station, client, tmp_path
):
    hub.add_dscs([signers[0].der])
    pin, token = hub.key_fingerprint(), client.token
    with Hub(tmp_path / "stranger.sqlite") as stranger:
        other_pin = stranger.key_fingerprint()
    colon_pin = ":".join(pin[i : i + 2] for i in range(0, 64, 2)).upper()
    cases = [
        (server.url, token, other_pin, "not the pinned"),
        (server.url, token, "12ab", "--pin must be the upstream key's SHA-256 fingerprint"),
        (server.url, "not-a-token", pin, "the upstream refused the token"),
        (server.url, " ", pin, "an upstream token is needed"),
        (_closed_port(), token, pin, "network unreachable"),
        ("http://dgca.example.org", token, pin, "the backend must use https"),
    ]
    for url, used_token, used_pin, expected in cases:
        code, out, err = station("pull-dgca", url, f"--token={used_token}", "--pin", used_pin)
        assert (code, out) == (2, ""), expected
        assert err.startswith("station hub: ") and expected in err, err
        assert current(downstream)[0] == 0
    hub.revoke_station(client.station_id)
    code, _, err = station("pull-dgca", server.url, f"--token={token}", "--pin", colon_pin)
    assert code == 2 and "the upstream refused the token" in err
    assert current(downstream)[0] == 0


def test_an_empty_upstream_is_refused_rather_than_emptying_the_hub(hub, signers, downstream, pull):
    hub.add_dscs([signers[0].der])
    assert pull()[0] == 0
    before = current(downstream)
    hub.remove_dsc(kid_text(signers[0].kid))
    code, _, err = pull()
    assert code == 2 and "lists no signer certificates" in err
    assert current(downstream) == before


def test_an_https_upstream_is_checked_against_the_given_ca(
    hub, signers, downstream, station, client, tmp_path
):
    authority = make_authority(tmp_path, "Upstream")
    leaf, leaf_key = make_server_pair(tmp_path, authority, "upstream", hosts=("127.0.0.1",))
    files = {"ca.pem": authority.pem_path, "leaf.pem": leaf, "leaf.key": leaf_key}
    hub.add_dscs([signers[0].der])
    with HubServer(hub, tls_cert=files["leaf.pem"], tls_key=files["leaf.key"]) as tls:
        base = ("pull-dgca", tls.url, f"--token={client.token}", "--pin", hub.key_fingerprint())
        code, _, err = station(*base)
        assert code == 2 and "not from the pinned authority" in err
        assert current(downstream)[0] == 0
        code, out, _ = station(*base, "--ca", str(files["ca.pem"]))
        assert code == 0 and "1 signer certificate(s) pulled, +1 -0" in out
