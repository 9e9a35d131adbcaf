"""The Java check that runs before anything is installed or started."""

import pytest

from enrich.preflight import PreflightError, check_java


def fake_java(tmp_path, version_line: str):
    home = tmp_path / "jdk"
    (home / "bin").mkdir(parents=True)
    java = home / "bin" / "java"
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(0o755)
    return home


def test_java_17_passes(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(fake_java(tmp_path, 'openjdk version "17.0.15" 2025-04-15')))
    assert "17.0.15" in check_java()


def test_old_java_is_refused_with_install_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(fake_java(tmp_path, 'java version "1.8.0_382"')))
    with pytest.raises(PreflightError) as err:
        check_java()
    assert "found Java 8" in str(err.value)
    assert "apt-get install" in str(err.value)


def test_missing_java_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nowhere"))
    with pytest.raises(PreflightError, match="none was found.*\n.*Install a Java 17"):
        check_java()


def test_no_java_on_path(tmp_path, monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PreflightError, match="no `java` on PATH"):
        check_java()
