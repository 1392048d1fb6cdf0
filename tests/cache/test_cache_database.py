"""Opening the cache: migrations from older files, backups, refusal of newer files, transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.cache.database import CacheDatabase, backup_path, open_cache
from station.cache.migrations import LATEST_VERSION, TABLE_ORDER, statements
from station.errors import ConfigError
from station.issuer.pki import make_signer
from station.paths import cache_db_path, trust_db_path


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[CacheDatabase]:
    opened = open_cache(tmp_path / "cache.sqlite")
    yield opened
    opened.close()


def _raw(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in sql:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _sync_row(cache: CacheDatabase, source: str) -> None:
    cache.conn.execute("INSERT INTO sync_state (source, version) VALUES (?, 1)", (source,))


def test_a_new_file_gets_every_table_at_the_latest_version(tmp_path: Path):
    path = tmp_path / "sub" / "cache.sqlite"
    with open_cache(path) as cache:
        assert cache.schema_version() == LATEST_VERSION
        tables = {r[0] for r in cache.conn.execute("SELECT name FROM sqlite_master")}
        assert {name for name, _ in TABLE_ORDER} <= tables
        assert cache.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cache.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert not backup_path(path, 0).exists(), "an empty new file needs no backup"


def test_the_large_tables_have_no_rowid(cache: CacheDatabase):
    for table in ("revocations", "status_entries"):
        sql = cache.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()[0]
        assert sql.rstrip().endswith("WITHOUT ROWID")


def test_reopening_a_current_file_keeps_data_and_makes_no_backup(tmp_path: Path):
    path = tmp_path / "cache.sqlite"
    with open_cache(path) as cache:
        _sync_row(cache, "rules")
        digest = cache.content_digest()
    with open_cache(path) as cache:
        assert cache.content_digest() == digest
    assert list(tmp_path.glob("*.bak-v*")) == []


def test_a_legacy_trust_file_is_backed_up_and_migrated_with_its_certificates(tmp_path: Path):
    path = tmp_path / "trust.sqlite"
    signer = make_signer(country="VN")
    _raw(
        path,
        "CREATE TABLE signer_certificates (fingerprint TEXT PRIMARY KEY, kid TEXT, der BLOB, "
        "country TEXT, not_before TEXT, not_after TEXT, allowed_types TEXT, key TEXT, "
        "source TEXT, added_at TEXT)",
        "CREATE INDEX idx_signer_certificates_kid ON signer_certificates (kid)",
    )
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO signer_certificates VALUES ('fp', 'a2lk', ?, 'VN', 'nb', 'na', 'any', "
        "'EC-secp256r1', 'old.pem', '2025-01-01T00:00:00+00:00')",
        (signer.der,),
    )
    conn.commit()
    conn.close()

    with open_cache(path) as cache:
        assert cache.schema_version() == LATEST_VERSION
        rows = cache.conn.execute(
            "SELECT fingerprint, der, source, origin FROM signer_certificates"
        )
        assert rows.fetchall() == [("fp", signer.der, "old.pem", "manual")]

    backup = sqlite3.connect(backup_path(path, 0))
    try:
        assert backup.execute("PRAGMA user_version").fetchone()[0] == 0
        assert backup.execute("SELECT fingerprint FROM signer_certificates").fetchall() == [("fp",)]
    finally:
        backup.close()


def test_a_file_from_a_newer_release_is_refused_untouched(tmp_path: Path):
    path = tmp_path / "cache.sqlite"
    _raw(path, "CREATE TABLE future (x)", f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(ConfigError, match=r"newer release.*Update the station software"):
        open_cache(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION + 1
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["future"]
    finally:
        conn.close()
    assert list(tmp_path.glob("*.bak-v*")) == []


def test_a_file_that_is_not_sqlite_is_a_config_error(tmp_path: Path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"definitely not a database, just some text " * 100)
    with pytest.raises(ConfigError, match="not a station cache"):
        open_cache(path)


def test_a_failing_migration_leaves_the_old_version(tmp_path: Path):
    path = tmp_path / "cache.sqlite"
    _raw(path, "CREATE TABLE rules (unrelated TEXT)")  # clashes with the first migration
    with pytest.raises(sqlite3.OperationalError):
        open_cache(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert names == {"rules"}, "the partial migration was rolled back"
    finally:
        conn.close()
    assert backup_path(path, 0).exists()


def test_transaction_commits_or_rolls_back_everything(cache: CacheDatabase):
    with cache.transaction():
        _sync_row(cache, "a")
    before = cache.content_digest()
    with pytest.raises(RuntimeError), cache.transaction():
        _sync_row(cache, "b")
        raise RuntimeError("boom")
    assert not cache.conn.in_transaction
    assert cache.content_digest() == before
    assert [r[0] for r in cache.conn.execute("SELECT source FROM sync_state")] == ["a"]


def test_a_nested_transaction_joins_the_outer_one(cache: CacheDatabase):
    before = cache.content_digest()
    with pytest.raises(KeyError), cache.transaction():
        with cache.transaction():
            _sync_row(cache, "inner")
        assert cache.conn.in_transaction, "the inner block did not commit on its own"
        raise KeyError("outer fails after the inner block finished")
    assert cache.content_digest() == before


def test_the_digest_changes_with_any_row_and_depends_on_values_not_history(tmp_path: Path):
    with open_cache(tmp_path / "a.sqlite") as a, open_cache(tmp_path / "b.sqlite") as b:
        assert a.content_digest() == b.content_digest()
        _sync_row(a, "x")
        _sync_row(a, "y")
        _sync_row(b, "y")
        assert a.content_digest() != b.content_digest()
        _sync_row(b, "x")
        assert a.content_digest() == b.content_digest()
        b.conn.execute("UPDATE sync_state SET etag = '' WHERE source = 'x'")
        assert a.content_digest() != b.content_digest(), "NULL and '' differ"


def test_statements_split_on_semicolons_outside_strings():
    assert statements("SELECT 'a;b'; SELECT 2;\n") == ["SELECT 'a;b';", "SELECT 2;"]
    with pytest.raises(ValueError):
        statements("SELECT 1; SELECT 'unterminated")


def test_trust_and_cache_paths_name_the_same_file(tmp_path: Path):
    assert trust_db_path(tmp_path) == cache_db_path(tmp_path) == tmp_path / "cache.sqlite"
