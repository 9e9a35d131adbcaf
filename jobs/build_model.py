"""spark-submit entry point that builds and registers a model version.

    spark-submit jobs/build_model.py --config conf/cluster.yaml [--if-missing]
"""

import sys

from enrich import cli


def main(argv: list[str] | None = None) -> int:
    """Build a model version with command-line arguments; return the exit code."""
    return cli.main(["build-model", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
