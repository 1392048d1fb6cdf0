"""HTTPS with a certificate from a test CA, and the SPKI pin the context document publishes."""

from __future__ import annotations

import ipaddress
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sync.hub import HubServer
from sync.hub.tls import spki_pin

pytest_plugins = ["hub_fixtures"]


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, issuer: str, key, signer, *, ca: bool) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        address = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
        builder = builder.add_extension(x509.SubjectAlternativeName([address]), critical=False)
    return builder.sign(signer, hashes.SHA256())


@pytest.fixture()
def tls_files(tmp_path: Path) -> dict[str, Path]:
    ca_key, server_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = _certificate("Test Hub CA", "Test Hub CA", ca_key, ca_key, ca=True)
    leaf = _certificate("hub.test", "Test Hub CA", server_key, ca_key, ca=False)
    files = {"ca": tmp_path / "ca.pem", "cert": tmp_path / "hub.pem", "key": tmp_path / "hub.key"}
    files["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files["cert"].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    files["key"].write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


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
