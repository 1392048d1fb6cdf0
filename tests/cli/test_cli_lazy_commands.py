"""`station` imports only the command it runs: a kiosk restarted after a crash does not wait for
the scanner, the hub and the demo to import (reliability plan T31)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from station.cli.main import BUILTIN_COMMANDS, build_parser, main

PLUGINS = {"enroll", "sync", "hub", "upload", "run"}


def registered(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    raise AssertionError("no subcommands")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["verify", "HC1:x"], {"verify"}),
        (["--data-dir", "/tmp/somewhere", "status"], {"status"}),
        (["--data-dir=/tmp/somewhere", "log", "--help"], {"log"}),
        (["run", "--kiosk"], {"run"}),
        (["hub", "serve"], {"hub"}),
        (["--version"], set()),
    ],
)
def test_only_the_chosen_command_is_registered(argv: list[str], expected: set[str]) -> None:
    assert registered(build_parser(argv)) == expected


@pytest.mark.parametrize(
    "argv", [None, [], ["--help"], ["-h", "run"], ["no-such-command"], ["--data-dir"]]
)
def test_help_errors_and_no_arguments_list_every_command(argv: list[str] | None) -> None:
    assert registered(build_parser(argv)) == set(BUILTIN_COMMANDS) | PLUGINS


def test_an_unknown_command_is_refused_with_the_full_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["no-such-command"])
    assert stop.value.code == 2
    message = capsys.readouterr().err
    assert "invalid choice: 'no-such-command'" in message
    assert "verify" in message and "run" in message


def test_the_plugin_demo_takes_over_the_core_demo() -> None:
    parser = build_parser(["demo", "--headless"])
    args = parser.parse_args(["demo", "--headless"])
    assert args.handler.__module__.startswith("gui.demo")


def imported_after(argv: list[str]) -> set[str]:
    """The modules a fresh interpreter holds after parsing `argv` (the command is not run)."""
    probe = (
        "import sys\n"
        "from station.cli.main import build_parser\n"
        f"build_parser({argv!r}).parse_args({argv!r})\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return set(out.split())


def test_a_core_command_imports_no_other_command_module() -> None:
    modules = imported_after(["status"])
    assert "station.cli.status_command" in modules
    for other in ("station.cli.demo_command", "station.cli.scan_command", "sync.hub.hub"):
        assert other not in modules
    assert not any(name.startswith(("gui", "PySide6")) for name in modules)


def test_the_kiosk_command_does_not_import_the_hub_or_the_demos() -> None:
    modules = imported_after(["run", "--kiosk"])
    assert "gui.cli" in modules
    for other in ("sync.hub.hub", "station.cli.demo_command", "gui.demo.run", "sync.upload.cli"):
        assert other not in modules


def test_a_malformed_option_is_reported_once(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--data-dir"])
    assert capsys.readouterr().err.count("expected one argument") == 1


def test_the_safe_state_command_runs_without_the_scan_stack(tmp_path: Path) -> None:
    """The kiosk unit's ExecStopPost must finish well inside TimeoutStopSec after every crash
    or watchdog kill, on a Pi's CPU too: the gate's safe state loads no NumPy or OpenCV."""
    argv = ["--data-dir", str(tmp_path), "doctor", "--safe-state"]
    probe = (
        "import sys\n"
        "from station.cli.main import main\n"
        f"code = main({argv!r})\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "no gate configured"
    modules = set(done.stderr.split())
    assert "station.adapters.gate" in modules
    assert not modules & {"numpy", "cv2", "PySide6", "cryptography"}
