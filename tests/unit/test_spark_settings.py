"""The session settings the job builds (no JVM started)."""

from enrich.config import SparkConfig, WarehouseConfig
from enrich.spark import LOCAL_JVM_OPTIONS, session_settings

SNAPSHOT = "spark.databricks.delta.snapshotPartitions"
JVM_OPTIONS = "spark.driver.extraJavaOptions"


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


def test_local_sessions_start_a_lean_jvm_unless_conf_says_otherwise(tmp_path):
    warehouse = WarehouseConfig(root=str(tmp_path))
    assert session_settings(SparkConfig(master="local[2]"), warehouse)[JVM_OPTIONS] == (
        LOCAL_JVM_OPTIONS
    )
    assert JVM_OPTIONS not in session_settings(SparkConfig(master=None), warehouse)
    own = SparkConfig(master="local[2]", conf={JVM_OPTIONS: "-Dlog4j.debug=true"})
    assert session_settings(own, warehouse)[JVM_OPTIONS] == "-Dlog4j.debug=true"
