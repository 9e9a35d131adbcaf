"""spark-submit entry point of the enrichment job.

    spark-submit jobs/enrichment.py --config conf/cluster.yaml [--retry-failed] [--set k=v ...]

Thin by design: argument parsing, config, session and the run all live in ``enrich.cli``.
"""

import sys

from enrich import cli


def main(argv: list[str] | None = None) -> int:
    """Run the enrichment job with command-line arguments; return the exit code."""
    return cli.main(["enrich", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
