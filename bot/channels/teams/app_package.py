"""Build the Teams app package: manifest.json filled from settings, plus the two icons."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.settings import Settings

PACKAGE_DIR = Path(__file__).resolve().parent / "package"
ICONS = ("color.png", "outline.png")
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
_PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")


class PackageError(Exception):
    """The package cannot be built; the message says which setting to fix."""


@dataclass(frozen=True)
class PackageOptions:
    version: str = "1.0.0"
    developer: str = "microcred"
    privacy_url: str = ""
    terms_url: str = ""


def _fill(node: Any, values: dict[str, str]) -> Any:
    if isinstance(node, str):
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], node)
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    return node


def _https(url: str, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise PackageError(f"{what} must be an https:// URL (got '{url or 'nothing'}')")
    return url


def manifest(settings: Settings, options: PackageOptions = PackageOptions()) -> dict[str, Any]:
    """manifest.json: the bot id from MICROSOFT_APP_ID, the URLs from PUBLIC_BASE_URL."""
    bot_id = settings.microsoft_app_id.strip()
    if not GUID.match(bot_id):
        raise PackageError(
            "MICROSOFT_APP_ID must be the bot's Microsoft App ID, a GUID like "
            f"00000000-0000-0000-0000-000000000000 (got '{bot_id or 'nothing'}')"
        )
    base = _https(settings.public_base_url.strip().rstrip("/"), "PUBLIC_BASE_URL")
    if not SEMVER.match(options.version):
        raise PackageError(f"--version must look like 1.0.0 (got '{options.version}')")
    if not 0 < len(options.developer) <= 32:
        raise PackageError("--developer must be 1 to 32 characters")
    values = {
        "BOT_ID": bot_id,
        "VERSION": options.version,
        "DEVELOPER": options.developer,
        "WEBSITE_URL": base,
        "PRIVACY_URL": _https(options.privacy_url or f"{base}/privacy", "--privacy-url"),
        "TERMS_URL": _https(options.terms_url or f"{base}/terms", "--terms-url"),
        "PUBLIC_HOST": str(urlsplit(base).netloc),
    }
    template = json.loads((PACKAGE_DIR / "manifest.json").read_text(encoding="utf-8"))
    filled: dict[str, Any] = _fill(template, values)
    return filled


def build_package(settings: Settings, options: PackageOptions = PackageOptions()) -> bytes:
    """The zip to upload in Teams: manifest.json, color.png and outline.png at its root."""
    data = json.dumps(manifest(settings, options), indent=2, ensure_ascii=False)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", data + "\n")
        for icon in ICONS:
            archive.write(PACKAGE_DIR / icon, icon)
    return buffer.getvalue()
