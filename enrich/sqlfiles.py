"""The project's SQL files (``sql/``): table DDL, consumer views and example queries.

Views are created in the session (as temporary views) by ``catalog-enrich sql`` after the tables
are registered, so consumers can query ``products_enriched`` and ``review_queue`` locally exactly
as in the warehouse, where the same files create them for good.

In a source checkout the files are the repository's ``sql/`` folder; a built wheel carries them as
package data (``enrich/sql``), read through :mod:`importlib.resources` so they are found even
inside a wheel or zip handed to ``spark-submit --py-files``.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from pyspark.sql import SparkSession

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

log = logging.getLogger(__name__)

CREATE_VIEW = re.compile(r"\bCREATE\s+OR\s+REPLACE\s+VIEW\b", re.IGNORECASE)

_PACKAGED = resources.files("enrich").joinpath("sql")
SQL_ROOT: Traversable = (
    _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "sql"
)


def sql_files(kind: str) -> list[Traversable]:
    """The ``.sql`` files of one folder of ``sql/`` (``ddl``, ``views`` or ``queries``), by name."""
    found = [p for p in SQL_ROOT.joinpath(kind).iterdir() if p.name.endswith(".sql")]
    return sorted(found, key=lambda p: p.name)


def statement(path: Traversable) -> str:
    """A file's SQL without its trailing semicolon (Spark takes one statement per call)."""
    return path.read_text(encoding="utf-8").strip().rstrip(";")


def create_views(spark: SparkSession) -> list[str]:
    """Create every view in ``sql/views`` whose tables exist, as temporary views of this session
    (a query command leaves the metastore as it found it); return the names created."""
    from pyspark.errors import AnalysisException

    created = []
    for path in sql_files("views"):
        text = statement(path)
        if not CREATE_VIEW.search(text):
            raise ValueError(f"{path.name}: expected a CREATE OR REPLACE VIEW statement")
        try:
            spark.sql(CREATE_VIEW.sub("CREATE OR REPLACE TEMPORARY VIEW", text, count=1))
            created.append(path.name.removesuffix(".sql"))
        except AnalysisException as exc:
            log.info("view %s not created (its tables are not all there): %s", path.name,
                     str(exc).splitlines()[0])
    return created
