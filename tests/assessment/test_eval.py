"""Agreement metrics on hand-made cases, and `microcred score eval` on small and shared data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.assessment import metrics
from bot.cli import main
from tests.conftest import SHARED

DATA = SHARED / "datasets" / "short-answer" / "scientsbank-2way"


def test_metrics_on_known_cases() -> None:
    gold, predicted = [0, 0, 1, 1], [0, 1, 1, 1]
    assert metrics.accuracy(gold, predicted) == 0.75
    assert metrics.macro_f1(gold, predicted) == pytest.approx((2 / 3 + 0.8) / 2)
    assert metrics.quadratic_weighted_kappa([0, 1, 2], [0, 1, 2]) == 1.0
    assert metrics.quadratic_weighted_kappa(gold, predicted) == pytest.approx(0.5)
    assert metrics.mean_absolute_error([0, 2, 4], [1, 2, 2]) == 1.0


SALT = ("How did you separate the salt from the water?", "The water evaporated, leaving the salt.")
CLIP = ("Why does a paperclip scratch the mineral?", "A paperclip is harder than the mineral.")


def _rows(path: Path) -> Path:
    rows = [
        (*SALT, "We let the water evaporate and the salt stayed.", 1),
        (*SALT, "With a filter.", 0),
        (*CLIP, "Because the paperclip is harder.", 1),
        (*CLIP, "It is shiny.", 0),
    ]
    lines = [
        {
            "question": q,
            "reference_answer": r,
            "student_answer": a,
            "score": s,
            "score_scale": "0/1",
        }
        for q, r, a, s in rows
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    return path


def test_eval_prints_metrics_and_a_final_json_line(tmp_path: Path) -> None:
    data = _rows(tmp_path / "tiny.jsonl")
    result = CliRunner().invoke(main, ["score", "eval", str(data), "--scorer", "offline"])
    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert last == {"n": 4, "accuracy": 1.0, "macro_f1": 1.0, "qwk": 1.0, "mae": 0.0}
    same = CliRunner().invoke(main, ["score", "eval", str(data), "--train", str(data)])
    assert same.exit_code != 0 and "must be a different file" in same.output


@pytest.mark.skipif(not DATA.exists(), reason=f"the shared dataset is not at {DATA}")
def test_eval_on_scientsbank_beats_the_overlap_baseline() -> None:
    def run(scorer: str) -> dict[str, float]:
        args = ["score", "eval", str(DATA / "test_ua.jsonl"), "--scorer", scorer]
        output = CliRunner().invoke(main, args).output
        return json.loads(output.strip().splitlines()[-1])

    offline, overlap = run("offline"), run("overlap")
    assert offline["n"] == 540
    assert offline["macro_f1"] > overlap["macro_f1"] and offline["macro_f1"] > 0.68
