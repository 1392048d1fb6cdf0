"""What an operator changes on the hub: signers, rules, value sets, revocations, status list.

Every method is one transaction that publishes under a new version of the source it touches,
or changes nothing (and keeps the version) when there is nothing new.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.cache.status_key import KdfParams, derive_status_key
from station.entrylog.sealing import SealingKey
from station.trust.certificate import load_trusted_certificate
from station.verify.revocation import revocation_hashes_for_text
from sync.hub import authority, content, dscs, entries, issuers, revocations, status_list, tracing
from sync.hub.authority import AuthorityKey, HubPurge
from sync.hub.base import HubBase
from sync.hub.dscs import MANUAL, Dsc
from sync.hub.entries import Alert, LogHealth
from sync.hub.revocations import RevocationEntry
from sync.hub.status_list import StatusEntry
from sync.hub.store import current_version, set_floor, version_floor
from sync.hub.tracing import AuditRecord, TraceRequest, TraceResult


class HubAdmin(HubBase):
    """Admin operations of the hub (the CLI is a thin layer over these)."""

    # --- signer certificates ---------------------------------------------------------------

    def add_dscs(self, ders: Sequence[bytes], origin: str = MANUAL) -> int:
        """Publish signer certificates (DER); returns how many were not already current."""
        certs = [load_trusted_certificate(der) for der in ders]
        return self._change(
            "trust-list", lambda conn, _v: dscs.add(conn, certs, origin, self.now())
        )

    def remove_dsc(self, kid_or_fingerprint: str) -> int:
        """Withdraw the current certificates with that kid or SHA-256 fingerprint."""
        return self._change(
            "trust-list", lambda conn, _v: dscs.remove(conn, kid_or_fingerprint, self.now())
        )

    def load_trust_list(
        self, ders: Sequence[bytes], origin: str = dscs.TRUST_LIST
    ) -> tuple[int, int]:
        """Make the signers of `origin` (a loaded trust list, an upstream pull) exactly `ders`,
        in one transaction: (added, removed)."""
        certs = [load_trusted_certificate(der) for der in ders]
        counts = (0, 0)

        def apply(conn: sqlite3.Connection, _version: int) -> int:
            nonlocal counts
            counts = dscs.replace_trust_list(conn, certs, self.now(), origin)
            return sum(counts)

        self._change("trust-list", apply)
        return counts

    def dscs(self) -> list[Dsc]:
        with self._store.read() as conn:
            return dscs.listing(conn)

    # --- rules and value sets --------------------------------------------------------------

    def add_rule(self, body: bytes) -> content.Rule:
        """Publish an EU rule file's exact bytes (replacing the same identifier and version)."""
        rule = content.parse_rule(body)
        self._change("rules", lambda conn, _v: int(content.store_rule(conn, body, self.now())[1]))
        return rule

    def remove_rule(self, identifier: str) -> int:
        return self._change("rules", lambda conn, _v: content.delete_rule(conn, identifier))

    def add_valueset(self, body: bytes) -> str:
        """Publish a value set's exact bytes; returns its hash."""
        digest = ""

        def apply(conn: sqlite3.Connection, _version: int) -> int:
            nonlocal digest
            _id, digest, changed = content.store_valueset(conn, body, self.now())
            return int(changed)

        self._change("valuesets", apply)
        return digest

    def remove_valueset(self, set_id: str) -> int:
        return self._change("valuesets", lambda conn, _v: content.delete_valueset(conn, set_id))

    # --- revocations -----------------------------------------------------------------------

    def publish_revocations(self, entries: Iterable[RevocationEntry]) -> int:
        """Add revoked hashes (streamed; millions are fine); returns how many were new."""
        return self._change("revocations", lambda conn, v: revocations.insert(conn, entries, v))

    def unpublish_revocations(self, entries: Iterable[RevocationEntry]) -> int:
        """Lift revocations; returns how many current entries were removed."""
        return self._change("revocations", lambda conn, v: revocations.remove(conn, entries, v))

    def revoke_pass(self, text: str, expires: datetime | None = None) -> int:
        """Revoke an `HC1:` pass by its UCI, COUNTRYCODEUCI and SIGNATURE hashes."""
        return self.publish_revocations(_pass_entries(text, expires))

    def unrevoke_pass(self, text: str) -> int:
        return self.unpublish_revocations(_pass_entries(text, None))

    def prune_revocation_tombstones(self, up_to_version: int) -> int:
        """Forget removals up to a version; stations older than it get a snapshot next time."""
        with self._store.write() as conn:
            up_to = min(up_to_version, current_version(conn, "revocations"))
            if up_to <= version_floor(conn, "revocations"):
                return 0
            set_floor(conn, "revocations", up_to)
            return revocations.prune_tombstones(conn, up_to)

    # --- status list -----------------------------------------------------------------------

    def publish_status(
        self, id_number: str, flags: int, valid_until: datetime | None = None
    ) -> bool:
        """Publish (or change) the status of an ID number; only its derived key is stored."""

        def apply(conn: sqlite3.Connection, version: int) -> int:
            key = derive_status_key(id_number, self._ensure_kdf(conn))
            return status_list.upsert(conn, [StatusEntry(key, flags, valid_until)], version)

        return self._change("status-list", apply) > 0

    def publish_status_entries(self, entries: Iterable[StatusEntry]) -> int:
        """Publish entries under already derived keys (bulk loads and benches)."""

        def apply(conn: sqlite3.Connection, version: int) -> int:
            self._ensure_kdf(conn)
            return status_list.upsert(conn, entries, version)

        return self._change("status-list", apply)

    def remove_status(self, id_number: str) -> bool:
        def apply(conn: sqlite3.Connection, version: int) -> int:
            key = derive_status_key(id_number, self._ensure_kdf(conn))
            return status_list.remove(conn, [key], version)

        return self._change("status-list", apply) > 0

    def rotate_status_salt(self) -> KdfParams:
        """New salt (and configured cost): the list is emptied and must be re-published."""
        params = status_list.new_kdf(self.config.kdf_memory_kib, self.config.kdf_iterations)

        def apply(conn: sqlite3.Connection, version: int) -> int:
            status_list.clear(conn)
            status_list.store_kdf(conn, params, self.now())
            set_floor(conn, "status-list", version)
            return 1

        self._change("status-list", apply)
        return params

    # --- issuers of other families -----------------------------------------------------------

    def add_issuer(
        self,
        family: str,
        issuer: str,
        keys: Sequence[Mapping[str, Any]],
        crls: Sequence[Mapping[str, Any]] = (),
    ) -> int:
        """Allow-list an issuer with its public keys (and SHC CRLs); replaces what it had."""
        checked, checked_crl = issuers.checked_keys(family, keys), issuers.checked_crls(crls)
        if not issuer or len(issuer) > 512:
            raise ValueError("an issuer needs a name of at most 512 characters")
        now = self.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        return self._change(
            "issuer-keys",
            lambda conn, _v: issuers.store_issuer(conn, family, issuer, checked, checked_crl, now),
        )

    def remove_issuer(self, family: str, issuer: str) -> int:
        return self._change(
            "issuer-keys", lambda conn, _v: issuers.delete_issuer(conn, family, issuer)
        )

    # --- the health authority: sealing key, tracing, retention -------------------------------

    def set_sealing_key(self, key: SealingKey) -> AuthorityKey:
        """Publish the authority's public key (a new "sealing-key" version unless unchanged)."""
        self._change(
            authority.SEALING_KEY, lambda conn, v: authority.register(conn, key, v, self.now())
        )
        with self._store.read() as conn:
            current = authority.current_key(conn)
        if current is None:
            raise RuntimeError("the sealing key was not registered")
        return current

    def trace(self, private_key: X25519PrivateKey, request: TraceRequest) -> TraceResult:
        """Co-located entries of a case, every decryption audited first (see `tracing`)."""
        return tracing.trace(self._store, private_key, request, self.now())

    def audit_trail(self, case_id: str | None = None) -> list[AuditRecord]:
        with self._store.read() as conn:
            return tracing.audit_trail(conn, case_id)

    def log_alerts(self, station_id: str | None = None) -> list[Alert]:
        """Rollback and number-reuse alerts raised while storing uploads."""
        with self._store.read() as conn:
            return entries.alerts(conn, station_id)

    def log_health(self) -> list[LogHealth]:
        with self._store.read() as conn:
            return entries.log_health(conn)

    def purge_entries(self, days: int) -> HubPurge:
        """Delete entries older than `days`, zeroing freed pages; their UUIDs stay as tombstones."""
        if days < 1:
            raise ValueError("keep entries for at least one day")
        now = self.now()
        self._store.conn().execute("PRAGMA secure_delete = ON")
        with self._store.write() as conn:
            purged = authority.purge_entries(conn, now - timedelta(days=days), now)
        self._store.conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return purged


def _pass_entries(text: str, expires: datetime | None) -> list[RevocationEntry]:
    kid, hashes = revocation_hashes_for_text(text)
    return [RevocationEntry(kid, kind, digest, expires) for kind, digest in hashes.items()]
