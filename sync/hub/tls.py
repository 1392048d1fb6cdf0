"""TLS for the hub: a server context from a PEM pair, and the SPKI pins clients compare.

The DGCA context document lists `pubKeys` (base64 SHA-256 of the certificate's
SubjectPublicKeyInfo) so pinning clients can check the hub without trusting any CA.
"""

from __future__ import annotations

import base64
import hashlib
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization


def server_context(cert_file: str | Path, key_file: str | Path) -> ssl.SSLContext:
    """TLS 1.2+ server context; raises OSError/ssl.SSLError for an unusable pair."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert_file), str(key_file))
    return context


def spki_pin(cert_file: str | Path) -> str:
    """Base64 SHA-256 of the SubjectPublicKeyInfo of the first certificate in a PEM file."""
    cert = x509.load_pem_x509_certificate(Path(cert_file).read_bytes())
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")
