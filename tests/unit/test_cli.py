"""The command line: bad configuration stops before Spark starts, with the field named."""

from enrich import cli


def test_bad_override_exits_2_naming_the_field(capsys):
    assert cli.main(["enrich", "--set", "generation.batch_size=0"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "generation.batch_size" in err and "greater than 0" in err


def test_unknown_setting_exits_2(capsys):
    assert cli.main(["quickstart", "--set", "modle.version=v1"]) == cli.EXIT_USAGE
    assert "modle: unknown setting" in capsys.readouterr().err


def test_missing_config_file_exits_2(tmp_path, capsys):
    assert cli.main(["enrich", "--config", str(tmp_path / "x.yaml")]) == cli.EXIT_USAGE
    assert "does not exist" in capsys.readouterr().err
