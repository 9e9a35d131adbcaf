"""The model registry: immutable versions, the current pointer, atomic publishing."""

import json
import os
import shutil
from pathlib import Path

import pytest

from enrich.model.registry import Registry, RegistryError


def stage(registry: Registry, content: bytes = b"weights"):
    staged = registry.staging_dir()
    (staged / "adapter_model.safetensors").write_bytes(content)
    (staged / "adapter_config.json").write_text("{}")
    return staged


def manifest(tmp_path):
    return {
        "base": {"id": "builtin-x", "path": str(tmp_path / "base"), "context_length": 256},
        "quantization": {"type": "nf4", "compute_dtype": "float32"},
    }


def test_publish_numbers_versions_and_moves_current(tmp_path):
    registry = Registry(tmp_path, "m")
    assert registry.versions() == [] and registry.current() is None
    v1 = registry.publish(stage(registry, b"one"), manifest(tmp_path))
    v2 = registry.publish(stage(registry, b"two"), manifest(tmp_path))
    assert (v1, v2) == ("v1", "v2")
    assert registry.versions() == ["v1", "v2"]
    assert registry.current() == "v2"
    registry.set_current("v1")
    assert registry.resolve("current") == "v1"
    assert registry.resolve("latest") == "v2"


def test_ref_carries_what_a_worker_needs(tmp_path):
    registry = Registry(tmp_path, "m")
    registry.publish(stage(registry), manifest(tmp_path))
    ref = registry.ref()
    assert ref.model_version == "m:v1"
    assert ref.quantization == "nf4" and ref.context_length == 256
    assert len(ref.adapter_id) == 16
    stored = json.loads((tmp_path / "m" / "versions" / "v1" / "manifest.json").read_text())
    assert stored["adapter"]["sha256"].startswith(ref.adapter_id)


def test_the_run_decides_the_compute_dtype_and_auto_is_the_devices_native_one(
    tmp_path, monkeypatch
):
    import torch

    from enrich.model.loading import native_compute_dtype, resolved

    registry = Registry(tmp_path, "m")
    registry.publish(stage(registry), manifest(tmp_path))
    assert registry.ref().compute_dtype == "float32"  # the version's, by default
    ref = registry.ref(compute_dtype="auto")
    assert ref.compute_dtype == "auto"
    for avx512_bf16, amx, expected in [(True, False, "bfloat16"), (False, True, "bfloat16"),
                                       (False, False, "float32")]:
        monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda v=avx512_bf16: v)
        monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda v=amx: v)
        assert native_compute_dtype("cpu") == expected
        assert resolved(ref, "cpu").compute_dtype == expected
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: False)
    assert native_compute_dtype("cuda:0") == "float32"
    # A dtype the run names is kept as named.
    assert resolved(registry.ref(compute_dtype="float32"), "cpu").compute_dtype == "float32"


def test_adapter_id_follows_content(tmp_path):
    registry = Registry(tmp_path, "m")
    registry.publish(stage(registry, b"one"), manifest(tmp_path))
    registry.publish(stage(registry, b"two"), manifest(tmp_path))
    assert registry.ref("v1").adapter_id != registry.ref("v2").adapter_id


def test_half_written_version_is_invisible(tmp_path):
    registry = Registry(tmp_path, "m")
    stage(registry)  # a crash before publish leaves only the hidden staging folder
    (registry.versions_dir / "v7").mkdir()  # and a folder without a manifest is no version
    assert registry.versions() == []
    with pytest.raises(RegistryError, match="catalog-enrich train"):
        registry.ref()


def test_unknown_version_names_what_exists(tmp_path):
    registry = Registry(tmp_path, "m")
    registry.publish(stage(registry), manifest(tmp_path))
    with pytest.raises(RegistryError, match="v9.*v1"):
        registry.ref("v9")
    with pytest.raises(RegistryError):
        registry.set_current("v9")


def test_publish_refuses_a_folder_without_adapter(tmp_path):
    registry = Registry(tmp_path, "m")
    with pytest.raises(RegistryError, match="no adapter weights"):
        registry.publish(registry.staging_dir(), manifest(tmp_path))


def test_a_changed_or_missing_file_is_refused_naming_it(tmp_path):
    registry = Registry(tmp_path, "m")
    registry.publish(stage(registry, b"good weights"), manifest(tmp_path))
    registry.ref()  # intact: accepted
    weights = registry.versions_dir / "v1" / "adapter_model.safetensors"
    weights.write_bytes(b"evil weights")
    with pytest.raises(RegistryError, match="adapter_model.safetensors does not match the sha256"):
        registry.ref()
    weights.unlink()
    with pytest.raises(RegistryError, match="adapter_model.safetensors is missing"):
        registry.ref()


def test_a_manifest_pointing_outside_the_version_is_refused(tmp_path):
    registry = Registry(tmp_path, "m")
    registry.publish(stage(registry), manifest(tmp_path))
    path = registry.versions_dir / "v1" / "manifest.json"
    data = json.loads(path.read_text())
    data["files"]["../../escape.bin"] = "0" * 64
    path.write_text(json.dumps(data))
    with pytest.raises(RegistryError, match="outside the version folder"):
        registry.ref()


@pytest.mark.parametrize("name", ["../v1", "/etc/passwd", "v1/../../x", "v01"])
def test_version_names_cannot_escape_the_registry(tmp_path, name):
    registry = Registry(tmp_path, "m")
    registry.publish(stage(registry), manifest(tmp_path))
    with pytest.raises(RegistryError, match="not found"):
        registry.ref(name)


def test_registry_at_a_url_is_read_in_place_and_loaded_from_a_checked_local_copy(tmp_path):
    built = Registry(tmp_path / "shared", "m")
    built.base_dir("builtin-x").mkdir(parents=True)
    (built.base_dir("builtin-x") / "config.json").write_text("{}")
    base = {"id": "builtin-x", "path": str(built.base_dir("builtin-x")), "context_length": 256}
    built.publish(stage(built, b"one"), {**manifest(tmp_path), "base": base})
    built.publish(stage(built, b"two"), {**manifest(tmp_path), "base": base})
    built.set_current("v1")

    remote = Registry(f"file://{tmp_path / 'shared'}", "m", cache_dir=tmp_path / "cache")
    assert remote.versions() == ["v1", "v2"] and remote.resolve("current") == "v1"
    ref = remote.ref()
    assert ref.model_version == "m:v1" and ref.adapter_id == built.ref("v1").adapter_id
    assert ref.version_dir.startswith(str(tmp_path / "cache"))
    assert (tmp_path / "cache") in Path(ref.base_dir).parents

    # A worker on another machine has no copy yet: fetch makes it, base included, once.
    shutil.rmtree(tmp_path / "cache")
    ref.fetch()
    assert (Path(ref.version_dir) / "adapter_model.safetensors").read_bytes() == b"one"
    assert (Path(ref.base_dir) / "config.json").is_file()

    with pytest.raises(RegistryError, match="read-only"):
        remote.set_current("v2")


def test_a_copy_that_differs_from_the_manifest_is_refused(tmp_path):
    built = Registry(tmp_path / "shared", "m")
    built.publish(stage(built, b"one"), manifest(tmp_path))
    ref = Registry(f"file://{tmp_path / 'shared'}", "m", cache_dir=tmp_path / "cache").ref()
    shutil.rmtree(tmp_path / "cache")
    (built.versions_dir / "v1" / "adapter_model.safetensors").write_bytes(b"tampered")
    with pytest.raises(RegistryError, match="does not match"):
        ref.fetch()


def test_staging_folders_of_dead_processes_on_this_host_are_cleared(tmp_path):
    import socket
    import subprocess
    import sys

    from enrich.model.registry import STAGING, staging_folder

    host = socket.gethostname().replace("-", "_")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    left = {
        "dead": tmp_path / f"{STAGING}{host}-{dead}-abc",
        "alive": tmp_path / f"{STAGING}{host}-{os.getpid()}-abc",
        "elsewhere": tmp_path / f"{STAGING}otherhost-{dead}-abc",
    }
    for folder in left.values():
        (folder / "weights").mkdir(parents=True)
    fresh = staging_folder(tmp_path)
    assert fresh.name.startswith(f"{STAGING}{host}-{os.getpid()}-") and fresh.is_dir()
    assert not left["dead"].exists()
    assert left["alive"].exists() and left["elsewhere"].exists()
