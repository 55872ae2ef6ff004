"""Share's three phases, its routing, its saved state and its size, on tiny random models and real model shapes.

Stated tolerance for phase 3: when the kept directions cover the span of
every task's side matrices (K >= that span's dimension), re-projection
rebuilds every earlier task's delta W within 1e-4 relative Frobenius error.
"""

from __future__ import annotations

import pytest
import torch

from trainer.lora import DEFAULT_TARGET_MODULES, LoraSettings, linear_shapes, lora_parameter_count
from trainer.models import meta_model
from trainer.share import (
    ShareLinear,
    ShareSettings,
    add_task,
    attach_share,
    check_task_name,
    choose_k,
    combine_tasks,
    freeze_for_task,
    load_share,
    phase1_basis,
    phase3_merge,
    principal_basis,
    project_factors,
    save_share,
    select_task,
    share_layers,
    share_parameter_count,
    task_factors,
    tasks_of,
)
from trainer.tiny import tiny_model

TOLERANCE = 1e-4
R, K = 4, 4
SETTINGS = ShareSettings(r=R, k=K)


def subspace_adapters(model, count, dim=K, seed=0):
    """LoRA factors of this model's shapes whose side matrices all lie in one dim-dimensional subspace per side."""
    generator = torch.Generator().manual_seed(seed)
    shapes = linear_shapes(model)
    spans = {name: (torch.linalg.qr(torch.randn(d_in, dim, generator=generator))[0],
                    torch.linalg.qr(torch.randn(d_out, dim, generator=generator))[0])
             for name, (d_in, d_out) in shapes.items()}
    adapters = []
    for _ in range(count):
        adapters.append({name: ((span_a @ torch.randn(dim, R, generator=generator)).t(),
                                span_b @ torch.randn(dim, R, generator=generator))
                         for name, (span_a, span_b) in spans.items()})
    return adapters


@pytest.fixture
def shared():
    """A tiny model with a phase 1 basis from three earlier adapters, each a task with its projected loadings."""
    model = tiny_model()
    adapters = subspace_adapters(model, 3)
    basis = phase1_basis(adapters, SETTINGS)
    attach_share(model, basis, SETTINGS)
    for i, adapter in enumerate(adapters):
        add_task(model, f"task{i}", project_factors(basis, adapter))
    return model, adapters, basis


def delta(a, b):
    return b @ a


def test_phase1_basis_shapes_and_orthonormality(shared):
    model, adapters, basis = shared
    shapes = linear_shapes(tiny_model())
    assert set(basis) == set(shapes) and len(basis) == 14
    for name, (d_in, d_out) in shapes.items():
        alpha, beta = basis[name].alpha, basis[name].beta
        assert alpha.shape == (d_in, K) and beta.shape == (d_out, K)
        assert torch.allclose(alpha.t() @ alpha, torch.eye(K), atol=1e-5)
        assert torch.allclose(beta.t() @ beta, torch.eye(K), atol=1e-5)
    layer = share_layers(model)["model.layers.0.mlp.down_proj"]
    assert layer.share_eps_a["task0"].shape == (K, R) and layer.share_eps_b["task0"].shape == (K, R)


def test_phase1_projection_reconstructs_adapters_in_the_shared_subspace(shared):
    model, adapters, _ = shared
    for i, adapter in enumerate(adapters):
        for name, layer in share_layers(model).items():
            expected = delta(*adapter[name])
            error = torch.linalg.norm(layer.delta_weight(f"task{i}") - expected) / torch.linalg.norm(expected)
            assert error < TOLERANCE


def test_principal_basis_centres_and_chooses_k_by_variance():
    generator = torch.Generator().manual_seed(0)
    directions = torch.linalg.qr(torch.randn(50, 3, generator=generator))[0]
    weights = torch.randn(3, 40, generator=generator) * torch.tensor([[10.0], [3.0], [1.0]])
    offset = torch.randn(50, 1, generator=generator) * 100.0  # a large common mean: centring must remove it
    stacked = directions @ weights + offset
    basis = principal_basis(stacked, ShareSettings(k=None, variance=0.999, max_k=10))
    assert basis.shape == (50, 3)
    projector = basis @ basis.t()
    assert torch.allclose(projector @ directions, directions, atol=1e-4)
    assert principal_basis(stacked, ShareSettings(k=None, variance=0.8)).shape == (50, 1)
    assert choose_k(torch.tensor([3.0, 2.0, 1.0]), ShareSettings(k=10)) == 3


def test_phase2_only_loadings_and_rank_updates_get_gradients(shared):
    model, _, _ = shared
    add_task(model, "new", rank_updates=2, seed=5)
    count = freeze_for_task(model, "new")
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable and all(n.endswith(".new") for n in trainable)
    assert {n.rsplit(".", 2)[1] for n in trainable} == {
        "share_eps_a", "share_eps_b", "share_update_a_u", "share_update_a_v", "share_update_b_u", "share_update_b_v"}
    assert count == sum(p.numel() for n, p in model.named_parameters() if n in trainable)

    alpha_before = {n: p.detach().clone() for n, p in model.named_parameters() if "share_alpha" in n or "share_beta" in n}
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=0.1)
    ids = torch.randint(0, 1000, (2, 12))
    for _ in range(2):
        optimizer.zero_grad()
        model(input_ids=ids, labels=ids).loss.backward()
        optimizer.step()
    for name, param in model.named_parameters():
        if name in trainable:
            continue
        assert param.grad is None, f"{name} must not receive gradients"
    for name, value in alpha_before.items():
        assert torch.equal(dict(model.named_parameters())[name], value), f"{name} must stay frozen"
    layer = share_layers(model)["model.layers.1.self_attn.v_proj"]
    assert layer.share_eps_b["new"].abs().sum() > 0, "the B-side loadings must have moved"


def test_delta_w_is_beta_eps_b_times_alpha_eps_a_transposed(shared):
    model, _, _ = shared
    add_task(model, "new", rank_updates=2, seed=3)
    layer = share_layers(model)["model.layers.0.self_attn.k_proj"]
    with torch.no_grad():
        layer.share_update_a_v["new"].normal_()
        layer.share_update_b_v["new"].normal_()
        layer.share_eps_b["new"].normal_()
    side_a = layer.share_alpha @ layer.share_eps_a["new"] + layer.share_update_a_u["new"] @ layer.share_update_a_v["new"]
    side_b = layer.share_beta @ layer.share_eps_b["new"] + layer.share_update_b_u["new"] @ layer.share_update_b_v["new"]
    assert side_a.shape == (32, R) and side_b.shape == (16, R)
    assert torch.allclose(layer.delta_weight("new"), side_b @ side_a.t())
    layer.active = ("new",)
    x = torch.randn(3, 32)
    expected = layer.base_layer(x) + x @ (side_b @ side_a.t()).t()
    assert torch.allclose(layer(x), expected, atol=1e-5)
    a, b = task_factors(model, "new")["model.layers.0.self_attn.k_proj"]
    assert torch.allclose(b @ a, layer.delta_weight("new"), atol=1e-6)


def test_a_fresh_task_starts_as_the_base_model(shared):
    model, _, _ = shared
    ids = torch.randint(0, 1000, (1, 10))
    select_task(model, None)
    base = model(input_ids=ids).logits
    add_task(model, "fresh", rank_updates=2)
    select_task(model, "fresh")
    assert torch.allclose(model(input_ids=ids).logits, base, atol=1e-6)


def test_phase3_reprojection_reconstructs_every_task(shared):
    model, _, _ = shared
    add_task(model, "new", rank_updates=2, seed=7)
    with torch.no_grad():
        for layer in share_layers(model).values():
            layer.share_eps_b["new"].normal_()
            layer.share_update_a_v["new"].normal_()
            layer.share_update_b_u["new"].normal_()
            layer.share_update_b_v["new"].normal_()
    before = {t: {n: l.delta_weight(t).detach().clone() for n, l in share_layers(model).items()} for t in tasks_of(model)}
    ids = torch.randint(0, 1000, (1, 10))
    outputs = {}
    for task in tasks_of(model):
        select_task(model, task)
        outputs[task] = model(input_ids=ids).logits.detach()

    # The earlier tasks span K directions per side, the new one adds its 2 rank updates: K + 2 covers them all.
    errors = phase3_merge(model, ShareSettings(r=R, k=K + 2))

    assert set(errors) == {"task0", "task1", "task2", "new"}
    assert max(errors.values()) < TOLERANCE, errors
    for name, layer in share_layers(model).items():
        assert layer.share_alpha.shape[1] == K + 2 and not layer.share_update_a_u, "rank updates are folded into the basis"
        for task in tasks_of(model):
            error = torch.linalg.norm(layer.delta_weight(task) - before[task][name]) / torch.linalg.norm(before[task][name])
            assert error < TOLERANCE
    for task in tasks_of(model):
        select_task(model, task)
        assert torch.allclose(model(input_ids=ids).logits, outputs[task], atol=1e-4)


def test_phase3_with_too_few_directions_reports_the_loss(shared):
    model, _, _ = shared
    errors = phase3_merge(model, ShareSettings(r=R, k=1))
    assert all(0.0 < e < 1.0 for e in errors.values()), errors


def test_routing_selects_each_tasks_loadings_and_average_differs(shared):
    model, _, _ = shared
    ids = torch.randint(0, 1000, (1, 10))
    select_task(model, None)
    base = model(input_ids=ids).logits
    outputs = {}
    for task in ("task0", "task1", "task2"):
        combine_tasks(model, [task], "route")
        outputs[task] = model(input_ids=ids).logits
        assert all(layer.active == (task,) for layer in share_layers(model).values())
        assert not torch.allclose(outputs[task], base, atol=1e-4)
    assert not torch.allclose(outputs["task0"], outputs["task1"], atol=1e-4)
    assert not torch.allclose(outputs["task1"], outputs["task2"], atol=1e-4)
    combine_tasks(model, ["task0", "task1", "task2"], "average")
    averaged = model(input_ids=ids).logits
    for output in outputs.values():
        assert not torch.allclose(averaged, output, atol=1e-4)
    with pytest.raises(ValueError, match="'borrow'"):
        select_task(model, "borrow")
    with pytest.raises(ValueError, match="routing selects one task"):
        combine_tasks(model, ["task0", "task1"], "route")
    with pytest.raises(ValueError, match="'blend'"):
        combine_tasks(model, ["task0"], "blend")


def test_save_and_load_round_trip(shared, tmp_path):
    model, _, _ = shared
    save_share(model, tmp_path / "share", SETTINGS)
    loaded, settings = load_share(tiny_model(), tmp_path / "share")
    assert settings == SETTINGS and tasks_of(loaded) == tasks_of(model)
    ids = torch.randint(0, 1000, (1, 10))
    for task in tasks_of(model):
        select_task(model, task)
        select_task(loaded, task)
        assert torch.allclose(model(input_ids=ids).logits, loaded(input_ids=ids).logits, atol=1e-6)
    saved = set(__import__("safetensors.torch", fromlist=["load_file"]).load_file(str(tmp_path / "share" / "share.safetensors")))
    assert saved and all(".share_" in name for name in saved), "saving is one filter on the share_ prefix"
    add_task(model, "busy", rank_updates=1)
    with pytest.raises(ValueError, match="phase3_merge"):
        save_share(model, tmp_path / "again", SETTINGS)


def test_bad_values_are_named():
    with pytest.raises(ValueError, match="k=4 and variance=0.9"):
        ShareSettings(k=4, variance=0.9)
    with pytest.raises(ValueError, match="variance=1.5"):
        ShareSettings(k=None, variance=1.5)
    with pytest.raises(ValueError, match="'a.b'"):
        check_task_name("a.b")
    with pytest.raises(ValueError, match="at least one"):
        phase1_basis([], SETTINGS)
    model = tiny_model()
    basis = phase1_basis(subspace_adapters(model, 1), SETTINGS)
    wrong = {"model.layers.0.mlp.up_proj": basis["model.layers.0.mlp.down_proj"]}
    with pytest.raises(ValueError, match="do not fit"):
        attach_share(model, wrong, SETTINGS)
    layer = ShareLinear(torch.nn.Linear(32, 16), basis["model.layers.0.self_attn.k_proj"], R)
    with pytest.raises(ValueError, match=r"\(3, 4\)"):
        layer.add_task("x", eps_a=torch.zeros(3, 4))


def real_shapes():
    """The adapted layers of the real models this project names, from their configs (no weights)."""
    from transformers import Gemma3TextConfig, LlamaConfig, Qwen2Config

    return {
        "SmolLM2-135M-Instruct": LlamaConfig(vocab_size=49152, hidden_size=576, intermediate_size=1536,
                                             num_hidden_layers=30, num_attention_heads=9, num_key_value_heads=3),
        "Gemma-3-270M": Gemma3TextConfig(vocab_size=262144, hidden_size=640, intermediate_size=2048,
                                         num_hidden_layers=18, num_attention_heads=4, num_key_value_heads=1,
                                         head_dim=256),
        "Qwen2.5-Coder-1.5B-Instruct": Qwen2Config(vocab_size=151936, hidden_size=1536, intermediate_size=8960,
                                                   num_hidden_layers=28, num_attention_heads=12, num_key_value_heads=2),
    }


@pytest.mark.parametrize("name", sorted(real_shapes()))
def test_share_trains_at_least_50x_fewer_parameters_than_lora(name, capsys):
    shapes = linear_shapes(meta_model(real_shapes()[name]), DEFAULT_TARGET_MODULES)
    assert len(shapes) % 7 == 0 and shapes
    lora = lora_parameter_count(shapes, LoraSettings().r)
    share = share_parameter_count(shapes, ShareSettings())
    with capsys.disabled():
        print(f"\n{name}: LoRA r=16 trains {lora:,} parameters per adapter, Share (k=8) {share:,} per task: "
              f"{lora / share:.0f}x fewer")
    assert lora >= 50 * share
