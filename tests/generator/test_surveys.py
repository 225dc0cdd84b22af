"""The question catalogue seed staging checks answers against lists what the generator asks."""

from __future__ import annotations

import csv

from orchestration.generator.defects import BAD_CHOICE_ANSWERS, BAD_NPS_ANSWERS, UNKNOWN_QUESTIONS
from orchestration.generator.personas import TOP_VALUES
from orchestration.generator.surveys import QUESTIONS

from .rules import SEEDS


def _catalogue() -> dict[str, dict[str, str]]:
    with (SEEDS / "survey_questions.csv").open(encoding="utf-8", newline="") as handle:
        return {row["question_id"]: row for row in csv.DictReader(handle)}


def test_every_generated_question_and_answer_is_in_the_catalogue():
    catalogue = _catalogue()
    assert {q: text for q, text in QUESTIONS} == {
        q: row["question_text"] for q, row in catalogue.items()
    }
    nps = catalogue["nps"]
    assert (nps["answer_type"], nps["min_value"], nps["max_value"]) == ("integer", "0", "10")
    top_value = catalogue["top_value"]
    assert top_value["answer_type"] == "choice"
    assert top_value["allowed_answers"].split(";") == list(TOP_VALUES)


def test_injected_questions_and_answers_are_not_in_the_catalogue():
    catalogue = _catalogue()
    assert not {q for q, _ in UNKNOWN_QUESTIONS} & set(catalogue)
    assert not set(BAD_CHOICE_ANSWERS) & set(catalogue["top_value"]["allowed_answers"].split(";"))
    assert not any(a.isdigit() and 0 <= int(a) <= 10 for a in BAD_NPS_ANSWERS)
