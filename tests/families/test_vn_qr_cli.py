"""`station verify` on national QRs, from text and from a QR image, against a synced status list.

The station's cache is the one a sync fills (`<data dir>/cache.sqlite`); the verdict, the exit
status and the words a guard reads come from the status list, and the ID number never appears
in the output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from vn_helpers import ISSUED, NOW, fill_status_list, person

from station.cache.database import open_cache
from station.cache.status_list import StatusFlags
from station.cli.main import main
from station.issuer.vn_qr import bhyt_text, cccd_text, pccovid_text, vn_qr_png
from station.paths import cache_db_path

STATION = [sys.executable, "-m", "station.cli.main"]
AT = ["--at", NOW.isoformat()]


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    """A station whose cache holds a status list: one person vaccinated, one positive."""
    base = tmp_path / "station"
    base.mkdir()
    with open_cache(cache_db_path(base)) as cache:
        fill_status_list(
            cache,
            [
                (person(1).id_number, StatusFlags.VACCINATED, NOW + timedelta(days=30)),
                (person(2).id_number, StatusFlags.POSITIVE | StatusFlags.ISOLATING, None),
            ],
        )
    return base


def test_a_vaccinated_person_s_id_card_is_valid(data_dir, capsys):
    text = cccd_text(person(1), ISSUED)
    assert main(["--data-dir", str(data_dir), "verify", *AT, text]) == 0
    out = capsys.readouterr().out
    assert out.startswith("VALID")
    assert "Vietnam chip ID card (CCCD) QR" in out and person(1).name in out
    assert person(1).id_number not in out


def test_a_positive_person_s_personal_qr_is_invalid_and_says_why(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "verify", *AT, pccovid_text(person(2))]) == 1
    out = capsys.readouterr().out
    assert out.startswith("INVALID")
    assert "records this person as testing positive" in out
    assert "STATUS_POSITIVE" in out and person(2).id_number not in out


def test_an_unknown_person_is_checked_by_hand(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "verify", *AT, cccd_text(person(3), ISSUED)]) == 3
    out = capsys.readouterr().out
    assert out.startswith("CHECK MANUALLY") and "ask for a signed pass" in out


def test_a_station_without_a_list_asks_for_a_signed_pass(tmp_path, capsys):
    empty = tmp_path / "empty"
    assert main(["--data-dir", str(empty), "verify", *AT, cccd_text(person(1), ISSUED)]) == 3
    assert "no national status list" in capsys.readouterr().out


def test_after_the_entry_expired_the_guard_checks_by_hand(data_dir, capsys):
    later = ["--at", (NOW + timedelta(days=31)).isoformat()]
    assert main(["--data-dir", str(data_dir), "verify", *later, cccd_text(person(1), ISSUED)]) == 3
    assert "STATUS_ENTRY_EXPIRED" in capsys.readouterr().out


def test_a_damaged_line_is_invalid_with_the_reason(data_dir, capsys):
    text = cccd_text(person(1), ISSUED).replace("|Nam|", "|Male|").replace("|Nữ|", "|Male|")
    assert main(["--data-dir", str(data_dir), "verify", *AT, text]) == 1
    assert "VN_QR_MALFORMED" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [(1, "VALID", 0), (2, "INVALID", 1), (3, "CHECK_MANUALLY", 3)],
)
def test_from_a_qr_image_as_json(data_dir, tmp_path, who, status, code):
    image = tmp_path / "cccd.png"
    image.write_bytes(vn_qr_png(cccd_text(person(who), ISSUED)))
    proc = subprocess.run(
        [*STATION, "--data-dir", str(data_dir), "verify", *AT, "--image", str(image), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == code, proc.stderr
    answer = json.loads(proc.stdout)
    assert (answer["status"], answer["format"]) == (status, "vn_cccd")
    assert answer["checks"]["image"]["ok"] is True
    assert answer["holder"]["name"] == person(who).name
    assert answer["decoded_text"] is None
    assert answer["details"]["status"]["id_type"] == "cccd"
    assert person(who).id_number not in proc.stdout and "Traceback" not in proc.stderr


def test_a_health_insurance_card_image_identifies_without_a_lookup(data_dir, tmp_path):
    image = tmp_path / "bhyt.png"
    image.write_bytes(vn_qr_png(bhyt_text(person(1), valid_from=ISSUED)))
    proc = subprocess.run(
        [*STATION, "--data-dir", str(data_dir), "verify", *AT, "--image", str(image), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 3, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["reason"] == "STATUS_NOT_SEARCHABLE" and answer["format"] == "vn_bhyt"
    assert answer["holder"]["name"] == person(1).name
