"""The model registry: bases and immutable, versioned adapters in a folder, and the current pointer.

Layout under ``<registry>/<name>/``::

    bases/<base_id>/          tokenizer + weights of a base the project built (builtin)
    versions/v1/              adapter, tokenizer and manifest.json of one trained version
    CURRENT                   the version the enrichment job uses unless told otherwise

A version is written into a hidden temporary folder and renamed into place only when complete,
so a crash mid-write never leaves a folder that looks like a version. Versions are never changed
after that.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

MANIFEST = "manifest.json"
CURRENT = "CURRENT"
VERSION_PATTERN = re.compile(r"^v(\d+)$")


class RegistryError(RuntimeError):
    """A model version is missing, incomplete or cannot be written."""


@dataclass(frozen=True)
class ModelRef:
    """Everything a worker needs to load one model version; small and picklable."""

    model_version: str  # "<name>:<version>", recorded on every output row
    version_dir: str
    base_dir: str
    base_model: str
    adapter_id: str
    quantization: str
    compute_dtype: str
    context_length: int

    @property
    def cache_key(self) -> str:
        """Key under which a worker caches the loaded model."""
        return f"{self.version_dir}|{self.adapter_id}|{self.quantization}|{self.compute_dtype}"


def file_digest(paths: list[Path]) -> str:
    """sha256 over the names and contents of files, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def folder_digest(folder: Path) -> str:
    """sha256 of every file in a folder tree (names relative, contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(file_digest([path]).encode())
    return digest.hexdigest()


class Registry:
    """One model's bases and versions under ``<root>/<name>``."""

    def __init__(self, root: Path, name: str) -> None:
        self.root = Path(root).resolve() / name
        self.name = name

    @property
    def versions_dir(self) -> Path:
        return self.root / "versions"

    def base_dir(self, base_id: str) -> Path:
        """Folder of a base the project built."""
        return self.root / "bases" / base_id

    def versions(self) -> list[str]:
        """Complete versions, oldest first."""
        if not self.versions_dir.is_dir():
            return []
        found = [
            p.name
            for p in self.versions_dir.iterdir()
            if VERSION_PATTERN.match(p.name) and (p / MANIFEST).is_file()
        ]
        return sorted(found, key=lambda v: int(VERSION_PATTERN.match(v).group(1)))

    def current(self) -> str | None:
        """The version the CURRENT pointer names, or None."""
        pointer = self.root / CURRENT
        return pointer.read_text().strip() if pointer.is_file() else None

    def set_current(self, version: str) -> None:
        """Point CURRENT at an existing version (atomic replace)."""
        if version not in self.versions():
            raise RegistryError(f"{self.name} has no version {version!r}; have {self.versions()}")
        _atomic_write(self.root / CURRENT, version + "\n")

    def resolve(self, version: str) -> str:
        """Turn ``current`` or ``latest`` into a concrete version name, checked to exist."""
        if version == "current":
            found = self.current()
            if found is None:
                raise RegistryError(
                    f"no model version in {self.root}: build one with "
                    "`catalog-enrich build-model` (or set model.registry to where yours are)"
                )
            version = found
        elif version == "latest":
            have = self.versions()
            if not have:
                raise RegistryError(f"no model version in {self.root}")
            version = have[-1]
        if version not in self.versions():
            raise RegistryError(
                f"model version {version!r} not found in {self.versions_dir}; have "
                f"{self.versions() or 'none'}"
            )
        return version

    def manifest(self, version: str) -> dict:
        """The manifest of a version."""
        return json.loads((self.versions_dir / version / MANIFEST).read_text())

    def ref(self, version: str = "current") -> ModelRef:
        """A :class:`ModelRef` for a version (``current`` by default)."""
        version = self.resolve(version)
        manifest = self.manifest(version)
        return ModelRef(
            model_version=f"{self.name}:{version}",
            version_dir=str(self.versions_dir / version),
            base_dir=manifest["base"]["path"],
            base_model=manifest["base"]["id"],
            adapter_id=manifest["adapter"]["sha256"][:16],
            quantization=manifest["quantization"]["type"],
            compute_dtype=manifest["quantization"]["compute_dtype"],
            context_length=manifest["base"]["context_length"],
        )

    def publish(self, staged: Path, manifest: dict) -> str:
        """Move a fully written folder in as the next version and point CURRENT at it.

        Args:
            staged: a folder made by :meth:`staging_dir`, holding the adapter and tokenizer.
            manifest: what to record; the version name and adapter hash are added here.

        Returns:
            The new version's name.
        """
        adapter_files = sorted(staged.glob("adapter_*"))
        if not adapter_files:
            raise RegistryError(f"{staged} holds no adapter files")
        have = self.versions()
        number = int(VERSION_PATTERN.match(have[-1]).group(1)) + 1 if have else 1
        version = f"v{number}"
        manifest = {
            **manifest,
            "name": self.name,
            "version": version,
            "adapter": {"sha256": file_digest(adapter_files), "files": [p.name for p in adapter_files]},
        }
        _atomic_write(staged / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        try:
            os.rename(staged, self.versions_dir / version)
        except OSError as exc:
            raise RegistryError(f"could not publish {version}: {exc}") from exc
        self.set_current(version)
        return version

    def staging_dir(self) -> Path:
        """A fresh hidden folder beside the versions to write a new one into."""
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".staging-", dir=self.versions_dir))


def publish_folder(staged: Path, final: Path) -> None:
    """Rename a fully written folder into place; a folder already there is replaced whole."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        shutil.rmtree(final)
    os.rename(staged, final)


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def manifest_dict(**fields) -> dict:
    """Turn dataclasses inside a manifest into plain dicts."""
    return {k: asdict(v) if hasattr(v, "__dataclass_fields__") else v for k, v in fields.items()}
