"""The job with every table and the model registry on object storage, through the S3 API.

A local moto server plays S3. The commands run as a user runs them, in their own processes:
``demo-data``, ``enrich`` and ``sql`` with ``warehouse.root=s3a://...`` (Delta through Hadoop's
s3a filesystem, its jars from ``spark.packages``) and ``model.registry=s3://...`` (read with fsspec
and cached on the machine). The tables are then read back without Spark, with the ``deltalake``
package, and the bucket is listed to check that staging data was cleaned up.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pyspark
import pytest
import yaml

from enrich import schemas as S
from tests.conftest import job_config

pytestmark = pytest.mark.slow

KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1"}
PRODUCTS = 8


def hadoop_version() -> str:
    """The Hadoop version of the installed pyspark (hadoop-aws must match it)."""
    jars = Path(pyspark.__file__).parent / "jars"
    (api,) = jars.glob("hadoop-client-api-*.jar")
    return api.stem.removeprefix("hadoop-client-api-")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3():
    """A moto S3 server with the buckets ``lake`` and ``models``: (endpoint, boto3 client)."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")
    for bucket in ("lake", "models"):
        client.create_bucket(Bucket=bucket)
    yield endpoint, client
    server.stop()


def upload(client, folder: Path, bucket: str, prefix: str) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        client.upload_file(str(path), bucket, f"{prefix}/{path.relative_to(folder)}")


def keys(client, bucket: str, prefix: str) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [o["Key"] for page in pages for o in page.get("Contents", [])]


def command(args: list[str], config: Path, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "catalog-enrich"), *args, "--config", str(config)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=900,
    )
    (cwd / f"{args[0]}.log").write_text(done.stderr)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_enrich_with_tables_and_registry_on_s3(built, s3, tmp_path):
    endpoint, client = s3
    upload(client, Path(built.model.registry), "models", "registry")
    cfg = job_config(
        tmp_path,
        "warehouse.root=s3a://lake/catalog",
        "model.registry=s3://models/registry",
        f"model.cache_dir={tmp_path / 'cache'}",
        f"demo.products={PRODUCTS}",
        f"spark.packages=[org.apache.hadoop:hadoop-aws:{hadoop_version()}]",
    )
    settings = cfg.model_dump(mode="json")
    settings["spark"]["conf"] = {
        "spark.hadoop.fs.s3a.endpoint": endpoint,
        "spark.hadoop.fs.s3a.endpoint.region": "us-east-1",
        "spark.hadoop.fs.s3a.path.style.access": "true",
        "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
        "spark.hadoop.fs.s3a.access.key": "testing",
        "spark.hadoop.fs.s3a.secret.key": "testing",
    }
    config = tmp_path / "job.yaml"
    config.write_text(yaml.safe_dump(settings))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | KEYS
    env["AWS_ENDPOINT_URL"] = endpoint  # for fsspec's s3fs (the registry)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])

    command(["demo-data"], config, env, tmp_path)
    metrics = tmp_path / "metrics.json"
    command(["enrich", "--metrics-file", str(metrics)], config, env, tmp_path)
    figures = json.loads(metrics.read_text())
    assert figures["status"] == "succeeded"
    assert figures["tables"]["product_descriptions"] == "s3a://lake/catalog/product_descriptions"

    # Read back without Spark: the tables are real Delta tables in the bucket.
    from deltalake import DeltaTable

    options = {"AWS_ENDPOINT_URL": endpoint, "AWS_ALLOW_HTTP": "true", "AWS_REGION": "us-east-1",
               "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    products = DeltaTable("s3://lake/catalog/products", storage_options=options).to_pyarrow_table()
    descriptions = DeltaTable("s3://lake/catalog/product_descriptions", storage_options=options)
    rows = descriptions.to_pyarrow_table().to_pylist()
    assert sorted(r["product_id"] for r in rows) == sorted(products.column("product_id").to_pylist())
    assert len(rows) == PRODUCTS and all(r["status"] in S.STATUSES for r in rows)
    runs = DeltaTable("s3://lake/catalog/enrichment_runs", storage_options=options)
    assert [r["status"] for r in runs.to_pyarrow_table().to_pylist()] == ["succeeded"]
    # Staging deleted through s3a, which leaves a marker object for the emptied parent folder.
    assert keys(client, "lake", "catalog/_staging/") in ([], ["catalog/_staging/"])
    assert any((tmp_path / "cache").rglob("manifest.json"))  # the model came through the cache

    done = command(["sql", "SELECT count(*) AS n FROM products_enriched", "--format", "csv"],
                   config, env, tmp_path)
    assert done.stdout.strip().splitlines() == ["n", str(PRODUCTS)]
