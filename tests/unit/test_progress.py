"""Progress reports: the figures of a line, and the thread that reports while a block runs."""

import logging
import time

import pandas as pd

from enrich import schemas as S
from enrich.progress import (
    Counters,
    LiveListener,
    LiveSender,
    Snapshot,
    duration,
    track_generation,
)


class FakeAccumulator:
    def __init__(self):
        self.value = 0

    def add(self, n):
        self.value += n


class FakeTracker:
    def getActiveStageIds(self):
        return [14]

    def getStageInfo(self, stage_id):
        return type("Info", (), {"numCompletedTasks": 3, "numTasks": 8})()


class FakeContext:
    def statusTracker(self):
        return FakeTracker()


def counters():
    return Counters(FakeAccumulator(), FakeAccumulator(), FakeAccumulator())


def test_snapshot_line_has_rows_rate_tokens_and_time_left():
    snap = Snapshot("description", rows=500, total=2000, tokens=20000, seconds=50.0,
                    stages=((14, 3, 8),))
    assert snap.rows_per_second == 10.0
    assert snap.eta_seconds == 150.0
    assert snap.line() == (
        "description: 500/2000 rows (25%), 10.0 rows/s, 400 tokens/s, ~2m 30s left "
        "[stage 14: 3/8 tasks]"
    )
    fields = snap.fields()
    assert (fields["rows"], fields["total"], fields["eta_seconds"]) == (500, 2000, 150.0)
    assert fields["stage"] == "generate" and fields["stage_tasks"] == [[14, 3, 8]]


def test_a_finished_generation_says_how_long_it_took():
    snap = Snapshot("description", rows=12, total=12, tokens=1992, seconds=34.5)
    assert snap.line().endswith("58 tokens/s, done in 34s")


def test_time_left_is_unknown_until_a_row_is_done():
    snap = Snapshot("review_summary", rows=0, total=10, tokens=0, seconds=30.0)
    assert snap.eta_seconds is None
    assert "time left unknown until a row is done" in snap.line()


def test_duration_reads_as_hours_minutes_seconds():
    assert [duration(s) for s in (4, 95.2, 4000)] == ["4s", "1m 35s", "1h 06m 40s"]


def test_counters_add_rows_and_tokens_of_a_batch_skipping_missing_counts():
    c = counters()
    c.add_batch(pd.DataFrame({S.PROMPT_TOKENS: [10, None, 5], S.OUTPUT_TOKENS: [3, None, 4]}))
    assert c.values() == (3, 22)


def test_track_generation_logs_lines_with_the_run_id_and_a_final_line(caplog):
    c = counters()
    c.rows.add(7)  # an earlier task's rows are not this task's
    with caplog.at_level(logging.INFO, logger="enrich.progress"):
        with track_generation(FakeContext(), c, task="description", total=4, run_id="r1",
                              interval=0.05):
            c.add_batch(pd.DataFrame({S.PROMPT_TOKENS: [1, 1], S.OUTPUT_TOKENS: [2, 2]}))
            time.sleep(0.2)
            c.add_batch(pd.DataFrame({S.PROMPT_TOKENS: [1, 1], S.OUTPUT_TOKENS: [2, 2]}))
    records = [r for r in caplog.records if r.name == "enrich.progress"]
    assert len(records) >= 2  # at least one report while running, and the last one
    assert all(r.run_id == "r1" and r.task == "description" for r in records)
    assert any(r.stage_tasks == [[14, 3, 8]] and r.rows == 2 for r in records[:-1])
    assert (records[-1].rows, records[-1].total, records[-1].tokens) == (4, 4, 12)


def test_track_generation_with_interval_zero_reports_nothing(caplog):
    with caplog.at_level(logging.INFO, logger="enrich.progress"):
        with track_generation(FakeContext(), counters(), task="t", total=1, run_id="r",
                              interval=0):
            pass
    assert not caplog.records


def wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_running_counts_reach_the_driver_before_a_task_ends_and_a_retry_replaces_its_attempt():
    listener = LiveListener("127.0.0.1")
    try:
        sender = LiveSender(listener.address, listener.key)  # no TaskContext: (0, 0, 0)
        sender.send(5, 500, now=True)
        assert wait_for(lambda: listener.values() == (5, 500))
        sender.send(6, 600)  # within a second of the last: held back
        sender.send(7, 700, now=True)
        assert wait_for(lambda: listener.values() == (7, 700))
        # A second attempt of the same partition starts again from zero and replaces the first.
        retry = LiveSender(listener.address, listener.key)
        retry._where = (0, 0, 1)
        retry.send(2, 100, now=True)
        assert wait_for(lambda: listener.values() == (2, 100))
        other = LiveSender(listener.address, "another-run")
        other.send(1000, 1000, now=True)
        time.sleep(0.2)
        assert listener.values() == (2, 100)  # another run's counts are not this run's
    finally:
        listener.close()


def test_track_generation_reports_running_counts_ahead_of_the_accumulators(caplog):
    listener = LiveListener("127.0.0.1")
    try:
        c = Counters(FakeAccumulator(), FakeAccumulator(), FakeAccumulator(),
                     (*listener.address, listener.key))
        with caplog.at_level(logging.INFO, logger="enrich.progress"):
            with track_generation(FakeContext(), c, task="description", total=10, run_id="r1",
                                  interval=0.05):
                c.sender().send(3, 90, now=True)  # three rows done, their task still running
                time.sleep(0.3)
        records = [r for r in caplog.records if r.name == "enrich.progress"]
        assert any(r.rows == 3 and r.tokens == 90 for r in records[:-1])
    finally:
        listener.close()
