"""Agreement metrics on hand-made cases, and `microcred score eval` on small and shared data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.assessment import metrics
from bot.assessment.model import default_models, load
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


def test_eval_prints_ours_and_the_baseline_and_a_final_json_line(tmp_path: Path) -> None:
    data = _rows(tmp_path / "tiny.jsonl")
    result = CliRunner().invoke(main, ["score", "eval", str(data), "--scorer", "offline"])
    assert result.exit_code == 0, result.output
    assert "token-overlap baseline" in result.output and "sent to review" in result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert last["n"] == 4 and last["accuracy"] == 1.0 and last["review_rate"] == 0.0
    assert set(last["baseline"]) >= {"accuracy", "macro_f1"} and "margin" in last
    same = CliRunner().invoke(main, ["score", "eval", str(data), "--train", str(data)])
    assert same.exit_code != 0 and "must be a different file" in same.output


def test_fit_writes_a_model_the_scorer_loads(tmp_path: Path) -> None:
    data = _rows(tmp_path / "tiny.jsonl")
    out = tmp_path / "model.json"
    result = CliRunner().invoke(main, ["score", "fit", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    models = load(out)
    assert models.about["rows"] == 4 and models.examples is not None


def test_the_shipped_model_is_in_the_package_and_fitted_on_train_only() -> None:
    models = default_models()
    assert models.about["trained_on"] == "train.jsonl" and models.about["rows"] == 4969


@pytest.mark.skipif(not DATA.exists(), reason=f"the shared dataset is not at {DATA}")
@pytest.mark.parametrize("split", ["test_ua", "test_uq"])
def test_eval_on_scientsbank_beats_the_overlap_baseline_by_five_points(split: str) -> None:
    """The issue's bar: +0.05 accuracy and macro-F1 over the baseline of the same run, with
    at most 15 % of answers sent to a person (those count as wrong)."""
    args = ["score", "eval", str(DATA / f"{split}.jsonl"), "--train", str(DATA / "train.jsonl")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert figures["n"] == {"test_ua": 540, "test_uq": 733}[split]
    assert figures["review_rate"] <= 0.15
    for key in ("accuracy", "macro_f1"):
        assert figures[key] >= figures["baseline"][key] + 0.05, figures
