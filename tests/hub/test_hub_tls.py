"""HTTPS with a certificate from a test CA, and the SPKI pin the context document publishes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import requests
from tls_certificates import make_authority, make_server_pair

from sync.hub import HubServer
from sync.hub.tls import spki_pin

pytest_plugins = ["hub_fixtures"]


@pytest.fixture()
def tls_files(tmp_path: Path) -> dict[str, Path]:
    authority = make_authority(tmp_path, "Test Hub")
    cert, key = make_server_pair(tmp_path, authority, "hub", hosts=("127.0.0.1",))
    return {"ca": authority.pem_path, "cert": cert, "key": key}


def test_the_hub_serves_https_and_publishes_its_pin(hub, tls_files):
    baseline = threading.active_count()
    with HubServer(hub, tls_cert=tls_files["cert"], tls_key=tls_files["key"]) as server:
        assert server.url.startswith("https://127.0.0.1:")
        with requests.Session() as session:
            session.trust_env = False
            session.verify = str(tls_files["ca"])
            assert session.get(server.url + "/healthz", timeout=10).json()["ok"] is True
            context = session.get(server.url + "/context", timeout=10).json()
            status = context["versions"]["default"]["endpoints"]["status"]
            assert status["url"] == server.url + "/signercertificateStatus"
            assert status["pubKeys"] == [spki_pin(tls_files["cert"])]
            with pytest.raises(requests.exceptions.SSLError):
                session.get(server.url + "/healthz", timeout=10, verify=True)
            plain = server.url.replace("https://", "http://")
            with pytest.raises(requests.exceptions.ConnectionError):
                session.get(plain + "/healthz", timeout=10)
    assert threading.active_count() == baseline


def test_tls_needs_both_halves(hub, tls_files):
    with pytest.raises(ValueError):
        HubServer(hub, tls_cert=tls_files["cert"])
    server = HubServer(hub)
    with pytest.raises(RuntimeError):
        _ = server.url
    server.stop()
