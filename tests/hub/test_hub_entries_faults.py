"""Lost acknowledgements (T25): the hub commits, then drops the connection or answers 5xx."""

from __future__ import annotations

import pytest
import requests
from hub_entries_helpers import ENTRIES, PURGE_REPORTS, held_uuids, statuses

from sync.hub import Faults

pytest_plugins = ["hub_fixtures"]


def test_drop_after_commit_stores_the_batch_and_the_retry_is_answered(hub, server, uploader):
    entries = [uploader.entry() for _ in range(5)]
    server.faults.add(ENTRIES, "drop_after_commit", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        uploader.upload(entries)
    assert held_uuids(hub) == [e["uuid"] for e in entries]
    retry = uploader.upload(entries)  # same body, same Idempotency-Key: the missed answer
    assert statuses(retry) == ["stored"] * 5 and retry.json()["seq_floor"] == 5
    rebatched = uploader.upload(entries[2:] + [uploader.entry()])  # another key
    assert statuses(rebatched) == ["duplicate"] * 3 + ["stored"]
    with hub.read() as conn:
        count, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT uuid) FROM entries"
        ).fetchone()
    assert count == distinct == 6


@pytest.mark.parametrize(("params", "status"), [({}, 504), ({"status": 503}, 503)])
def test_status_after_commit_answers_an_error_for_a_committed_batch(
    hub, server, uploader, params, status
):
    entries = [uploader.entry() for _ in range(3)]
    server.faults.add(ENTRIES, "status_after_commit", times=2, **params)
    refused = uploader.upload(entries)
    assert (refused.status_code, refused.json()["code"]) == (status, "INJECTED_FAULT")
    assert refused.headers["Connection"] == "close"
    assert len(held_uuids(hub)) == 3
    assert uploader.upload(entries).status_code == status
    assert statuses(uploader.upload(entries)) == ["stored"] * 3
    assert statuses(uploader.upload(entries, key="a-fresh-key-0123456789")) == ["duplicate"] * 3
    assert len(held_uuids(hub)) == 3


def test_after_commit_faults_work_on_any_path(hub, server, uploader, client):
    server.faults.add(PURGE_REPORTS, "status_after_commit", times=1)
    report_id = "0b9f8f3e-6c57-4d2c-9a55-2f0d3c1e7a10"
    assert uploader.purge_report(id=report_id).status_code == 504
    assert uploader.purge_report(id=report_id).json() == {"status": "duplicate"}
    server.faults.add("/healthz", "drop_after_commit", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        client.get("/healthz")
    assert client.get("/healthz").status_code == 200
    server.faults.add("/station/v1/bundles", "status_after_commit", status=500, times=1)
    assert client.get("/station/v1/bundles/trust-list").status_code == 500
    assert client.get("/station/v1/bundles/trust-list").status_code == 200


def test_after_commit_fault_parameters_are_checked():
    faults = Faults()
    with pytest.raises(ValueError):
        faults.add("/", "drop_after_commit", status=504)
    with pytest.raises(ValueError):
        faults.add("/", "status_after_commit", retry_after=3)
    faults.add("/x", "status_after_commit", times=1)
    taken = faults.take("/x/y")
    assert (taken.kind, taken.params) == ("status_after_commit", {"status": 504})
