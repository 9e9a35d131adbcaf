"""spark-submit entry point of the backfill job.

    spark-submit jobs/backfill.py --config conf/cluster.yaml --model v2 [--plan] [--sample N]
        [--max-quality-drop X] [--category C] [--status S] [--score-below X]

Thin by design: argument parsing, config, session and the run all live in ``enrich.cli``.
"""

import sys

from enrich import cli


def main(argv: list[str] | None = None) -> int:
    """Run the backfill job with command-line arguments; return the exit code."""
    return cli.main(["backfill", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
