"""The local trust store: signer certificates in SQLite, loaded into a `TrustIndex` to verify.

Only the DER is authoritative: kid, fingerprint, validity, country and key usage are derived
from it on import, never taken from the file the certificate came in.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.errors import TrustImportError
from station.store.db import connect
from station.trust.certificate import TrustedCertificate, load_trusted_certificate
from station.trust.index import TrustIndex

TABLE = "signer_certificates"


@dataclass(slots=True)
class ImportReport:
    """What an import did, for the operator."""

    added: int = 0
    already_present: int = 0
    rejected: list[str] = field(default_factory=list)


class SqliteTrustStore:
    """Signer certificates persisted in a SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = connect(self.path)
        self.db[TABLE].create(  # type: ignore[union-attr]
            {
                "fingerprint": str,
                "kid": str,
                "der": bytes,
                "country": str,
                "not_before": str,
                "not_after": str,
                "allowed_types": str,
                "key": str,
                "source": str,
                "added_at": str,
            },
            pk="fingerprint",
            if_not_exists=True,
        )
        self.db[TABLE].create_index(["kid"], if_not_exists=True)  # type: ignore[union-attr]

    def import_der(self, ders: Iterable[bytes], source: str) -> ImportReport:
        report = ImportReport()
        rows: list[dict[str, Any]] = []
        for der in ders:
            try:
                cert = load_trusted_certificate(der)
            except TrustImportError as exc:
                report.rejected.append(str(exc))
                continue
            if self._has(cert.fingerprint) or any(
                r["fingerprint"] == cert.fingerprint for r in rows
            ):
                report.already_present += 1
                continue
            rows.append(_row(cert, source))
        if rows:
            with self.db.conn:
                self.db[TABLE].insert_all(rows)  # type: ignore[union-attr]
        report.added = len(rows)
        return report

    def _has(self, fingerprint: str) -> bool:
        table = self.db[TABLE]
        return bool(table.count_where("fingerprint = ?", [fingerprint]))

    def rows(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in row.items() if k != "der"}
            for row in self.db[TABLE].rows_where(order_by="country, kid")
        ]

    def certificates(self) -> list[TrustedCertificate]:
        found: list[TrustedCertificate] = []
        for row in self.db[TABLE].rows_where(select="der"):
            try:
                found.append(load_trusted_certificate(row["der"]))
            except TrustImportError:
                continue
        return found

    def index(self) -> TrustIndex:
        return TrustIndex(self.certificates())


def _row(cert: TrustedCertificate, source: str) -> dict[str, Any]:
    return {
        "fingerprint": cert.fingerprint,
        "kid": base64.b64encode(cert.kid).decode("ascii"),
        "der": cert.der,
        "country": cert.country or "",
        "not_before": cert.not_before.isoformat(),
        "not_after": cert.not_after.isoformat(),
        "allowed_types": ",".join(sorted(cert.allowed_types)) if cert.allowed_types else "any",
        "key": cert.key_description,
        "source": source,
        "added_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
