"""Runs the generation stage's GPU scheduling on a local standalone cluster with fake GPUs.

    python schedule_job.py OUT.json

One worker with 4 cores and 2 (fake) GPUs; the stage asks for 1 GPU per task through the same
resource profile the enrichment job uses, and each task records the device it would use.
Run as its own process: a test session already holds a local SparkContext.
"""

import json
import os
import sys
import time
from pathlib import Path

from pyspark.sql import SparkSession

from enrich.config import GenerationConfig
from enrich.udf import gpu_profile

HERE = Path(__file__).resolve().parent


def main(out: str) -> None:
    script = str(HERE / "discover_gpus.sh")
    spark = (
        SparkSession.builder.master("local-cluster[1,4,1024]")
        .config("spark.executor.memory", "512m")
        .config("spark.worker.resource.gpu.amount", "2")
        .config("spark.worker.resource.gpu.discoveryScript", script)
        .config("spark.executor.resource.gpu.amount", "2")
        .config("spark.executor.resource.gpu.discoveryScript", script)
        .config("spark.pyspark.python", sys.executable)
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")

    def record(frames):
        import pandas as pd
        from pyspark import TaskContext

        from enrich.udf import assigned_device

        device = assigned_device()
        started = time.time()
        rows = sum(len(f) for f in frames)
        time.sleep(1.5)  # long enough for concurrent tasks to overlap
        context = TaskContext.get()
        yield pd.DataFrame(
            {
                "partition": [context.partitionId()],
                "device": [device],
                "addresses": [",".join(context.resources()["gpu"].addresses)],
                "rows": [rows],
                "start": [started],
                "end": [time.time()],
            }
        )

    profile = gpu_profile(GenerationConfig(gpus_per_task=1, cpus_per_task=1))
    frame = spark.range(40, numPartitions=8).mapInPandas(
        record,
        "partition int, device string, addresses string, rows long, start double, end double",
        profile=profile,
    )
    Path(out).write_text(json.dumps([r.asDict() for r in frame.collect()]))
    spark.stop()


if __name__ == "__main__":
    os.environ["PYSPARK_PYTHON"] = sys.executable
    main(sys.argv[1])
