"""The local trust store: signer certificates, loaded into a `TrustIndex` to verify.

The certificates live in the station cache's signer table (`station.cache.signers`), next to
those the sync client keeps in step with the hub; this class is the operator's view of it, as
used by `station trust import/list` and `station verify`. Only the DER is authoritative: kid,
fingerprint, validity, country and key usage are derived from it on import, never taken from
the file the certificate came in.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from station.cache.database import open_cache
from station.cache.signers import TABLE, ImportReport, SignerCache
from station.trust.certificate import TrustedCertificate
from station.trust.index import TrustIndex

__all__ = ["TABLE", "ImportReport", "SqliteTrustStore"]


class SqliteTrustStore:
    """Signer certificates persisted in the station's cache file (or any cache file)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.cache = open_cache(self.path)
        self.db = self.cache.db
        self.signers = SignerCache(self.cache)

    def import_der(self, ders: Iterable[bytes], source: str) -> ImportReport:
        """Trust these certificates (origin 'manual': sync never withdraws them)."""
        return self.signers.import_der(ders, source)

    def rows(self) -> list[dict[str, Any]]:
        return self.signers.rows()

    def certificates(self) -> list[TrustedCertificate]:
        return self.signers.certificates()

    def index(self) -> TrustIndex:
        return self.signers.index()

    def close(self) -> None:
        self.cache.close()

    def __enter__(self) -> SqliteTrustStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
