"""Prompt building for the shipped tasks."""

import numpy as np
import pytest

from enrich.config import TasksConfig
from enrich.tasks import PromptError, cut_at_sentence, enabled_tasks, template

TASKS = {t.name: t for t in enabled_tasks(TasksConfig())}


def test_both_tasks_ship_and_can_be_switched_off():
    assert list(TASKS) == ["description", "review_summary"]
    only = enabled_tasks(TasksConfig.model_validate({"review_summary": {"enabled": False}}))
    assert [t.name for t in only] == ["description"]


def test_description_prompt_lists_sorted_attributes_and_names_missing_fields():
    prompt = TASKS["description"].build_prompt(
        {
            "title": "Halvik  Halo Lite Headphones",
            "brand": None,
            "category": "headphones",
            "attributes": {"color": "Silver", "battery_life": "40 h"},
        }
    )
    assert prompt.startswith("### Task: description\n")
    assert "Title: Halvik Halo Lite Headphones\n" in prompt
    assert "Brand: unknown\n" in prompt
    assert prompt.index("- battery life: 40 h") < prompt.index("- color: Silver")
    assert prompt.endswith("### Description:\n")


def test_description_accepts_arrow_map_pairs():
    as_dict = TASKS["description"].build_prompt({"title": "Mug", "attributes": {"a": "1", "b": "2"}})
    as_pairs = TASKS["description"].build_prompt({"title": "Mug", "attributes": [("b", "2"), ("a", "1")]})
    assert as_dict == as_pairs


def test_description_without_title_or_attributes_cannot_be_prompted():
    with pytest.raises(PromptError, match="neither a title nor attributes"):
        TASKS["description"].build_prompt({"title": None, "attributes": None, "category": "x"})


def test_summary_prompt_has_ratings_and_cut_reviews():
    long_body = "Keeps coffee hot for hours. " * 30
    prompt = TASKS["review_summary"].build_prompt(
        {
            "title": "Mug",
            "category": "kitchen",
            "reviews": np.array(
                [
                    {"review_id": "r1", "rating": 5, "title": None, "body": "Love it. Keeps coffee hot."},
                    {"review_id": "r2", "rating": None, "title": None, "body": long_body},
                ],
                dtype=object,
            ),
        }
    )
    assert "- [5/5] Love it. Keeps coffee hot.\n" in prompt
    cut = prompt.split("\n- ")[2].split("\n")[0]
    assert cut.endswith("hours.") and len(cut) <= TASKS["review_summary"].cfg.max_review_chars
    assert prompt.endswith("### Summary:\n")


def test_summary_without_reviews_cannot_be_prompted():
    with pytest.raises(PromptError, match="no reviews"):
        TASKS["review_summary"].build_prompt({"title": "Mug", "reviews": np.array([], dtype=object)})


def test_cut_at_sentence():
    assert cut_at_sentence("Short one.", 100) == "Short one."
    assert cut_at_sentence("One two. Three four five six.", 15) == "One two."
    # No sentence end in reach: cut at a word and mark the cut.
    assert cut_at_sentence("alpha beta gamma delta epsilon", 17) == "alpha beta gamma ..."


def test_unknown_prompt_version_is_a_prompt_error():
    with pytest.raises(PromptError, match="description.v99.txt"):
        template("description", "99")
