"""RFC 7638 JWK thumbprints: how SMART Health Cards name their keys.

The thumbprint is the base64url SHA-256 of the key's required members only, in lexicographic
order, with no whitespace. Recomputing it from the key itself (rather than trusting a `kid`
field) is what ties a card's `kid` header to one specific key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any

#: The members each key type's thumbprint covers (RFC 7638 §3.2, RFC 8037 §2 for OKP).
REQUIRED_MEMBERS = {
    "EC": ("crv", "kty", "x", "y"),
    "RSA": ("e", "kty", "n"),
    "OKP": ("crv", "kty", "x"),
}


def jwk_thumbprint(key: Mapping[str, Any]) -> str:
    """The RFC 7638 thumbprint of `key`; ValueError if it lacks a required member."""
    members = REQUIRED_MEMBERS.get(str(key.get("kty")))
    if members is None:
        raise ValueError(f"unsupported key type {key.get('kty')!r}")
    missing = [name for name in members if not isinstance(key.get(name), str)]
    if missing:
        raise ValueError(f"the key lacks {', '.join(missing)}")
    canonical = json.dumps({name: key[name] for name in members}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
