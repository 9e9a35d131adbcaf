"""GPU scheduling of the generation stage on a local standalone cluster with fake GPUs."""

import json
import subprocess
import sys
from pathlib import Path

JOB = Path(__file__).resolve().parent / "fake_gpu" / "schedule_job.py"


def test_each_generation_task_gets_one_gpu_and_no_two_concurrent_tasks_share_one(tmp_path):
    out = tmp_path / "tasks.json"
    done = subprocess.run(
        [sys.executable, str(JOB), str(out)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    tasks = json.loads(out.read_text())
    assert sorted(t["partition"] for t in tasks) == list(range(8))
    assert sum(t["rows"] for t in tasks) == 40
    for task in tasks:
        assert task["addresses"] in ("0", "1")  # exactly one address each
        assert task["device"] == f"cuda:{task['addresses']}"  # and the worker uses it
    overlapping = [
        (a, b) for i, a in enumerate(tasks) for b in tasks[i + 1:]
        if a["start"] < b["end"] and b["start"] < a["end"]
    ]
    assert overlapping, "4 cores and 2 GPUs: some tasks should run at the same time"
    assert all(a["addresses"] != b["addresses"] for a, b in overlapping)
    # Two GPUs, so never more than two tasks at once although the worker has four cores.
    for task in tasks:
        at_start = [t for t in tasks if t["start"] <= task["start"] < t["end"]]
        assert len(at_start) <= 2
