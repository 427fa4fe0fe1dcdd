"""The Teams app package: manifest against Microsoft's schema, icons, and the CLI."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft7Validator, FormatChecker

from bot.channels.teams.app_package import PACKAGE_DIR, PackageError, build_package, manifest
from bot.channels.teams.icons import outline_icon
from bot.cli import main
from bot.settings import PROJECT_ROOT, Settings

APP_ID = "12345678-abcd-4ef0-9876-0123456789ab"
SCHEMA = PROJECT_ROOT.parent / "shared" / "conformance" / "teams-manifest"
NO_SCHEMA = "../shared/conformance/teams-manifest is absent (a fresh clone)"
SETTINGS = Settings(microsoft_app_id=APP_ID, public_base_url="https://learn.example.com/")


def validator() -> Draft7Validator:
    path = SCHEMA / "MicrosoftTeams.v1.17.schema.json"
    if not path.exists():
        pytest.skip(NO_SCHEMA)
    # The file says draft-04 but uses `const`: Draft 7 checks it (README in conformance/).
    return Draft7Validator(json.loads(path.read_text()), format_checker=FormatChecker())


def test_the_manifest_validates_against_the_teams_schema() -> None:
    checker = validator()
    filled = manifest(SETTINGS)
    assert sorted(e.message for e in checker.iter_errors(filled)) == []
    assert filled["id"] == filled["bots"][0]["botId"] == APP_ID
    assert filled["developer"]["privacyUrl"] == "https://learn.example.com/privacy"
    assert filled["validDomains"] == ["learn.example.com"]
    [commands] = filled["bots"][0]["commandLists"]
    assert [c["title"] for c in commands["commands"]] == [
        "Help",
        "Next lesson",
        "My progress",
        "Settings",
        "Pause",
    ]
    broken = {**filled, "manifestVersion": "1.99"}
    assert list(checker.iter_errors(broken))  # the validator really checks `const`


def _png(data: bytes) -> tuple[int, int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8
    idat, offset = b"", 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            idat += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    raw = zlib.decompress(idat)
    rows = [raw[y * (width * 4 + 1) + 1 : (y + 1) * (width * 4 + 1)] for y in range(height)]
    assert all(raw[y * (width * 4 + 1)] == 0 for y in range(height))  # unfiltered rows
    return width, height, colour, b"".join(rows)


def test_the_package_holds_the_manifest_and_transparent_icons() -> None:
    archive = zipfile.ZipFile(io.BytesIO(build_package(SETTINGS)))
    assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
    assert json.loads(archive.read("manifest.json"))["bots"][0]["botId"] == APP_ID
    width, height, colour, pixels = _png(archive.read("color.png"))
    assert (width, height, colour) == (192, 192, 6)
    assert pixels[3] == 0 and max(pixels[3::4]) == 255  # transparent corner, opaque medal
    width, height, colour, pixels = _png(archive.read("outline.png"))
    assert (width, height, colour) == (32, 32, 6)
    for i in range(0, len(pixels), 4):
        r, g, b, a = pixels[i : i + 4]
        assert a == 0 or (r, g, b) == (255, 255, 255)  # white on transparent only
    assert (PACKAGE_DIR / "outline.png").read_bytes() == outline_icon()  # regenerable


@pytest.mark.parametrize(
    ("app_id", "url", "problem"),
    [
        ("", "https://x.example", "MICROSOFT_APP_ID must be"),
        ("not-a-guid", "https://x.example", "MICROSOFT_APP_ID must be"),
        (APP_ID, "", "PUBLIC_BASE_URL must be an https:// URL"),
        (APP_ID, "http://x.example", "PUBLIC_BASE_URL must be an https:// URL"),
    ],
)
def test_missing_settings_are_explained(app_id: str, url: str, problem: str) -> None:
    with pytest.raises(PackageError, match=problem):
        build_package(Settings(microsoft_app_id=app_id, public_base_url=url))


def test_the_cli_writes_the_zip(tmp_path: Path) -> None:
    runner = CliRunner()
    output = tmp_path / "teams.zip"
    env = {"MICROSOFT_APP_ID": APP_ID, "PUBLIC_BASE_URL": "https://learn.example.com"}
    result = runner.invoke(
        main, ["teams-app", "package", "--output", str(output), "--version", "2.1.0"], env=env
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(zipfile.ZipFile(output).read("manifest.json"))
    assert data["version"] == "2.1.0" and data["developer"]["websiteUrl"] == env["PUBLIC_BASE_URL"]
    failed = runner.invoke(
        main,
        ["teams-app", "package", "--output", str(output)],
        env={"MICROSOFT_APP_ID": "", "PUBLIC_BASE_URL": ""},
    )
    assert failed.exit_code == 1 and "MICROSOFT_APP_ID must be" in failed.output
