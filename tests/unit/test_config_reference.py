"""docs/CONFIG.md documents every config field and matches the typed config it is generated from."""

from pathlib import Path

from enrich.config import JobConfig
from enrich.config_reference import fields, render

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "CONFIG.md"


def test_every_config_field_has_a_description():
    undocumented = [name for name, info in fields() if not (info.description or "").strip()]
    assert not undocumented, f"fields without a description in enrich/config.py: {undocumented}"


def test_every_section_has_a_description():
    missing = [name for name, info in JobConfig.model_fields.items() if not info.description]
    assert not missing


def test_reference_names_every_field():
    text = render()
    absent = [name for name, _ in fields() if f"`{name}`" not in text]
    assert not absent
    assert len(list(fields())) > 60  # nested sections and task fields are walked


def test_docs_config_md_is_up_to_date():
    assert REFERENCE.read_text(encoding="utf-8") == render(), (
        "docs/CONFIG.md is stale: run `make config-reference` (python -m enrich.config_reference)"
    )
