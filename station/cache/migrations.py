"""The cache schema, as numbered SQL scripts: script N brings a file to `PRAGMA user_version` N.

Scripts are only ever appended: a released script never changes, because stations in the field
have already run it. `open_cache` backs a file up before running any script on it.

Sizing notes for the two large tables (revocations and status entries reach ten million rows):
both are `WITHOUT ROWID`, so the primary key *is* the table and no second B-tree is kept; keys
and hashes are BLOBs (16 bytes, not 24 in base64 or 32 in hex), the kid is 8 bytes or empty for
the EU pseudo-kid UNKNOWN_KID, the hash type is the small integer of `HashType`, and dates are
INTEGER unix seconds (a few bytes in SQLite's varint encoding).
"""

from __future__ import annotations

import sqlite3

#: Version 1. The first statements adopt the signer table of the standalone trust store (schema 0:
#: same columns, no `origin`) when the file already holds one, so an existing trust file opens
#: as a cache with its certificates marked as manually imported.
V1_INITIAL = """
CREATE TABLE IF NOT EXISTS signer_certificates (
    fingerprint TEXT PRIMARY KEY, kid TEXT, der BLOB, country TEXT, not_before TEXT,
    not_after TEXT, allowed_types TEXT, key TEXT, source TEXT, added_at TEXT
);
ALTER TABLE signer_certificates RENAME TO signer_certificates_v0;

CREATE TABLE signer_certificates (
    fingerprint TEXT PRIMARY KEY,
    kid TEXT NOT NULL,
    der BLOB NOT NULL,
    country TEXT NOT NULL,
    not_before TEXT NOT NULL,
    not_after TEXT NOT NULL,
    allowed_types TEXT NOT NULL,
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    added_at TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'sync'))
);
INSERT INTO signer_certificates
    SELECT fingerprint, kid, der, country, not_before, not_after, allowed_types, key, source,
           added_at, 'manual'
    FROM signer_certificates_v0;
DROP TABLE signer_certificates_v0;
CREATE INDEX signer_certificates_by_kid ON signer_certificates (kid);

CREATE TABLE removed_signers (
    fingerprint TEXT PRIMARY KEY,
    kid TEXT NOT NULL,
    removed_at TEXT NOT NULL,
    version INTEGER
);
CREATE INDEX removed_signers_by_kid ON removed_signers (kid);

CREATE TABLE revocations (
    hash BLOB NOT NULL CHECK (length(hash) = 16),
    hash_type INTEGER NOT NULL CHECK (hash_type IN (1, 2, 3)),
    kid BLOB NOT NULL CHECK (length(kid) IN (0, 8)),
    expires INTEGER,
    PRIMARY KEY (hash, hash_type, kid)
) WITHOUT ROWID;

CREATE TABLE status_entries (
    key BLOB PRIMARY KEY CHECK (length(key) = 16),
    flags INTEGER NOT NULL,
    valid_until INTEGER
) WITHOUT ROWID;

CREATE TABLE status_params (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    algorithm TEXT NOT NULL,
    salt BLOB NOT NULL,
    memory_kib INTEGER NOT NULL,
    iterations INTEGER NOT NULL,
    lanes INTEGER NOT NULL,
    length INTEGER NOT NULL
);

CREATE TABLE rules (
    hash TEXT PRIMARY KEY,
    identifier TEXT NOT NULL,
    version TEXT NOT NULL,
    country TEXT NOT NULL,
    body BLOB NOT NULL
);

CREATE TABLE value_sets (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    body BLOB NOT NULL
);

CREATE TABLE sync_state (
    source TEXT PRIMARY KEY,
    version INTEGER,
    etag TEXT,
    resume_token TEXT,
    last_attempt_at TEXT,
    last_success_at TEXT,
    data_expires_at TEXT,
    item_count INTEGER,
    last_error_code TEXT,
    last_error_message TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT
);
"""

#: Version 2: revocation lists as the EU distribution service (DRL) ships them. A list per kid
#: (b"" for UNKNOWN_KID) with its partitioning mode and the hash types it covers (a bit mask of
#: 1 << HashType); partitions as metadata; slices as the binary filters they arrived as, so
#: their SHA-256 can be compared with the backend's slice hash on the next sync. Slices are
#: keyed by partition coordinates x and y ('' where the mode has none) rather than by partition
#: id, because a lookup derives x, y and chunk from the hash itself. They are ordinary rowid
#: tables: a slice is kilobytes, too large a row for WITHOUT ROWID to pay off.
V2_DRL = """
CREATE TABLE drl_lists (
    kid BLOB PRIMARY KEY CHECK (length(kid) IN (0, 8)),
    mode TEXT NOT NULL CHECK (mode IN ('POINT', 'VECTOR', 'COORDINATE')),
    hash_types INTEGER NOT NULL,
    expires INTEGER,
    last_updated TEXT NOT NULL
);

CREATE TABLE drl_partitions (
    kid BLOB NOT NULL,
    partition_id TEXT NOT NULL,
    x TEXT NOT NULL,
    y TEXT NOT NULL,
    last_updated TEXT,
    expires INTEGER,
    PRIMARY KEY (kid, partition_id)
);

CREATE TABLE drl_slices (
    kid BLOB NOT NULL,
    x TEXT NOT NULL,
    y TEXT NOT NULL,
    chunk TEXT NOT NULL,
    expires INTEGER NOT NULL,
    hash TEXT NOT NULL CHECK (length(hash) = 64),
    filter_type TEXT NOT NULL CHECK (filter_type IN ('BLOOMFILTER', 'VARHASHLIST')),
    data BLOB NOT NULL,
    PRIMARY KEY (kid, x, y, chunk, expires)
);
CREATE INDEX drl_slices_by_expiry ON drl_slices (expires);
"""

#: Version 3: issuer keys of the credential families that are not EU DCCs (SMART Health Cards,
#: NZ COVID Pass, ICAO VDS-NC, DIVOC, ...). A key is kept as the JSON object its family publishes
#: it in (a public JWK; for certificate-based families `{"x5c": [...]}`), under the issuer and kid
#: a credential names. Per-credential revocations (SHC `rid`s) are kept with their optional
#: cut-off: a rid with a cut-off revokes only credentials issued before it.
V3_ISSUER_KEYS = """
CREATE TABLE issuer_keys (
    family TEXT NOT NULL,
    issuer TEXT NOT NULL,
    kid TEXT NOT NULL,
    key_json TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'sync')),
    crl_version INTEGER,
    added_at TEXT NOT NULL,
    PRIMARY KEY (family, issuer, kid)
);

CREATE TABLE issuer_revocations (
    family TEXT NOT NULL,
    issuer TEXT NOT NULL,
    kid TEXT NOT NULL,
    rid TEXT NOT NULL,
    cutoff INTEGER,
    PRIMARY KEY (family, issuer, kid, rid)
);
"""

#: Version 4: SMART Health Cards name only a kid before their signature is checked (the issuer is
#: inside the signed payload), so keys are also found by (family, kid) in one lookup.
V4_KEYS_BY_KID = """
CREATE INDEX issuer_keys_by_kid ON issuer_keys (family, kid);
"""

#: Script N (1-based) migrates a file from version N-1 to version N.
MIGRATIONS: tuple[str, ...] = (V1_INITIAL, V2_DRL, V3_ISSUER_KEYS, V4_KEYS_BY_KID)

#: The schema version this code reads and writes.
LATEST_VERSION = len(MIGRATIONS)

#: Every cache table with the columns that order its rows, for `content_digest`.
TABLE_ORDER: tuple[tuple[str, str], ...] = (
    ("signer_certificates", "fingerprint"),
    ("removed_signers", "fingerprint"),
    ("revocations", "hash, hash_type, kid"),
    ("status_params", "id"),
    ("status_entries", "key"),
    ("rules", "hash"),
    ("value_sets", "id"),
    ("drl_lists", "kid"),
    ("drl_partitions", "kid, partition_id"),
    ("drl_slices", "kid, x, y, chunk, expires"),
    ("issuer_keys", "family, issuer, kid"),
    ("issuer_revocations", "family, issuer, kid, rid"),
    ("sync_state", "source"),
)


def statements(script: str) -> list[str]:
    """The complete SQL statements of `script`, one by one, so they can run in one transaction.

    (`executescript` would commit a pending transaction first.)
    """
    found: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                found.append(pending.strip())
            pending = ""
    if pending.strip(" \n;"):
        raise ValueError("the migration script ends with an incomplete statement")
    return found
