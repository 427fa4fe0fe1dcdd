"""1EdTech's own OB 2.0 validator (PyPI badgecheck, in its own venv) accepts our badges."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.application import Application
from storage.models import BadgeAward
from tests.credentials.conftest import Person as Learner
from tests.credentials.conftest import complete

RUNNER = Path(__file__).with_name("badgecheck_runner.py")
# The pins that make badgecheck 1.2.0 install and import on Python 3.11
# (see ../shared/conformance/README.md): the package itself without its dependencies, then these.
PINS = (
    "aniso8601>=1.2.0",
    "Click==6.7",
    "future>=0.16.0",
    "jsonschema==2.6.0",
    "language-tags==0.4.3",
    "openbadges-bakery==1.2.4",
    "puremagic==1.6",
    "pycryptodome>=3.9,<4",
    "pydux==0.2.2",
    "PyLD==0.7.1",
    "python-jose>=3.3,<4",
    "python-mimeparse==1.6.0",
    "pytz>=2023",
    "requests>=2.13",
    "requests-cache<1.0",
    "rfc3986==0.4.1",
    "validators==0.11.2",
)


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    version = f"py{sys.version_info.major}.{sys.version_info.minor}"
    return base / "microcred-badgecheck" / version


def _venv_python() -> Path:
    """badgecheck's own virtualenv, created once per machine; skips when it cannot be."""
    venv = _cache_dir()
    python = venv / "bin" / "python"
    ready = venv / ".ready"
    if ready.exists() and python.exists():
        return python
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "badgecheck==1.2.0"],
        [str(python), "-m", "pip", "install", "-q", *PINS],
        [str(python), "-c", "from openbadges import verify"],
    ]
    for step in steps:
        try:
            run = subprocess.run(step, capture_output=True, text=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"cannot create the badgecheck virtualenv: {exc}")
        if run.returncode != 0:
            last = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["?"]
            pytest.skip(f"cannot create the badgecheck virtualenv ({step[2:4]}): {last[0]}")
    ready.write_text("badgecheck 1.2.0\n")
    return python


@pytest.fixture(scope="module")
def badgecheck() -> Path:
    return _venv_python()


async def validate(python: Path, source: str, context: Path) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        str(python),
        str(RUNNER),
        source,
        str(context),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()[-2000:]
    return dict(json.loads(out.decode().strip().splitlines()[-1]))


async def test_badgecheck_validates_hosted_assertion_and_baked_png(
    shared: Path, badgecheck: Path, sqlite_services: Application, server: str, tmp_path: Path
) -> None:
    context = shared / "openbadges2" / "context-v2.json"
    learner = Learner(sqlite_services.router, "ann", email="ann@example.com")
    await complete(learner)
    async with sqlite_services.database.transaction() as session:
        uid = await session.scalar(select(BadgeAward.uid))
    assertion = f"{server}/ob2/assertions/{uid}"
    report = await validate(badgecheck, assertion, context)
    assert report["valid"] is True and report["errorCount"] == 0, report["messages"]
    png = tmp_path / "baked.png"
    data = await asyncio.to_thread(
        lambda: urllib.request.urlopen(f"{server}/badges/{uid}/badge.png", timeout=10).read()
    )
    png.write_bytes(data)
    report = await validate(badgecheck, str(png), context)
    assert report["valid"] is True and report["errorCount"] == 0, report["messages"]
    assert report["validationSubject"] == assertion
    feature = sqlite_services.credentials
    assert feature is not None
    await feature.revoke_by_admin(str(uid), "Issued by mistake")
    assert (await validate(badgecheck, assertion, context))["valid"] is False
