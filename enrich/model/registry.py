"""The model registry: bases and immutable, versioned adapters in a folder, and the current pointer.

Layout under ``<registry>/<name>/``::

    bases/<base_id>/             tokenizer + weights of a base the project converted (the embedded
                                 SmolLM2) or built (builtin), with base.json
    versions/v1/                 adapter, tokenizer and manifest.json of one trained version
    versions/v1/merged/          the adapter folded into the base (versions trained with --merge)
    versions/v1/evaluation.json  the latest `evaluate` report
    versions/v1/README.md        the model card (Hugging Face convention), rewritten with each report
    CURRENT                      the version the enrichment job uses unless told otherwise

A version or base is written into a hidden staging folder and renamed into place only when
complete, so a crash mid-write never leaves a folder that looks like a version. A staging folder is
named after the host and process that writes it; one whose process is gone (killed mid-write) is
deleted the next time a folder is staged beside it. Its files are never changed
after that; only the evaluation report and the model card beside them are rewritten by ``evaluate``.

The registry may also be an fsspec URL (``s3://bucket/models``; see :mod:`enrich.model.storage`):
it is then read-only, and the folders a model loads from are copied once per machine into a local
cache, checked against the manifest's sha256 there, and loaded from the copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

from enrich.faults import fault_point
from enrich.locations import join
from enrich.model import storage
from enrich.model.card import CARD, render_card

MANIFEST = "manifest.json"
BASE_MANIFEST = "base.json"  # beside a base's weights: what it was built or converted from
CURRENT = "CURRENT"
MERGED = "merged"
EVALUATION = "evaluation.json"
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
    merged_dir: str | None = None  # set when generating with the merged weights
    precision: str = "nf4"  # how generation loads the weights: nf4, int8 or bf16 (adapter merged)
    # (URL, local folder) pairs to copy before loading, for a registry at a URL.
    sources: tuple[tuple[str, str], ...] = ()

    def fetch(self) -> None:
        """Copy this machine's missing folders from the registry URL and check the version copy
        against its manifest (nothing to do for a registry on a filesystem)."""
        for url, local in self.sources:
            if not Path(local).is_dir():
                storage.fetch_folder(url, local)
                if local == self.version_dir:
                    verify_version(Path(local), self.model_version)

    @property
    def cache_key(self) -> str:
        """Key under which a worker caches the loaded model."""
        return "|".join(
            [self.version_dir, self.adapter_id, self.precision, self.compute_dtype,
             self.merged_dir or "adapter"]
        )

    @property
    def weights_label(self) -> str:
        """What the ``quantization`` column records: the format, and whether merged."""
        merged = self.merged_dir or self.precision == "bf16"
        return f"{self.precision}-merged" if merged else self.precision


def _feed(digest, path: Path) -> None:
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)


def sha256(path: Path) -> str:
    """The sha256 of one file's bytes (what ``sha256sum`` prints)."""
    digest = hashlib.sha256()
    _feed(digest, path)
    return digest.hexdigest()


def file_digest(paths: list[Path]) -> str:
    """sha256 over the names and contents of files, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        _feed(digest, path)
    return digest.hexdigest()


def folder_digest(folder: Path, *, exclude: tuple[str, ...] = ()) -> str:
    """sha256 of every file in a folder tree (relative names and contents), but ``exclude``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in exclude):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(file_digest([path]).encode())
    return digest.hexdigest()


class Registry:
    """One model's bases and versions under ``<root>/<name>``; ``root`` a folder or an fsspec URL.

    A registry at a URL is read-only: versions are listed and resolved there, and a version is
    copied into ``cache_dir`` to be checked and loaded.
    """

    def __init__(self, root: Path | str, name: str, *, cache_dir: Path | None = None) -> None:
        self.name = name
        self.url = join(root, name) if storage.is_url(root) else None
        self.root = Path(root).resolve() / name if self.url is None else None
        self.cache_dir = Path(cache_dir or Path(tempfile.gettempdir()) / "catalog-enrich-models")

    @property
    def location(self) -> str:
        """Where the registry is, for messages."""
        return self.url or str(self.root)

    def _writable(self) -> Path:
        if self.url is not None:
            raise RegistryError(
                f"the registry at {self.url} is read-only here: train into a folder (a local or "
                "mounted model.registry) and copy it to the URL"
            )
        return self.root

    def _read(self, *parts: str) -> str | None:
        if self.url is not None:
            return storage.read_text(join(self.url, *parts))
        path = self.root.joinpath(*parts)
        return path.read_text() if path.is_file() else None

    @property
    def versions_dir(self) -> Path:
        return self._writable() / "versions"

    def base_dir(self, base_id: str) -> Path:
        """Folder of a base the project converted or built."""
        return self._writable() / "bases" / base_id

    def base_reference(self, folder: Path) -> str:
        """How a manifest names a base folder: ``bases/<id>`` (relative to the registry, so the
        registry can move or be copied) for a base the registry holds, else the full path."""
        folder = Path(folder).resolve()
        bases = self._writable() / "bases"
        return f"bases/{folder.name}" if folder.parent == bases else str(folder)

    def versions(self) -> list[str]:
        """Complete versions, oldest first."""
        if self.url is not None:
            listed = storage.list_folders(join(self.url, "versions"))
            found = [
                v for v in listed
                if VERSION_PATTERN.match(v) and self._read("versions", v, MANIFEST) is not None
            ]
        elif not self.versions_dir.is_dir():
            return []
        else:
            found = [
                p.name
                for p in self.versions_dir.iterdir()
                if VERSION_PATTERN.match(p.name) and (p / MANIFEST).is_file()
            ]
        return sorted(found, key=lambda v: int(VERSION_PATTERN.match(v).group(1)))

    def current(self) -> str | None:
        """The version the CURRENT pointer names, or None."""
        text = self._read(CURRENT)
        return text.strip() if text is not None else None

    def set_current(self, version: str) -> None:
        """Point CURRENT at an existing version (atomic replace)."""
        root = self._writable()
        if version not in self.versions():
            raise RegistryError(f"{self.name} has no version {version!r}; have {self.versions()}")
        _atomic_write(root / CURRENT, version + "\n")

    def resolve(self, version: str) -> str:
        """Turn ``current`` or ``latest`` into a concrete version name, checked to exist."""
        if version == "current":
            found = self.current()
            if found is None:
                raise RegistryError(
                    f"no model version in {self.location}: build one with "
                    "`catalog-enrich train` (or set model.registry to where yours are)"
                )
            version = found
        elif version == "latest":
            have = self.versions()
            if not have:
                raise RegistryError(f"no model version in {self.location}")
            version = have[-1]
        if version not in self.versions():
            raise RegistryError(
                f"model version {version!r} not found in {self.location}/versions; have "
                f"{self.versions() or 'none'}"
            )
        return version

    def manifest(self, version: str) -> dict:
        """The manifest of a version."""
        text = self._read("versions", version, MANIFEST)
        if text is None:
            raise RegistryError(f"{self.name}:{version} has no {MANIFEST} in {self.location}")
        return json.loads(text)

    def version_folder(self, version: str) -> Path:
        """The local folder of a version: in the registry, or this machine's copy of it."""
        if self.url is None:
            return self.versions_dir / version
        url = join(self.url, "versions", version)
        return storage.fetch_folder(url, storage.cache_path(url, self.cache_dir))

    def verify(self, version: str) -> None:
        """Check every file the manifest lists against its sha256, and that none is a link out.

        Raises:
            RegistryError: naming the first file that is missing, changed or escapes the version.
        """
        verify_version(self.version_folder(version), f"{self.name}:{version}")

    def save_evaluation(self, version: str, report: dict) -> Path:
        """Write the ``evaluate`` report of a version beside its files (atomic replace)."""
        path = self.versions_dir / self.resolve(version) / EVALUATION
        _atomic_write(path, json.dumps(report, indent=2, sort_keys=True))
        _atomic_write(path.with_name(CARD), render_card(self.manifest(version), report))
        return path

    def evaluation(self, version: str) -> dict | None:
        """The latest ``evaluate`` report of a version, or None."""
        text = self._read("versions", self.resolve(version), EVALUATION)
        return json.loads(text) if text is not None else None

    def ref(
        self, version: str = "current", *, use_merged: bool = False, precision: str | None = None,
        compute_dtype: str | None = None,
    ) -> ModelRef:
        """A :class:`ModelRef` for a version (``current`` by default).

        Args:
            version: a version name, ``current`` or ``latest``.
            use_merged: generate with the version's merged weights.
            precision: how to load the weights for generation (``nf4``, ``int8``, ``bf16``);
                the version's training quantization by default.
            compute_dtype: the dtype generation computes in (``auto``: the device's native one,
                resolved where the model loads); the version's manifest's by default.

        Raises:
            RegistryError: no such version, a file of it changed or missing, or ``use_merged``
                for a version trained without ``--merge``.
        """
        version = self.resolve(version)
        self.verify(version)
        manifest = self.manifest(version)
        folder = self.version_folder(version)
        base_dir, sources = manifest["base"]["path"], ()
        base = Path(base_dir)
        # A base the project converted or built lives in the registry: "bases/<id>" (older
        # manifests hold the full path of <registry>/<name>/bases/<id>).
        held = not base.is_absolute() or (
            base.parent.name == "bases" and base.parent.parent.name == self.name
        )
        if self.url is not None:
            sources = ((join(self.url, "versions", version), str(folder)),)
            if held:
                # Copy it from the URL as well.
                base_url = join(self.url, "bases", base.name)
                base_dir = str(storage.cache_path(base_url, self.cache_dir))
                sources += ((base_url, base_dir),)
        elif not base.is_absolute():
            base_dir = str(self.root / base)
            if not Path(base_dir).is_dir():
                raise RegistryError(
                    f"{self.name}:{version} needs the base {base.name}, which is not in "
                    f"{self.root / 'bases'}: `catalog-enrich train` with the model.base the "
                    "version was trained on converts or builds it again"
                )
        merged_dir = None
        if use_merged:
            merged = folder / MERGED
            if not (merged / "config.json").is_file():
                raise RegistryError(
                    f"{self.name}:{version} has no merged weights; train with "
                    "`catalog-enrich train --merge`, or set model.use_merged=false"
                )
            merged_dir = str(merged)
        return ModelRef(
            model_version=f"{self.name}:{version}",
            version_dir=str(folder),
            base_dir=base_dir,
            base_model=manifest["base"]["id"],
            adapter_id=manifest["adapter"]["sha256"][:16],
            quantization=manifest["quantization"]["type"],
            compute_dtype=compute_dtype or manifest["quantization"]["compute_dtype"],
            context_length=manifest["base"]["context_length"],
            merged_dir=merged_dir,
            precision=precision or manifest["quantization"]["type"],
            sources=sources,
        )

    def publish(self, staged: Path, manifest: dict) -> str:
        """Move a fully written folder in as the next version and point CURRENT at it.

        Args:
            staged: a folder made by :meth:`staging_dir`, holding the adapter and tokenizer.
            manifest: what to record; the version name and file hashes are added here.

        Returns:
            The new version's name.
        """
        # The adapter's identity is its weights: its config names the base's path, which differs
        # between registries that hold the very same adapter.
        adapter_files = sorted(staged.glob("adapter_*.safetensors"))
        if not adapter_files:
            raise RegistryError(f"{staged} holds no adapter weights (adapter_*.safetensors)")
        have = self.versions()
        number = int(VERSION_PATTERN.match(have[-1]).group(1)) + 1 if have else 1
        version = f"v{number}"
        manifest = {
            **manifest,
            "name": self.name,
            "version": version,
            "adapter": {
                "sha256": file_digest(adapter_files),
                "files": [p.name for p in adapter_files],
            },
            # Every file of the version with its sha256, to check the version before use; the
            # model card is rewritten with each evaluation, so it is not one of them.
            "files": {
                str(p.relative_to(staged)): file_digest([p])
                for p in sorted(staged.rglob("*"))
                if p.is_file() and p.relative_to(staged).as_posix() not in (MANIFEST, CARD)
            },
        }
        _atomic_write(staged / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
        _atomic_write(staged / CARD, render_card(manifest))
        try:
            os.rename(staged, self.versions_dir / version)
        except OSError as exc:
            raise RegistryError(f"could not publish {version}: {exc}") from exc
        fault_point("published")
        self.set_current(version)
        return version

    def staging_dir(self) -> Path:
        """A fresh hidden folder beside the versions to write a new one into."""
        return staging_folder(self.versions_dir)


STAGING = ".staging-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def staging_folder(parent: Path) -> Path:
    """A fresh hidden folder in ``parent`` to write a version or base into before it is renamed
    into place. Staging folders that this host's dead processes left are deleted first."""
    parent.mkdir(parents=True, exist_ok=True)
    host = socket.gethostname().replace("-", "_")
    for old in parent.glob(f"{STAGING}{host}-*-*"):
        pid = old.name[len(STAGING) + len(host) + 1:].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{STAGING}{host}-{os.getpid()}-", dir=parent))


def verify_version(folder: Path, label: str) -> None:
    """Check the files of the version in ``folder`` against the sha256 in its manifest.

    Raises:
        RegistryError: naming the first file that is missing, changed or escapes the version.
    """
    files = json.loads((folder / MANIFEST).read_text()).get("files")
    if not files:
        raise RegistryError(f"{label} lists no files in {MANIFEST}; refusing it")
    for name, expected in sorted(files.items()):
        path = folder / name
        if folder.resolve() not in path.resolve().parents:
            raise RegistryError(f"{label}: {name} lies outside the version folder")
        if not path.is_file():
            raise RegistryError(f"{label}: {path} is missing (half-written version?)")
        if file_digest([path]) != expected:
            raise RegistryError(
                f"{label}: {path} does not match the sha256 in {MANIFEST} "
                "(changed after publishing); refusing the version"
            )


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
