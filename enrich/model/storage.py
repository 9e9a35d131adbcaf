"""Registry files at a URL that fsspec reaches (s3://, gs://, abfs://, hdfs://, file://, ...).

A registry at a URL is read in place for its pointer, version list and manifests; the folders a
model is loaded from (the version, its builtin base) are copied once per machine into a local
cache folder (``model.cache_dir``), and loaded from there. A copy is written into a hidden folder
beside its place and renamed in whole, so two Python workers of one executor never read half a
copy, and a copy that is there is complete.

The filesystem packages a scheme needs (``s3fs``, ``gcsfs``, ``adlfs``, ...) are the platform's
to install; fsspec names the missing one in its error.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def is_url(location: str | Path) -> bool:
    """True for ``scheme://...`` locations (read with fsspec), False for local paths."""
    return isinstance(location, str) and "://" in location


def _fs(url: str):
    from fsspec.core import url_to_fs

    return url_to_fs(url)


def read_text(url: str) -> str | None:
    """The text of the file at ``url``, or None when there is none."""
    fs, path = _fs(url)
    return fs.cat_file(path).decode("utf-8") if fs.isfile(path) else None


def list_folders(url: str) -> list[str]:
    """Names of the folders directly under ``url`` (none when it does not exist)."""
    fs, path = _fs(url)
    if not fs.isdir(path):
        return []
    return sorted(
        entry["name"].rstrip("/").rsplit("/", 1)[-1]
        for entry in fs.ls(path, detail=True)
        if entry["type"] == "directory"
    )


def cache_path(url: str, cache_dir: str | Path) -> Path:
    """Where the copy of the folder at ``url`` lives: the same on every machine."""
    key = hashlib.sha256(url.rstrip("/").encode()).hexdigest()[:16]
    return Path(cache_dir).resolve() / f"{key}-{url.rstrip('/').rsplit('/', 1)[-1]}"


def fetch_folder(url: str, local: str | Path) -> Path:
    """Copy the folder at ``url`` to ``local`` unless a complete copy is there already.

    Args:
        url: a folder fsspec can read.
        local: where the copy goes (see :func:`cache_path`).

    Returns:
        ``local``.

    Raises:
        FileNotFoundError: there is no folder at ``url``.
    """
    local = Path(local)
    if local.is_dir():
        return local
    fs, root = _fs(url)
    if not fs.isdir(root):
        raise FileNotFoundError(f"no folder at {url}")
    local.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{local.name}-", dir=local.parent))
    try:
        root = root.rstrip("/")
        for remote in fs.find(root):
            target = partial / remote[len(root) + 1:]
            target.parent.mkdir(parents=True, exist_ok=True)
            fs.get_file(remote, str(target))
        os.rename(partial, local)
        log.info("copied %s to %s", url, local)
    except OSError:
        # Another worker renamed its complete copy in first: use that one.
        if not local.is_dir():
            raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return local
