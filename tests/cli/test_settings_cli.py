"""`station settings`: a persisted profile, freshness budgets and stale-data policy."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station.cli.main import main
from station.errors import ConfigError
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.pki import make_signer
from station.settings import StationSettings, load_settings, with_setting

NOW = datetime.now(UTC)


@pytest.fixture
def station_dir(tmp_path):
    signer = make_signer(algorithm="ES256", not_before=NOW - timedelta(days=30))
    (tmp_path / "dsc.der").write_bytes(signer.der)
    folder = str(tmp_path / "station")
    assert main(["--data-dir", folder, "trust", "import", str(tmp_path / "dsc.der")]) == 0
    text = issue_dcc(
        signer,
        vaccination_payload(),
        issued_at=NOW - timedelta(days=3),
        expires=NOW + timedelta(days=30),
    )
    return folder, text


def _verify(folder: str, text: str, capsys) -> dict:
    capsys.readouterr()
    main(["--data-dir", folder, "verify", "--json", text])
    return json.loads(capsys.readouterr().out)


def test_a_configured_profile_applies_without_the_option(station_dir, capsys):
    folder, text = station_dir
    assert "rules" not in _verify(folder, text, capsys)["checks"]
    assert main(["--data-dir", folder, "settings", "set", "profile", "checkpoint"]) == 0
    assert "rules" in _verify(folder, text, capsys)["checks"]
    assert main(["--data-dir", folder, "settings", "set", "profile", ""]) == 0
    assert "rules" not in _verify(folder, text, capsys)["checks"]


def test_an_unknown_profile_is_refused_when_set(station_dir, capsys):
    folder, _ = station_dir
    assert main(["--data-dir", folder, "settings", "set", "profile", "no-such-profile"]) == 2
    assert load_settings(Path(folder)).profile is None


def test_refuse_policy_turns_stale_verdicts_into_check_manually(station_dir, capsys):
    folder, text = station_dir
    (Path(folder) / "enrollment.json").write_text("{}")  # enrolled, but nothing ever synced
    verdict = _verify(folder, text, capsys)
    assert verdict["status"] == "VALID" and verdict["details"]["data"]["stale"] is True
    assert main(["--data-dir", folder, "settings", "set", "stale_data_policy", "refuse"]) == 0
    verdict = _verify(folder, text, capsys)
    assert verdict["status"] == "CHECK_MANUALLY"
    assert verdict["checks"]["data"]["code"] == "DATA_STALE"


def test_budgets_per_source_and_their_validation():
    settings = with_setting(StationSettings(), "per_source.revocations", "6,12")
    policy = settings.freshness_policy()
    assert policy.limits("revocations") == (timedelta(hours=6), timedelta(hours=12))
    assert policy.limits("rules") == (timedelta(hours=24), timedelta(hours=72))
    assert with_setting(settings, "per_source.revocations", "default").per_source == {}
    for key, value in [
        ("per_source.revocations", "12,6"),
        ("per_source.nonsense", "1,2"),
        ("warn_after_hours", "-1"),
        ("stale_data_policy", "ignore"),
        ("colour", "blue"),
    ]:
        with pytest.raises(ConfigError):
            with_setting(StationSettings(), key, value)


def test_a_damaged_settings_file_is_an_error_naming_the_file(station_dir, capsys):
    folder, text = station_dir
    (Path(folder) / "settings.json").write_text('{"profile": "checkpoint", "extra": 1}')
    assert main(["--data-dir", folder, "verify", text]) == 2
    assert "settings.json" in capsys.readouterr().err


def test_the_scan_budget_is_a_bounded_setting(tmp_path, capsys):
    folder = str(tmp_path / "station")
    assert main(["--data-dir", folder, "settings", "set", "scan_budget_ms", "120"]) == 0
    assert load_settings(Path(folder)).scan_budget_ms == 120.0
    for bad in ("1", "5000", "fast"):
        assert main(["--data-dir", folder, "settings", "set", "scan_budget_ms", bad]) == 2
    assert load_settings(Path(folder)).scan_budget_ms == 120.0
    args = ["--data-dir", folder, "scan", "--source", "dir:/nonexistent", "--budget-ms", "3"]
    assert main(args) == 2
    assert "--budget-ms" in capsys.readouterr().err
