"""spark-submit entry point of the enrichment job.

<<<<<<<< HEAD:jobs/enrich_catalog.py
    spark-submit jobs/enrich_catalog.py --config conf/cluster.yaml [--retry-failed] [--set k=v ...]
========
    spark-submit jobs/enrichment.py --config conf/cluster.yaml [--retry-failed] [--set k=v ...]
>>>>>>>> main:jobs/enrichment.py

Thin by design: argument parsing, config, session and the run all live in ``enrich.cli``. (Not
named ``enrich.py``: the script's folder comes first on ``sys.path``, and a script of that name
would shadow the ``enrich`` package for every job in the folder.)
"""

import sys

from enrich import cli


def main(argv: list[str] | None = None) -> int:
    """Run the enrichment job with command-line arguments; return the exit code."""
    return cli.main(["enrich", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
