"""Signer certificates (DSCs) in the cache: imported by an operator or kept in step by sync.

Only the DER is authoritative: kid, fingerprint, validity, country and key usage are derived
from it, never taken from the list it came in. Each row records its `origin`: sync may withdraw
only what sync added, never a certificate an operator imported by hand. A withdrawn certificate
is remembered in `removed_signers`, so a pass whose signer was withdrawn can be told apart from
one signed by a key the station never knew.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from station.cache.database import CacheDatabase
from station.cache.timestamps import to_iso
from station.errors import TrustImportError
from station.trust.certificate import TrustedCertificate, load_trusted_certificate
from station.trust.index import TrustIndex

TABLE = "signer_certificates"
Origin = Literal["manual", "sync"]
_COLUMNS = (
    "fingerprint, kid, der, country, not_before, not_after, allowed_types, key, source, "
    "added_at, origin"
)


@dataclass(slots=True)
class ImportReport:
    """What a manual import did, for the operator."""

    added: int = 0
    already_present: int = 0
    rejected: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SignerDiff:
    """What one trust-list sync changed."""

    added: int
    removed: int
    unchanged: int
    rejected: tuple[str, ...] = ()


def kid_text(kid: bytes) -> str:
    """The kid as the cache and `station trust list` show it (standard base64)."""
    return base64.b64encode(kid).decode("ascii")


class SignerCache:
    """The signer tables of the cache; every write joins an open transaction."""

    def __init__(self, cache: CacheDatabase) -> None:
        self.cache = cache

    def import_der(self, ders: Iterable[bytes], source: str) -> ImportReport:
        """Add certificates an operator imported (origin 'manual'); unreadable ones are listed."""
        report = ImportReport()
        fresh: dict[str, TrustedCertificate] = {}
        with self.cache.transaction():
            for der in ders:
                try:
                    cert = load_trusted_certificate(der)
                except TrustImportError as exc:
                    report.rejected.append(str(exc))
                    continue
                if cert.fingerprint in fresh or self._has(cert.fingerprint):
                    report.already_present += 1
                    continue
                fresh[cert.fingerprint] = cert
            self._insert(fresh.values(), source, "manual", datetime.now(UTC))
            self._forget_returned()
        report.added = len(fresh)
        return report

    def apply_sync(
        self, added_ders: Sequence[bytes], valid_kids: set[bytes], version: int, now: datetime
    ) -> SignerDiff:
        """Make the synced certificates match the hub's list of valid kids.

        Adds `added_ders` (origin 'sync'), withdraws every synced certificate whose kid is not in
        `valid_kids` and records it as removed; a kid that is back is no longer "removed". A DER
        that cannot be read, or whose kid the list does not name, is rejected, not trusted.
        """
        with self.cache.transaction():
            fresh, rejected, unchanged = self._new_synced(added_ders, valid_kids)
            self._insert(fresh, f"trust-list v{version}", "sync", now)
            removed = self._withdraw(valid_kids, version, now)
            self._forget_returned()
        return SignerDiff(len(fresh), removed, unchanged, tuple(rejected))

    def synced_kids(self) -> set[bytes]:
        """Kids of the certificates sync has added (what it need not download again)."""
        rows = self.cache.conn.execute(f"SELECT kid FROM {TABLE} WHERE origin = 'sync'")
        return {base64.b64decode(row[0]) for row in rows}

    def was_removed(self, kid: bytes) -> bool:
        """Whether a certificate with this kid was withdrawn by sync and has not come back."""
        row = self.cache.conn.execute(
            "SELECT 1 FROM removed_signers WHERE kid = ? LIMIT 1", (kid_text(kid),)
        ).fetchone()
        return row is not None

    def rows(self) -> list[dict[str, Any]]:
        """Every certificate's metadata (without the DER), by country and kid."""
        return [
            {k: v for k, v in row.items() if k != "der"}
            for row in self.cache.db[TABLE].rows_where(order_by="country, kid")
        ]

    def removed_rows(self) -> list[dict[str, Any]]:
        return list(self.cache.db["removed_signers"].rows_where(order_by="removed_at, kid"))

    def certificates(self) -> list[TrustedCertificate]:
        found: list[TrustedCertificate] = []
        for (der,) in self.cache.conn.execute(f"SELECT der FROM {TABLE} ORDER BY fingerprint"):
            try:
                found.append(load_trusted_certificate(der))
            except TrustImportError:
                continue
        return found

    def index(self) -> TrustIndex:
        return TrustIndex(self.certificates())

    def _has(self, fingerprint: str) -> bool:
        row = self.cache.conn.execute(
            f"SELECT 1 FROM {TABLE} WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        return row is not None

    def _new_synced(
        self, ders: Sequence[bytes], valid_kids: set[bytes]
    ) -> tuple[list[TrustedCertificate], list[str], int]:
        """(certificates to add, rejection reasons, how many were already held)."""
        fresh: dict[str, TrustedCertificate] = {}
        rejected: list[str] = []
        unchanged = 0
        for der in ders:
            try:
                cert = load_trusted_certificate(der)
            except TrustImportError as exc:
                rejected.append(str(exc))
                continue
            if cert.kid not in valid_kids:
                rejected.append(f"kid {kid_text(cert.kid)} is not in the list of valid signers")
            elif self._has(cert.fingerprint):
                unchanged += 1
            else:
                fresh[cert.fingerprint] = cert
        return list(fresh.values()), rejected, unchanged

    def _withdraw(self, valid_kids: set[bytes], version: int, now: datetime) -> int:
        conn = self.cache.conn
        valid = {kid_text(kid) for kid in valid_kids}
        synced = conn.execute(f"SELECT fingerprint, kid FROM {TABLE} WHERE origin = 'sync'")
        gone = [(fp, kid) for fp, kid in synced.fetchall() if kid not in valid]
        for fingerprint, kid in gone:
            conn.execute(f"DELETE FROM {TABLE} WHERE fingerprint = ?", (fingerprint,))
            conn.execute(
                "INSERT OR REPLACE INTO removed_signers (fingerprint, kid, removed_at, version)"
                " VALUES (?, ?, ?, ?)",
                (fingerprint, kid, to_iso(now), version),
            )
        return len(gone)

    def _insert(
        self, certs: Iterable[TrustedCertificate], source: str, origin: Origin, now: datetime
    ) -> None:
        rows = [_row(cert, source, origin, now) for cert in certs]
        placeholders = ", ".join("?" for _ in range(11))
        self.cache.conn.executemany(
            f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES ({placeholders})", rows
        )

    def _forget_returned(self) -> None:
        """A kid that is trusted again (synced back or imported by hand) is no longer removed."""
        self.cache.conn.execute(
            f"DELETE FROM removed_signers WHERE kid IN (SELECT kid FROM {TABLE})"
        )


def _row(cert: TrustedCertificate, source: str, origin: Origin, now: datetime) -> tuple[Any, ...]:
    return (
        cert.fingerprint,
        kid_text(cert.kid),
        cert.der,
        cert.country or "",
        cert.not_before.isoformat(),
        cert.not_after.isoformat(),
        ",".join(sorted(cert.allowed_types)) if cert.allowed_types else "any",
        cert.key_description,
        source,
        now.astimezone(UTC).isoformat(timespec="seconds"),
        origin,
    )
