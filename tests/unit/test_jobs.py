"""The spark-submit entry points in jobs/ start as scripts and reach the command line."""

import subprocess
import sys
from pathlib import Path

import pytest

JOBS = sorted((Path(__file__).resolve().parents[2] / "jobs").glob("*.py"))


@pytest.mark.parametrize("job", JOBS, ids=lambda p: p.name)
def test_job_script_imports_the_package_not_a_sibling(job):
    # A script's folder comes first on sys.path: a job named like the package would shadow it.
    done = subprocess.run(
        [sys.executable, str(job), "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage: catalog-enrich" in done.stdout
