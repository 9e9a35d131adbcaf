"""Configuration: defaults, validation messages that name the field, command-line overrides."""

from pathlib import Path

import pytest

from enrich.config import ConfigError, JobConfig, load_config, parse_override

CONF = Path(__file__).resolve().parents[2] / "conf"


def test_default_yaml_states_the_built_in_defaults():
    assert load_config(CONF / "default.yaml") == JobConfig()


def test_cluster_example_is_valid():
    cfg = load_config(CONF / "cluster.yaml")
    assert cfg.spark.master is None
    assert cfg.spark.delta_jars == "provided"
    assert cfg.model.compute_dtype == "bfloat16"


def test_unknown_key_names_the_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("generation:\n  batch_sise: 8\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "generation.batch_sise: unknown setting" in str(err.value)
    assert str(path) in str(err.value)


def test_bad_value_names_field_and_value():
    with pytest.raises(ConfigError) as err:
        load_config(None, ["generation.batch_size=-3"])
    assert "generation.batch_size" in str(err.value)
    assert "-3" in str(err.value)


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(ConfigError) as err:
        load_config(None, ["tasks.description.max_new_tokens=0", "quality.accept_threshold=2"])
    assert "tasks.description.max_new_tokens" in str(err.value)
    assert "quality.accept_threshold" in str(err.value)


def test_table_names_must_be_plain_identifiers():
    with pytest.raises(ConfigError) as err:
        load_config(None, ["warehouse.tables.products=products; DROP TABLE x"])
    assert "warehouse.tables.products" in str(err.value)


@pytest.mark.parametrize(
    "override, field",
    [
        ("warehouse.tables.reviews=`reviews`", "warehouse.tables.reviews"),
        ("tasks.description.output_table=descs'; --", "tasks.description.output_table"),
        ('tasks.description.output_column=a"b', "tasks.description.output_column"),
        ("tasks.description.inputs=[title, 'x; DROP TABLE y']", "tasks.description.inputs"),
        ("tasks.description.required=['`t`']", "tasks.description.required"),
        ("tasks.description.reference_table=../etc", "tasks.description.reference_table"),
        ("tasks.bad-name.input=product", "tasks"),
    ],
)
def test_names_with_quotes_semicolons_or_backticks_are_refused(override, field):
    with pytest.raises(ConfigError) as err:
        load_config(None, [override])
    assert field in str(err.value)


def test_builtin_widths_must_suit_4bit_on_cpu():
    with pytest.raises(ConfigError, match="multiple of 64"):
        load_config(None, ["model.builtin.intermediate_size=100"])


def test_thresholds_must_be_ordered():
    with pytest.raises(ConfigError, match="reject_threshold"):
        load_config(None, ["quality.reject_threshold=0.9", "quality.accept_threshold=0.5"])


def test_overrides_apply_on_top_of_the_file():
    cfg = load_config(
        CONF / "default.yaml",
        ["generation.batch_size=8", "model.lora.target_modules=[q_proj, v_proj]", "spark.master=null"],
    )
    assert cfg.generation.batch_size == 8
    assert cfg.model.lora.target_modules == ["q_proj", "v_proj"]
    assert cfg.spark.master is None
    assert cfg.demo.products == JobConfig().demo.products


@pytest.mark.parametrize("text", ["generation.batch_size", "=3", "a.b=[unclosed"])
def test_malformed_override_is_refused(text):
    with pytest.raises(ConfigError):
        parse_override(text)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yaml")


def test_fingerprint_changes_with_settings():
    assert JobConfig().fingerprint() == load_config(None, []).fingerprint()
    assert JobConfig().fingerprint() != load_config(None, ["generation.batch_size=7"]).fingerprint()
