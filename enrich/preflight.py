"""Checks that must pass before Spark can start: a Java runtime Spark can use.

Standard library only, so the Makefile can run it with the system Python before anything is
installed (``python3 enrich/preflight.py``) and stop at once with the fix.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

MIN_JAVA = 17
JAVA_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')

INSTALL_HINT = (
    "Install a Java 17 (or newer) runtime and make sure `java` is on PATH or JAVA_HOME points "
    "to it, for example:\n"
    "  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n"
    "  Fedora/RHEL:   sudo dnf install -y java-17-openjdk-headless\n"
    "  macOS:         brew install openjdk@17"
)


class PreflightError(RuntimeError):
    """The machine lacks something Spark needs; the message says how to install it."""


def java_executable() -> str | None:
    """The java binary Spark will launch: ``$JAVA_HOME/bin/java`` if set, else ``java``."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = os.path.join(home, "bin", "java")
        return candidate if os.access(candidate, os.X_OK) else None
    return shutil.which("java")


def check_java() -> str:
    """Return the Java version string, or raise with install instructions.

    Raises:
        PreflightError: no Java is found, or it is older than Java 17.
    """
    java = java_executable()
    if java is None:
        where = (
            f"JAVA_HOME={os.environ['JAVA_HOME']} has no bin/java"
            if os.environ.get("JAVA_HOME")
            else "no `java` on PATH"
        )
        raise PreflightError(f"Spark needs Java, and none was found ({where}).\n{INSTALL_HINT}")
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PreflightError(f"could not run {java} -version: {exc}\n{INSTALL_HINT}") from exc
    text = out.stderr + out.stdout
    match = JAVA_VERSION.search(text)
    if not match:
        raise PreflightError(f"could not read the Java version from {java}:\n{text}")
    major = int(match.group(1))
    if major == 1:  # "1.8.0" style
        major = int(match.group(2) or 0)
    if major < MIN_JAVA:
        raise PreflightError(f"Spark needs Java {MIN_JAVA}+, found Java {major} at {java}.\n{INSTALL_HINT}")
    return text.splitlines()[0] if text else f"java {major}"


if __name__ == "__main__":
    try:
        check_java()
    except PreflightError as error:
        print(f"catalog-enrich: {error}", file=sys.stderr)
        sys.exit(1)
