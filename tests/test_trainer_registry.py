"""The adapter registry: manifests, champions per family with fallback, and a change a running engine notices."""

from __future__ import annotations

import json

import pytest

from sleepy_lsp.model.adapters import champion_adapters, change_token
from sleepy_lsp.model.backends import Backend
from trainer.lora import save_factors_as_peft
from trainer.registry import Champion, Manifest, Registry, RegistryError


def add(registry: Registry, method: str = "lora", family: str = "borrow", kind: str = "adapter") -> str:
    manifest = Manifest(registry.new_id(method, family), method, "base.gguf", family, kind, family,
                        trainable_params=1234)
    with registry.adding(manifest) as folder:
        (folder / "adapter_config.json").write_text("{}")
        (folder / "adapter.gguf").write_bytes(b"GGUF")
    return manifest.id


def test_adding_writes_a_manifest_and_publishes_atomically(tmp_path):
    registry = Registry(tmp_path / "adapters")
    adapter_id = add(registry)
    manifest = registry.manifest(adapter_id)
    assert manifest.method == "lora" and manifest.family == "borrow" and manifest.trainable_params == 1234
    assert manifest.created_at.endswith("+00:00")
    assert [m.id for m in registry.manifests()] == [adapter_id]

    broken = Manifest(registry.new_id("lora", "result"), "lora", "base.gguf", "result")
    with pytest.raises(RuntimeError):
        with registry.adding(broken) as folder:
            (folder / "partial").write_text("half")
            raise RuntimeError("killed halfway")
    assert [m.id for m in registry.manifests()] == [adapter_id], "a half-written adapter never appears"
    assert not any(p.name.startswith(".") for p in registry.root.iterdir())


def test_manifest_and_registry_errors_name_the_problem(tmp_path):
    with pytest.raises(ValueError, match="'dreaming'"):
        Manifest("x", "dreaming", "base")
    registry = Registry(tmp_path)
    with pytest.raises(RegistryError, match="'nope'"):
        registry.manifest("nope")
    basis = add(registry, "share", "all", kind="basis")
    with pytest.raises(ValueError, match="Share basis"):
        registry.set_champions({"borrow": Champion(basis, "all")})


def test_champions_route_by_family_with_fallback(tmp_path):
    registry = Registry(tmp_path)
    borrow, everything = add(registry, family="borrow"), add(registry, family="all")
    assert registry.champion_for("borrow") is None and registry.version() == 0
    assert registry.set_champions({"all": Champion(everything, "all")}) == 1
    assert registry.set_champions({"borrow": Champion(borrow, "borrow")}) == 2
    assert registry.champion_for("borrow") == Champion(borrow, "borrow")
    assert registry.champion_for("result") == Champion(everything, "all")
    raw = json.loads((tmp_path / "champions.json").read_text())
    assert raw["borrow"] == {"adapter": borrow, "task": "borrow"} and raw["_version"] == 2


def test_promote_serves_an_adapter_for_its_family_or_all_and_rolls_back(tmp_path):
    registry = Registry(tmp_path)
    first, second, borrow = add(registry, family="all"), add(registry, family="all"), add(registry, family="borrow")
    assert registry.promote(second, borrow) == 1  # one atomic write
    assert registry.champion_for("borrow").adapter == borrow
    assert registry.champion_for("result").adapter == second
    assert registry.promote(first) == 2  # rolled back: an all-families adapter takes every family again
    assert {c.adapter for c in registry.champions().values()} == {first}
    with pytest.raises(RegistryError, match="'nope'"):
        registry.promote("nope")
    assert registry.version() == 2


def test_the_day_side_reader_sees_what_the_registry_publishes(tmp_path):
    registry = Registry(tmp_path)
    borrow = add(registry, family="borrow")
    registry.set_champions({"borrow": Champion(borrow, "borrow")})
    assert champion_adapters(tmp_path, "transformers") == {"borrow": tmp_path / borrow}
    assert champion_adapters(tmp_path, "llama_cpp") == {"borrow": tmp_path / borrow / "adapter.gguf"}


def test_a_running_engine_notices_a_new_champion(tmp_path):
    registry = Registry(tmp_path)
    first, second = add(registry, family="borrow"), add(registry, family="borrow")
    registry.set_champions({"borrow": Champion(first, "borrow")})
    backend = Backend()
    backend.set_adapters(champion_adapters(tmp_path, "transformers"))
    seen = change_token(tmp_path)
    assert change_token(tmp_path) == seen, "nothing changes while the champions stay"

    # The night promotes a new champion while the engine is running; the engine's next poll sees it and reloads.
    registry.set_champions({"borrow": Champion(second, "borrow")})
    assert change_token(tmp_path) != seen
    seen = change_token(tmp_path)
    backend.set_adapters(champion_adapters(tmp_path, "transformers"))
    assert backend.adapters["borrow"] == tmp_path / second
    assert change_token(tmp_path) == seen, "one change is seen once"
    assert registry.version() == 2


def test_two_quick_writes_are_both_visible(tmp_path):
    registry = Registry(tmp_path)
    adapter = add(registry)
    seen = change_token(tmp_path)
    registry.set_champions({"borrow": Champion(adapter, "borrow")})
    assert change_token(tmp_path) != seen
    seen = change_token(tmp_path)
    registry.set_champions({"result": Champion(adapter, "borrow")})
    assert change_token(tmp_path) != seen, "the inode changes even within one timestamp tick"


def test_share_tasks_are_published_as_peft_loras(tmp_path):
    import torch
    from peft import PeftModel

    from trainer.tiny import tiny_model

    model = tiny_model()
    generator = torch.Generator().manual_seed(0)
    factors = {"model.layers.0.self_attn.q_proj": (torch.randn(4, 32, generator=generator),
                                                   torch.randn(32, 4, generator=generator))}
    save_factors_as_peft(factors, tmp_path / "adapter", "tiny")
    weight = model.model.layers[0].self_attn.q_proj.weight.detach().clone()
    merged = PeftModel.from_pretrained(model, str(tmp_path / "adapter")).merge_and_unload()
    a, b = factors["model.layers.0.self_attn.q_proj"]
    assert torch.allclose(merged.model.layers[0].self_attn.q_proj.weight, weight + b @ a, atol=1e-5)
