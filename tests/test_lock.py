"""The lock file holds every dependency pyproject.toml asks for, pinned and hashed."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)")


def _locked(name: str = "lock.txt") -> dict[str, tuple[str, str]]:
    """Each locked distribution's version and its entry's text (pin, hashes, markers)."""
    entries: dict[str, tuple[str, str]] = {}
    current = ""
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            entries[current] = (match[2], line)
        elif current and line.startswith("    --hash="):
            version, text = entries[current]
            entries[current] = (version, text + "\n" + line)
    return entries


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    build = (ROOT / "requirements" / "build.in").read_text().splitlines()
    lines += [line for line in build if line.strip() and not line.startswith("#")]
    return [Requirement(line) for line in lines]


def test_every_dependency_is_locked_at_a_version_it_accepts() -> None:
    locked = _locked()
    problems = []
    for requirement in _wanted():
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{requirement} is not in the lock file")
        elif not requirement.specifier.contains(locked[name][0], prereleases=True):
            problems.append(f"{requirement} but the lock holds {locked[name][0]}")
    assert not problems, "run `make lock`: " + "; ".join(problems)


def test_every_locked_distribution_has_a_hash() -> None:
    locked = {**_locked(), **_locked("pip.txt")}
    unhashed = [name for name, (_, text) in locked.items() if "--hash=sha256:" not in text]
    assert len(locked) > 50 and "pip" in locked
    assert not unhashed
