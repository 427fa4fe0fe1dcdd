"""Content limits: YAML bombs, deep nesting and huge files are clear errors, never hangs."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content import Problem, load_library, validate_library
from bot.content.yaml_source import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES
from bot.settings import PROJECT_ROOT

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "library"
QUIZ = "quizzes/mini/check.yaml"
PROGRAM = "lessons/mini/program.yaml"
LESSON = "lessons/mini/intro.md"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    shutil.copytree(FIXTURE, root)
    return root


def billion_laughs(levels: int = 10, width: int = 9) -> str:
    """The classic bomb: each level is `width` aliases of the one before."""
    lines = ["id: check", 'lol0: &lol0 "lol"']
    for level in range(1, levels):
        aliases = ", ".join([f"*lol{level - 1}"] * width)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    return "\n".join(lines) + "\n"


HANG = 10
"""Seconds after which loading counts as hung (the unbounded loader ran for minutes)."""


def problems(root: Path) -> list[str]:
    _, found = validate_library(root)
    return [f"{p.path.relative_to(root)}:{p.line}: {p.message}" for p in found]


def test_billion_laughs_is_refused_fast_and_small(library: Path) -> None:
    (library / QUIZ).write_text(billion_laughs())
    tracemalloc.start()
    started = time.monotonic()
    try:
        found = problems(library)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < HANG, elapsed
    assert peak < 20 * 2**20, peak
    assert found == [
        f"{QUIZ}:7: too many aliases: YAML anchors may expand to at most {MAX_ALIAS_NODES:,} nodes"
    ]


def test_billion_laughs_through_the_cli(library: Path) -> None:
    (library / QUIZ).write_text(billion_laughs())
    run = subprocess.run(
        [sys.executable, "-m", "bot", "content", "validate", str(library)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.strip().splitlines() == [
        f"{library / QUIZ}:7: too many aliases: YAML anchors may expand to at most "
        f"{MAX_ALIAS_NODES:,} nodes"
    ]
    assert "Traceback" not in run.stdout + run.stderr


def test_bomb_in_lesson_front_matter_names_the_lesson_line(library: Path) -> None:
    front = billion_laughs().replace("id: check", "id: intro")
    (library / LESSON).write_text(f"---\n{front}---\nSome text.\n")
    assert problems(library) == [
        f"{LESSON}:8: too many aliases: YAML anchors may expand to at most "
        f"{MAX_ALIAS_NODES:,} nodes"
    ]


def test_a_few_aliases_are_still_fine(library: Path) -> None:
    path = library / QUIZ
    text = path.read_text()
    old = "      - {id: a, text: Not this}"
    assert old in text
    path.write_text(text.replace(old, "      - &wrong {id: a, text: Not this}", 1))
    path.write_text(path.read_text() + "spare: [*wrong, *wrong]\n")
    assert any("spare: unknown field" in p for p in problems(library))


def test_alias_to_itself_is_refused(library: Path) -> None:
    (library / QUIZ).write_text("id: check\nloop: &loop [1, *loop]\n")
    assert problems(library) == [f"{QUIZ}:2: an anchor cannot contain an alias to itself"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("id: check\nnested: " + "[" * 10_000 + "\n", 2),
        ("id: check\nnested: " + "{a: " * 10_000 + "\n", 2),
        ("id: check\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 5)), 33),
    ],
    ids=["flow-sequences", "flow-mappings", "block-mappings"],
)
def test_deep_nesting_is_a_clear_error(library: Path, text: str, line: int) -> None:
    (library / QUIZ).write_text(text)
    started = time.monotonic()
    found = problems(library)
    assert time.monotonic() - started < HANG
    assert found == [f"{QUIZ}:{line}: nested too deeply: YAML may nest at most {MAX_DEPTH} levels"]


def test_deep_nesting_in_front_matter(library: Path) -> None:
    (library / LESSON).write_text("---\nid: intro\nskills: " + "[" * 10_000 + "\n---\nText.\n")
    assert problems(library) == [
        f"{LESSON}:3: nested too deeply: YAML may nest at most {MAX_DEPTH} levels"
    ]


@pytest.mark.parametrize("file", [PROGRAM, QUIZ, LESSON])
def test_oversize_file_is_refused_before_parsing(library: Path, file: str) -> None:
    path = library / file
    path.write_text(path.read_text() + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    found = problems(library)
    assert f"{file}:1: file too large: content files may be at most 256 KiB" in found


def test_file_just_under_the_limit_still_loads(library: Path) -> None:
    path = library / QUIZ
    text = path.read_text()
    padding = MAX_FILE_BYTES - len(text.encode()) - 1
    path.write_text(text + "#" * padding + "\n")
    assert problems(library) == []


def test_non_utf8_file_is_a_problem(library: Path) -> None:
    (library / QUIZ).write_bytes(b"id: check\ntitle: caf\xe9\n")
    assert problems(library) == [f"{QUIZ}:2: the file is not UTF-8 text"]


def test_bundled_and_fixture_libraries_still_load(library: Path) -> None:
    assert problems(library) == []
    assert {"secure-coding", "effective-feedback", "data-privacy"} <= set(
        load_library(PROJECT_ROOT).programs
    )


_YAMLISH = st.text(alphabet="[]{}&*:-!|>#'\"?%@`,. \n\tab01~", max_size=300)
_TEXT = st.one_of(
    st.text(max_size=300),
    _YAMLISH,
    _YAMLISH.map(lambda front: f"---\nid: intro\n{front}\n---\nText.\n"),
    st.builds(lambda a, b: a + b, _YAMLISH, st.sampled_from(["", billion_laughs(4, 20)])),
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    file=st.sampled_from([PROGRAM, QUIZ, LESSON]),
    data=st.one_of(_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary()),
)
def test_any_file_content_loads_or_reports_problems(library: Path, file: str, data: bytes) -> None:
    original = (FIXTURE / file).read_bytes()
    (library / file).write_bytes(data)
    try:
        catalog, found = validate_library(library)
    finally:
        (library / file).write_bytes(original)
    assert all(isinstance(p, Problem) and p.line >= 1 for p in found)
    assert found or "mini" in catalog.programs
