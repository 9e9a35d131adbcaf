"""spark-submit entry point of the training job: a QLoRA adapter, registered as a new version.

    spark-submit jobs/train.py --config conf/cluster.yaml [--merge] [--if-missing]
"""

import sys

from enrich import cli


def main(argv: list[str] | None = None) -> int:
    """Train a model version with command-line arguments; return the exit code."""
    return cli.main(["train", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
