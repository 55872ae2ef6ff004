"""Adapters exported as GGUF LoRAs for llama.cpp: names, the rotary row layout, and the file's metadata.

The end-to-end check against llama.cpp on the real SmolLM2 GGUF takes half a
minute, so it runs only with SLEEPY_REAL_MODEL=1.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch

from trainer.gguf_export import BaseGGUF, gguf_name, read_base, rotary_permute, to_gguf_layout, write_gguf_lora

BASE = BaseGGUF("llama", blocks=2, heads=4, kv_heads=2)


def fake_base(path: Path) -> Path:
    """A metadata-only GGUF that says what a llama base model would."""
    import gguf

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(2)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def test_names_follow_ggufs_own_map():
    assert gguf_name("model.layers.1.self_attn.q_proj", BASE) == "blk.1.attn_q.weight"
    assert gguf_name("model.layers.0.mlp.down_proj", BASE) == "blk.0.ffn_down.weight"
    assert gguf_name("model.layers.0.self_attn.o_proj", BASE) == "blk.0.attn_output.weight"
    with pytest.raises(ValueError, match="'klingon'"):
        gguf_name("model.layers.0.mlp.down_proj", BaseGGUF("klingon", 1, 1, 1))


def test_rotary_permutation_undoes_what_transformers_does_on_loading():
    from transformers.modeling_gguf_pytorch_utils import LlamaTensorProcessor

    processor = LlamaTensorProcessor(config={"num_attention_heads": 4, "num_key_value_heads": 2})
    weights = np.arange(32 * 6, dtype=np.float32).reshape(32, 6)
    as_gguf = rotary_permute(weights, 4)
    assert not np.array_equal(as_gguf, weights)
    assert np.array_equal(processor._reverse_permute_weights(as_gguf, 4, 4), weights)
    keys = np.arange(16 * 3, dtype=np.float32).reshape(16, 3)
    assert np.array_equal(processor._reverse_permute_weights(rotary_permute(keys, 2), 4, 2), keys)


def test_only_q_and_k_rows_are_permuted_and_only_for_llama():
    a, b = np.ones((4, 32), np.float32), np.arange(32 * 4, dtype=np.float32).reshape(32, 4)
    assert not np.array_equal(to_gguf_layout("model.layers.0.self_attn.q_proj", a, b, BASE)[1], b)
    assert np.array_equal(to_gguf_layout("model.layers.0.self_attn.v_proj", a, b, BASE)[1], b)
    assert np.array_equal(to_gguf_layout("model.layers.0.self_attn.q_proj", a, b, BaseGGUF("gemma3", 2, 4, 1))[1], b)


def test_written_adapter_has_llama_cpps_lora_layout(tmp_path):
    from gguf import GGUFReader

    base = fake_base(tmp_path / "base.gguf")
    assert read_base(base) == BASE
    factors = {"model.layers.0.self_attn.k_proj": (torch.randn(8, 32), torch.randn(16, 8)),
               "model.layers.1.mlp.up_proj": (torch.randn(8, 32), torch.randn(64, 8))}
    path = write_gguf_lora(tmp_path / "adapter.gguf", factors, base)
    reader = GGUFReader(str(path))
    assert reader.fields["general.type"].contents() == "adapter"
    assert reader.fields["adapter.type"].contents() == "lora"
    assert reader.fields["adapter.lora.alpha"].contents() == 8.0  # alpha = rank: llama.cpp's scale is 1
    tensors = {t.name: t for t in reader.tensors}
    assert set(tensors) == {"blk.0.attn_k.weight.lora_a", "blk.0.attn_k.weight.lora_b",
                            "blk.1.ffn_up.weight.lora_a", "blk.1.ffn_up.weight.lora_b"}
    assert tuple(tensors["blk.1.ffn_up.weight.lora_b"].data.shape) == (64, 8)
    assert tuple(tensors["blk.1.ffn_up.weight.lora_a"].data.shape) == (8, 32)
    assert np.allclose(tensors["blk.1.ffn_up.weight.lora_b"].data, factors["model.layers.1.mlp.up_proj"][1].numpy())
    with pytest.raises(ValueError, match="same rank"):
        write_gguf_lora(tmp_path / "mixed.gguf", {**factors, "model.layers.0.mlp.up_proj": (torch.ones(2, 32),
                                                                                              torch.ones(64, 2))}, base)


# One adapted module each, scaled so its effect on the logits stands well above the difference between
# llama.cpp's quantised arithmetic and torch's de-quantised fp32 (measured: a logit-vector distance of about 30).
REAL_CASES = [("model.layers.29.mlp.down_proj", 0.2), ("model.layers.29.self_attn.q_proj", 0.2),
              ("model.layers.29.self_attn.k_proj", 0.5)]


@pytest.mark.skipif(not os.environ.get("SLEEPY_REAL_MODEL"), reason="set SLEEPY_REAL_MODEL=1 (about 30 s)")
def test_llama_cpp_applies_the_exported_lora_like_torch(tmp_path, monkeypatch):
    llama_cpp = pytest.importorskip("llama_cpp")
    import trainer.gguf_export
    from trainer.models import default_base_model, load_model, load_tokenizer, pick_placement

    gguf_path = default_base_model()
    tokenizer, model = load_tokenizer(gguf_path), load_model(gguf_path, pick_placement("cpu"))
    ids = tokenizer("fn main() { let x = 5; println!(\"{}\", x); }", add_special_tokens=False)["input_ids"]

    def served(lora: Path | None) -> np.ndarray:
        llm = llama_cpp.Llama(str(gguf_path), lora_path=str(lora) if lora else None, n_ctx=256, logits_all=True,
                              verbose=False)
        llm.eval(ids)
        return np.array(llm.scores[len(ids) - 1])

    def cosine(x: np.ndarray, y: np.ndarray) -> float:
        return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))

    with torch.no_grad():
        base = model(torch.tensor([ids])).logits[0, -1].numpy()
    served_base = served(None)
    for name, scale in REAL_CASES:
        weight = model.get_submodule(name).weight
        generator = torch.Generator().manual_seed(1)
        a = torch.randn(8, weight.shape[1], generator=generator) * scale
        b = torch.randn(weight.shape[0], 8, generator=generator) * scale
        original = weight.detach().clone()
        with torch.no_grad():
            weight.copy_(original + b @ a)
            effect = model(torch.tensor([ids])).logits[0, -1].numpy() - base
            weight.copy_(original)
        adapter = write_gguf_lora(tmp_path / "adapter.gguf", {name: (a, b)}, gguf_path)
        assert cosine(served(adapter) - served_base, effect) > 0.9, name
        if name.endswith(("q_proj", "k_proj")):
            monkeypatch.setattr(trainer.gguf_export, "ROTARY_PERMUTED_ARCHS", ())
            unpermuted = write_gguf_lora(tmp_path / "unpermuted.gguf", {name: (a, b)}, gguf_path)
            monkeypatch.undo()
            assert cosine(served(unpermuted) - served_base, effect) < 0.5, f"{name}: the permutation must matter"


def test_a_share_task_changed_by_phase_3_is_exported_again_as_the_routed_layer(tmp_path):
    from gguf import GGUFReader

    from trainer.lora import LoraSettings, read_peft_factors
    from trainer.night import NightPlan
    from trainer.publish import publish
    from trainer.registry import Registry
    from trainer.report import NightReport
    from trainer.share import ShareSettings, add_task, attach_share, phase1_basis, select_task, share_layers
    from trainer.tasks import Trained, merge_and_export
    from trainer.tiny import tiny_model

    base = fake_base(tmp_path / "base.gguf")
    settings = ShareSettings(r=4, k=4, max_k=4)  # no room to grow: tonight's phase 3 must change the earlier task
    model = tiny_model()
    generator = torch.Generator().manual_seed(0)
    bootstrap = {name: (torch.randn(4, m.in_features, generator=generator), torch.randn(m.out_features, 4, generator=generator))
                 for name, m in model.named_modules()
                 if isinstance(m, torch.nn.Linear) and name.rsplit(".", 1)[-1] in settings.target_modules}
    attach_share(model, phase1_basis([bootstrap], settings), settings)
    add_task(model, "borrow", seed=1, rank_updates=0)  # an earlier night's task, in the basis
    add_task(model, "result", seed=2, rank_updates=2)  # tonight's, with rank updates that leave it
    with torch.no_grad():
        for layer in share_layers(model).values():
            for store in (layer.share_eps_b, layer.share_update_a_v, layer.share_update_b_v):
                for tensor in store.values():
                    tensor.copy_(torch.randn(tensor.shape, generator=generator))
    plan = NightPlan("share", base, per_family=True, lora=LoraSettings(r=4, alpha=8.0), share=settings,
                     registry_root=tmp_path / "adapters", work_root=tmp_path / "work", koans_dir=None,
                     use_memory=False, evaluate=False)
    trained = Trained(model, {})

    merge_and_export(trained, ["result"], plan)

    assert trained.share.reexported == ["borrow"] and trained.share.phase3_errors["borrow"] > 1e-3
    assert set(trained.factors) == {"result", "borrow"}
    entries = publish(plan, trained, "20260102T000000", NightReport("20260102T000000", "share", str(base), True),
                      lambda message: None)
    registry = Registry(tmp_path / "adapters")
    manifest = registry.manifest(entries["borrow"])
    assert manifest.reexported and manifest.task == "borrow" and manifest.files["gguf"] == "adapter.gguf"
    assert not registry.manifest(entries["result"]).reexported
    # What the registry now holds for borrow is exactly what the Share model routed to borrow computes.
    peft = read_peft_factors(registry.path(manifest.id))
    select_task(model, "borrow")
    for name, layer in share_layers(model).items():
        a, b = peft[name]
        assert torch.allclose(b @ a, layer.delta_weight("borrow"), atol=1e-5), name
    tensors = {t.name: np.array(t.data) for t in GGUFReader(str(registry.path(manifest.id) / "adapter.gguf")).tensors}
    for name, gguf in (("model.layers.1.mlp.down_proj", "blk.1.ffn_down"), ("model.layers.0.self_attn.v_proj", "blk.0.attn_v")):
        served = torch.from_numpy(tensors[f"{gguf}.weight.lora_b"] @ tensors[f"{gguf}.weight.lora_a"])
        assert torch.allclose(served, share_layers(model)[name].delta_weight("borrow"), atol=1e-5), name
