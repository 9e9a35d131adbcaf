"""The session settings the job builds (no JVM started)."""

from enrich.config import SparkConfig, WarehouseConfig
from enrich.spark import session_settings

SNAPSHOT = "spark.databricks.delta.snapshotPartitions"


def test_local_sessions_rebuild_delta_state_in_the_shuffle_partitions(tmp_path):
    warehouse = WarehouseConfig(root=str(tmp_path))
    settings = session_settings(SparkConfig(master="local[2]", shuffle_partitions=3), warehouse)
    assert settings[SNAPSHOT] == "3"
    assert settings["spark.sql.shuffle.partitions"] == "3"


def test_cluster_sessions_keep_deltas_default_and_conf_overrides_win(tmp_path):
    warehouse = WarehouseConfig(root=str(tmp_path))
    assert SNAPSHOT not in session_settings(SparkConfig(master=None), warehouse)
    overridden = SparkConfig(master="local[2]", conf={SNAPSHOT: "16"})
    assert session_settings(overridden, warehouse)[SNAPSHOT] == "16"
