"""The data sources a managed station keeps fresh, by the names sync state and status use."""

from __future__ import annotations

#: In the order a sync pass visits them and `station status` lists them.
SYNCED_SOURCES: tuple[str, ...] = (
    "trust-list",
    "revocations",
    "drl",
    "rules",
    "valuesets",
    "status-list",
    "issuer-keys",
)

#: What each source is, in the words a guard or technician reads on the status screen.
SOURCE_TITLES: dict[str, str] = {
    "trust-list": "Trusted pass issuers",
    "revocations": "Revoked passes",
    "drl": "EU revocation lists",
    "rules": "Entry rules",
    "valuesets": "Vaccine and test codes",
    "status-list": "National health status list",
    "issuer-keys": "Other pass issuers (SHC, NZCP, ...)",
}
