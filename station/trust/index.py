"""The in-memory kid → signer-certificates index that verification reads.

Kids are 8 bytes and may collide; every certificate sharing a kid is kept, in a fixed order
(by fingerprint) so that nothing downstream can depend on the order certificates were added.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from station.errors import TrustImportError
from station.trust.certificate import TrustedCertificate, load_trusted_certificate


class TrustIndex:
    """Signer certificates grouped by kid; implements the `SignerLookup` port."""

    def __init__(self, certificates: Iterable[TrustedCertificate] = ()) -> None:
        by_kid: dict[bytes, dict[str, TrustedCertificate]] = {}
        for cert in certificates:
            by_kid.setdefault(cert.kid, {})[cert.fingerprint] = cert
        self._by_kid = {
            kid: tuple(group[fp] for fp in sorted(group)) for kid, group in by_kid.items()
        }

    def signers_for(self, kid: bytes) -> Sequence[TrustedCertificate]:
        return self._by_kid.get(kid, ())

    def __len__(self) -> int:
        return sum(len(group) for group in self._by_kid.values())

    def __iter__(self) -> Iterable[TrustedCertificate]:
        for group in self._by_kid.values():
            yield from group


class CertificateCache:
    """Parses each distinct DER once; batch requests often repeat the same certificate."""

    def __init__(self, limit: int = 4096) -> None:
        self._cache: dict[bytes, TrustedCertificate | TrustImportError] = {}
        self._limit = limit

    def load(self, der: bytes) -> TrustedCertificate:
        cached = self._cache.get(der)
        if cached is None:
            try:
                cached = load_trusted_certificate(der)
            except TrustImportError as exc:
                cached = exc
            if len(self._cache) >= self._limit:
                self._cache.clear()
            self._cache[der] = cached
        if isinstance(cached, TrustImportError):
            raise cached
        return cached
