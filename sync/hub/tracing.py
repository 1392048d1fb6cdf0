"""Contact tracing: who was at the same checkpoint as a case, read only under audit.

A case is found either by the UUIDs of its own entries (from the case interview) or by name and
date of birth, which means opening every sealed block of the last days: there is no index of
identities to search, by design. Co-located entries share the case entry's station and
checkpoint and lie within a window of minutes around it.

Blocks are opened only with the health authority's private key, bound to their entry's UUID.
Before a single block is opened, one audit row per block (time, case, operator, entry, purpose)
is committed to an append-only table; the plaintext exists only after that commit.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.entrylog import sealing
from sync.hub.store import HubStore, utc_iso

SEARCH, CONTACT = "search", "contact"
_CHUNK = 1000
_COLUMNS = "uuid, station_id, checkpoint_id, minute, direction, verdict, sealed"
_LABEL = re.compile(r"[^\W_]+")


class TracingError(ValueError):
    """A trace that cannot run as asked (the message names no person)."""


@dataclass(frozen=True, slots=True)
class TraceRequest:
    """Who asks, for which case, and how the case's entries are found."""

    case_id: str
    operator: str
    entries: tuple[str, ...] = ()
    name: str | None = None
    date_of_birth: str | None = None
    days: int = 21
    window_minutes: int = 30

    def __post_init__(self) -> None:
        for label, text in (("case id", self.case_id), ("operator", self.operator)):
            if not text.strip() or len(text) > 100 or not text.isprintable():
                raise TracingError(f"the {label} must be 1 to 100 printable characters")
        by_person = self.name is not None or self.date_of_birth is not None
        if bool(self.entries) == by_person:
            raise TracingError("give either the case's entry UUIDs or a name and date of birth")
        if by_person and not (self.name and self.date_of_birth):
            raise TracingError("a search needs both the name and the date of birth")
        if not 1 <= self.days <= 366:
            raise TracingError("days must be between 1 and 366")
        if not 0 <= self.window_minutes <= 24 * 60:
            raise TracingError("the window must be between 0 and 1440 minutes")


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    date_of_birth: str
    credential_id: str


@dataclass(frozen=True, slots=True)
class TracedEntry:
    """An entry as the trace reports it; `note` says why `identity` is missing."""

    uuid: str
    station_id: str
    checkpoint_id: str
    minute: str
    direction: str
    verdict: str
    identity: Identity | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class TraceResult:
    case_entries: tuple[TracedEntry, ...]
    contacts: tuple[TracedEntry, ...]
    #: Blocks opened (each one has its audit row).
    decrypted: int


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: str
    case_id: str
    operator: str
    entry_uuid: str
    purpose: str


@dataclass(frozen=True, slots=True)
class _Row:
    uuid: str
    station_id: str
    checkpoint_id: str
    minute: str
    direction: str
    verdict: str
    sealed: bytes | None

    def traced(self, identity: Identity | None = None, note: str = "") -> TracedEntry:
        fields = (self.station_id, self.checkpoint_id, self.minute, self.direction, self.verdict)
        return TracedEntry(self.uuid, *fields, identity=identity, note=note)


def trace(
    store: HubStore, private_key: X25519PrivateKey, request: TraceRequest, now: datetime
) -> TraceResult:
    """The case's entries and every entry co-located with one of them, identities opened."""
    opener = _Opener(store, private_key, request, now)
    if request.entries:
        case = [row.traced() for row in _rows_by_uuid(store, request.entries)]
    else:
        case = _search(store, opener, request, now)
    rows = _co_located(store, case, request.window_minutes)
    contacts = opener.open(rows, CONTACT)
    if opener.foreign and not opener.opened:
        raise TracingError(
            f"the key {opener.key_id} opens none of the {opener.foreign} sealed entries involved;"
            " they were sealed to another authority key"
        )
    return TraceResult(tuple(case), tuple(contacts), opener.opened)


class _Opener:
    """Opens blocks sealed to one private key, auditing each one before it is opened."""

    def __init__(
        self, store: HubStore, key: X25519PrivateKey, request: TraceRequest, now: datetime
    ) -> None:
        self._store, self._key, self._request, self._now = store, key, request, now
        self._id = sealing.key_id(key.public_key())
        self.key_id = self._id.hex()
        self.opened = 0
        self.foreign = 0

    def open(self, rows: list[_Row], purpose: str) -> list[TracedEntry]:
        mine = [row.uuid for row in rows if row.sealed and _key_of(row.sealed) == self._id]
        self.foreign += sum(1 for row in rows if row.sealed) - len(mine)
        _audit(self._store, self._request, mine, purpose, self._now)
        return [self._entry(row) for row in rows]

    def _entry(self, row: _Row) -> TracedEntry:
        if row.sealed is None:
            return row.traced(note="no sealed identity")
        owner = _key_of(row.sealed)
        if owner != self._id:
            return row.traced(note=f"sealed to key {owner.hex()}")
        self.opened += 1
        try:
            plain = sealing.open_sealed(self._key, row.sealed, row.uuid.encode("ascii"))
            return row.traced(_identity(plain))
        except (sealing.SealError, ValueError):
            return row.traced(note="the sealed block does not open (altered or moved)")


def _audit(
    store: HubStore, request: TraceRequest, uuids: list[str], purpose: str, now: datetime
) -> None:
    """Commit one audit row per block about to be opened."""
    if not uuids:
        return
    at = utc_iso(now)
    with store.write() as conn:
        conn.executemany(
            "INSERT INTO decryption_audit (at, case_id, operator, entry_uuid, purpose) "
            "VALUES (?, ?, ?, ?, ?)",
            ((at, request.case_id, request.operator, uuid, purpose) for uuid in uuids),
        )


def _search(
    store: HubStore, opener: _Opener, request: TraceRequest, now: datetime
) -> list[TracedEntry]:
    """The entries of the last `days` whose identity matches the request (all opened)."""
    since = now - timedelta(days=request.days)
    bounds = {"minute": _minute_text(since), "received": utc_iso(since), "after": 0}
    sql = (
        f"SELECT rowid, {_COLUMNS} FROM entries WHERE sealed IS NOT NULL AND rowid > :after "
        "AND (minute >= :minute OR received_at >= :received) ORDER BY rowid LIMIT " + str(_CHUNK)
    )
    found: list[TracedEntry] = []
    while True:
        with store.read() as conn:
            chunk = conn.execute(sql, bounds).fetchall()
        if not chunk:
            return found
        bounds["after"] = chunk[-1][0]
        for entry in opener.open([_Row(*row[1:]) for row in chunk], SEARCH):
            if entry.identity is not None and _same_person(entry.identity, request):
                found.append(entry)


def _rows_by_uuid(store: HubStore, uuids: Iterable[str]) -> list[_Row]:
    wanted = list(dict.fromkeys(uuids))
    with store.read() as conn:
        rows = [_select(conn, "uuid = ?", (uuid,)) for uuid in wanted]
    missing = [uuid for uuid, found in zip(wanted, rows, strict=True) if not found]
    if missing:
        raise TracingError(f"the hub holds no entry {missing[0]} (unknown, or already purged)")
    return [found[0] for found in rows]


def _co_located(store: HubStore, case: list[TracedEntry], window: int) -> list[_Row]:
    """Entries at a case entry's station and checkpoint within ± `window` minutes of it."""
    case_uuids = {entry.uuid for entry in case}
    seen: dict[str, _Row] = {}
    with store.read() as conn:
        for entry in case:
            at = datetime.strptime(entry.minute, "%Y-%m-%dT%H:%MZ")
            low, high = (_minute_text(at + timedelta(minutes=m)) for m in (-window, window))
            where = "station_id = ? AND checkpoint_id = ? AND minute BETWEEN ? AND ?"
            for row in _select(conn, where, (entry.station_id, entry.checkpoint_id, low, high)):
                if row.uuid not in case_uuids:
                    seen.setdefault(row.uuid, row)
    return sorted(seen.values(), key=lambda r: (r.station_id, r.checkpoint_id, r.minute, r.uuid))


def _select(conn: sqlite3.Connection, where: str, args: tuple[object, ...]) -> list[_Row]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM entries WHERE {where}", args).fetchall()
    return [
        _Row(uuid, station, checkpoint, minute, direction, verdict, _blob(sealed))
        for uuid, station, checkpoint, minute, direction, verdict, sealed in rows
    ]


def _blob(value: bytes | None) -> bytes | None:
    return None if value is None else bytes(value)


def audit_trail(conn: sqlite3.Connection, case_id: str | None = None) -> list[AuditRecord]:
    """Every decryption, oldest first (optionally of one case)."""
    sql = "SELECT id, at, case_id, operator, entry_uuid, purpose FROM decryption_audit"
    args: tuple[str, ...] = ()
    if case_id is not None:
        sql, args = sql + " WHERE case_id = ?", (case_id,)
    return [AuditRecord(*row) for row in conn.execute(sql + " ORDER BY id", args)]


def _key_of(block: bytes) -> bytes:
    try:
        return sealing.sealed_key_id(block)
    except sealing.SealError:
        return b""


def _identity(plain: bytes) -> Identity:
    """The identity block's fields; ValueError when it is not the station's JSON object."""
    document = json.loads(plain.decode("utf-8"))
    if not isinstance(document, dict):
        raise ValueError("the identity block is not a JSON object")
    values = [document.get(k) for k in ("name", "date_of_birth", "credential_id")]
    if not all(isinstance(value, str) for value in values):
        raise ValueError("the identity block lacks a field")
    return Identity(*(str(value) for value in values))


def _same_person(identity: Identity, request: TraceRequest) -> bool:
    """Same date of birth and the same name words, whatever their order, case and accents."""
    wanted_dob = (request.date_of_birth or "").strip()
    return identity.date_of_birth.strip() == wanted_dob and _name_key(identity.name) == _name_key(
        request.name or ""
    )


def _name_key(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return sorted(_LABEL.findall(plain))


def _minute_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ")
