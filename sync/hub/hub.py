"""`Hub`: the reference backend's state, and everything the HTTP layer asks of it.

Stations enroll with a one-time code, then fetch signed bundles (trust list, revocations,
status list) and the DGCA-compatible lists. The hub signs with its own P-256 key, created on
first open and kept in the hub file; stations pin it at enrollment.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from sync.bundle import key_id, public_key_pem
from sync.hub import authority, dscs, enrollment, entries, issuers, keys, revocations, status_list
from sync.hub.admin import HubAdmin
from sync.hub.base import Clock, HubConfig
from sync.hub.bundles import (
    HUB_KEYS,
    ISSUER_KEYS,
    REVOCATIONS,
    STATUS_LIST,
    TRUST_LIST,
    SignedBundle,
    envelope,
    sign,
)
from sync.hub.enrollment import Enrollment, Station
from sync.hub.entries import EntryBatch, Idempotency
from sync.hub.paging import Page, PageRequest, VersionedTable, read_page
from sync.hub.problems import KEY_UNKNOWN, NO_SEALING_KEY, HubProblem
from sync.hub.store import current_version

log = logging.getLogger(__name__)


class Hub(HubAdmin):
    """The hub's state in one SQLite file (thread-safe: one connection per thread)."""

    def __init__(
        self, path: str | Path, config: HubConfig | None = None, *, clock: Clock | None = None
    ) -> None:
        super().__init__(path, config, clock=clock)
        with self._store.write() as conn:
            keys.ensure_key(conn, self.now())
            enrollment.ensure_device_key_column(conn)

    # --- signing keys ----------------------------------------------------------------------

    def signing_key(self) -> ec.EllipticCurvePrivateKey:
        """The key that signs from now on (the newest)."""
        with self._store.read() as conn:
            return keys.newest_keys(conn, 1)[0]

    def public_keys(self) -> list[ec.EllipticCurvePublicKey]:
        """The published public keys, current first (two after a rotation)."""
        with self._store.read() as conn:
            return [key.public_key() for key in keys.newest_keys(conn)]

    def key_fingerprints(self) -> list[str]:
        with self._store.read() as conn:
            return keys.fingerprints(keys.newest_keys(conn))

    def key_fingerprint(self) -> str:
        """The pin operators give to `station enroll` (fingerprint of the current key)."""
        return self.key_fingerprints()[0]

    def rotate_key(self) -> str:
        """Add a new signing key and sign with it from now on; returns its fingerprint."""
        with self._store.write() as conn:
            keys.add_key(conn, self.now())
        return self.key_fingerprint()

    # --- stations --------------------------------------------------------------------------

    def create_enrollment_code(
        self, name: str = "", valid_for: timedelta = timedelta(hours=24)
    ) -> str:
        """A one-time code a station enrolls with (shown once; only its hash is stored)."""
        code = enrollment.new_code()
        with self._store.write() as conn:
            enrollment.store_code(conn, code, name, self.now(), valid_for)
        return code

    def enroll(self, code: str, name: str = "", device_key: str | None = None) -> Enrollment:
        """Redeem a code; raises HubProblem 403 ENROLLMENT_REFUSED if it cannot be used.

        `device_key` is the PEM public key the station will sign its entry uploads with.
        """
        with self._store.write() as conn:
            return enrollment.redeem_code(conn, code, name, self.now(), device_key)

    def authenticate(self, token: str) -> Station:
        """The station owning `token` (401/403 HubProblem otherwise); records it as seen."""
        with self._store.read() as conn:
            station = enrollment.find_station(conn, token)
        try:
            with self._store.write() as conn:
                enrollment.touch(conn, station.id, self.now())
        except sqlite3.OperationalError as exc:  # a long admin load holds the file: skip
            log.debug("last-seen of %s not recorded: %s", station.id, exc)
        return station

    def stations(self) -> list[Station]:
        with self._store.read() as conn:
            return enrollment.all_stations(conn)

    def revoke_station(self, station_id: str) -> bool:
        """Refuse the station from now on; False if unknown or already revoked."""
        with self._store.write() as conn:
            return enrollment.revoke(conn, station_id, self.now())

    # --- entry-log uploads -----------------------------------------------------------------

    def ingest_entries(self, station_id: str, batch: EntryBatch, idempotency: Idempotency) -> bytes:
        """Store a checked batch in one transaction; the answer's exact bytes (see `entries`)."""
        with self._store.write() as conn:
            return entries.ingest(conn, station_id, batch, idempotency, self.now())

    def store_purge_report(self, station_id: str, report: authority.PurgeReport) -> bool:
        """Keep a station's purge report; False when it was already stored."""
        with self._store.write() as conn:
            return authority.store_purge_report(conn, station_id, report, self.now())

    # --- bundles ---------------------------------------------------------------------------

    def trust_list_bundle(self) -> SignedBundle:
        """Current signer kids and the kids withdrawn, signed."""
        with self._store.read() as conn:
            payload = self._envelope(TRUST_LIST, current_version(conn, TRUST_LIST))
            payload["kids"] = dscs.current_kids(conn)
            payload["removed_kids"] = dscs.removed_kids(conn)
        return self._sign(payload, first_page=True)

    def issuer_keys_bundle(self) -> SignedBundle:
        """Every allow-listed issuer of the other families with its keys and CRLs, signed."""
        with self._store.read() as conn:
            payload = self._envelope(ISSUER_KEYS, current_version(conn, ISSUER_KEYS))
            payload["issuers"] = issuers.all_issuers(conn)
        return self._sign(payload, first_page=True)

    def sealing_key_bundle(self) -> SignedBundle:
        """The authority's current public sealing key, signed; 404 NO_SEALING_KEY before one."""
        with self._store.read() as conn:
            current = authority.current_key(conn)
        if current is None:
            raise HubProblem(404, NO_SEALING_KEY, "the health authority has registered no key")
        payload = self._envelope(authority.SEALING_KEY, current.version)
        payload.update(authority.bundle_fields(current))
        return self._sign(payload, first_page=True)

    def key_announcement(self, signed_by: str) -> SignedBundle:
        """The published keys, signed by the older key `signed_by` (a key id) the hub still holds.

        A station enrolled before a rotation pins only the old key; this is how it learns the
        new one from a signature it already trusts, instead of having to enroll again.
        """
        with self._store.read() as conn:
            held = keys.newest_keys(conn, keys.HELD_KEYS)
            count = conn.execute("SELECT count(*) FROM signing_keys").fetchone()[0]
        signer = next((k for k in held if key_id(k.public_key()) == signed_by), None)
        if signer is None:
            raise HubProblem(404, KEY_UNKNOWN, "the hub holds no key with that id", signed_by)
        payload = self._envelope(HUB_KEYS, int(count))
        payload["keys"] = [public_key_pem(key.public_key()) for key in held[: keys.PUBLISHED_KEYS]]
        return sign(signer, payload)

    def revocations_bundle(self, request: PageRequest | None = None) -> SignedBundle:
        """One page of the revocation snapshot or delta (see `paging`)."""
        with self._store.read() as conn:
            page = self._read_page(conn, revocations.TABLE, request)
        payload = self._page_payload(REVOCATIONS, page)
        payload["added"] = revocations.to_groups(page.added)
        payload["removed"] = revocations.to_groups(page.removed)
        return self._sign(payload, first_page=page.page == 0)

    def status_list_bundle(self, request: PageRequest | None = None) -> SignedBundle:
        """One page of the status-list snapshot or delta, with its key-derivation parameters."""
        kdf = self.status_kdf()
        with self._store.read() as conn:
            kdf = status_list.load_kdf(conn) or kdf
            page = self._read_page(conn, status_list.TABLE, request)
        payload = self._page_payload(STATUS_LIST, page)
        payload["kdf"] = kdf.to_json()
        payload["added"] = status_list.to_added(page.added)
        payload["removed"] = status_list.to_removed(page.removed)
        return self._sign(payload, first_page=page.page == 0)

    def _read_page(
        self, conn: sqlite3.Connection, spec: VersionedTable, request: PageRequest | None
    ) -> Page:
        chosen = request or PageRequest()
        return read_page(conn, spec, chosen, self.config.page_size, self._boundaries)

    def _envelope(self, source: str, version: int) -> dict[str, Any]:
        return envelope(source, version, self.now(), self.config.bundle_ttl)

    def _page_payload(self, source: str, page: Page) -> dict[str, Any]:
        payload = self._envelope(source, page.version)
        payload.update(since=page.since, snapshot=page.snapshot, page=page.page, pages=page.pages)
        return payload

    def _sign(self, payload: dict[str, Any], *, first_page: bool) -> SignedBundle:
        bundle = sign(self.signing_key(), payload)
        if first_page:
            self.tokens.record(bundle)
        return bundle
