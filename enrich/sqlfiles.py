"""The project's SQL files (``sql/``): table DDL, consumer views and example queries.

Views are created in the session by ``catalog-enrich sql`` after the tables are registered, so
consumers can query ``products_enriched`` and ``review_queue`` locally exactly as in the warehouse.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

SQL_ROOT = Path(__file__).resolve().parent.parent / "sql"


def sql_files(kind: str) -> list[Path]:
    """The ``.sql`` files of one folder of ``sql/`` (``ddl``, ``views`` or ``queries``), sorted."""
    return sorted((SQL_ROOT / kind).glob("*.sql"))


def statement(path: Path) -> str:
    """A file's SQL without its trailing semicolon (Spark takes one statement per call)."""
    return path.read_text(encoding="utf-8").strip().rstrip(";")


def create_views(spark: SparkSession) -> list[str]:
    """Create every view in ``sql/views`` whose tables exist; return the names created."""
    from pyspark.errors import AnalysisException

    created = []
    for path in sql_files("views"):
        try:
            spark.sql(statement(path))
            created.append(path.stem)
        except AnalysisException as exc:
            log.info("view %s not created (its tables are not all there): %s", path.stem,
                     str(exc).splitlines()[0])
    return created
