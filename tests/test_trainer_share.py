"""Share's three phases, its routing, its saved state and its size, on tiny random models and real model shapes.

Stated tolerances for phase 3: when the kept directions cover the span of
every task's side matrices, re-projection rebuilds every task's delta W
within 1e-4 relative Frobenius error (round-off); with the night's own
settings it grows the basis until no task, earlier or new, has lost more
than the settings' merge_tolerance (1e-3), and never more than 1%.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import torch

from trainer.lora import DEFAULT_TARGET_MODULES, LoraSettings, linear_shapes, lora_parameter_count
from trainer.models import meta_model
from trainer.night import NightPlan
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
    projection_error,
    save_share,
    select_task,
    share_layers,
    share_parameter_count,
    share_size,
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
        add_task(model, f"task{i}", project_factors(basis, adapter), rank_updates=0)
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


def trained_like(model, task, seed):
    """Give a task random loadings and rank updates, as if it had trained: its rank updates leave the basis."""
    add_task(model, task, rank_updates=2, seed=seed)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in share_layers(model).values():
            for store in (layer.share_eps_a, layer.share_eps_b, layer.share_update_a_v, layer.share_update_b_v):
                store[task].copy_(torch.randn(store[task].shape, generator=generator) * 0.5)


def delta_weights(model):
    return {t: {n: layer.delta_weight(t).detach().clone() for n, layer in share_layers(model).items()}
            for t in tasks_of(model)}


def worst_loss(model, before):
    """The worst relative Frobenius error of any task's delta W in any layer against `before`, measured here."""
    return max(float(torch.linalg.norm(layer.delta_weight(t) - before[t][n]) / torch.linalg.norm(before[t][n]))
               for t in before for n, layer in share_layers(model).items())


def test_phase3_reprojection_reconstructs_every_task(shared):
    model, _, _ = shared
    trained_like(model, "new", seed=7)
    before = delta_weights(model)
    ids = torch.randint(0, 1000, (1, 10))
    outputs = {}
    for task in tasks_of(model):
        select_task(model, task)
        outputs[task] = model(input_ids=ids).logits.detach()

    # The earlier tasks span K directions per side, the new one adds its 2 rank updates: the basis grows to K + 2.
    merge = phase3_merge(model, SETTINGS)

    assert set(merge.errors) == {"task0", "task1", "task2", "new"}
    assert merge.worst < TOLERANCE, merge.errors
    assert merge.k_before == (K, K) and merge.k_after == (K + 2, K + 2) and not merge.capped
    assert worst_loss(model, before) < TOLERANCE
    assert all(not layer.share_update_a_u for layer in share_layers(model).values()), "rank updates are folded in"
    for task in tasks_of(model):
        select_task(model, task)
        assert torch.allclose(model(input_ids=ids).logits, outputs[task], atol=1e-4)


def test_phase3_with_the_nights_settings_keeps_every_task():
    # A first night as the night runs it: the basis from one bootstrap LoRA, two tasks starting from its
    # projection that train their loadings and rank updates, then phase 3 with the night's settings.
    settings = replace(NightPlan("share", Path("base.gguf")).share, r=R)
    model = tiny_model()
    [bootstrap] = subspace_adapters(model, 1, dim=R)
    basis = phase1_basis([bootstrap], settings)
    attach_share(model, basis, settings)
    assert projection_error(basis, bootstrap) < TOLERANCE, "the bootstrap's own span is kept whole"
    assert share_size(model).k == (R, R)
    for seed, task in enumerate(("borrow", "result"), start=3):
        trained_like(model, task, seed)
    before = delta_weights(model)

    merge = phase3_merge(model, settings)

    assert worst_loss(model, before) <= settings.merge_tolerance + TOLERANCE < 0.01, merge.errors
    assert merge.worst <= settings.merge_tolerance + TOLERANCE
    # What the merge of a fixed K (the night's before issue 19) would have lost of the same tasks:
    assert merge.worst_without_growth > 0.1, merge.without_growth

    # The next night: a new task beside the two, merged again with the same settings.
    trained_like(model, "type_mismatch", seed=9)
    before = delta_weights(model)
    merge = phase3_merge(model, settings)
    assert worst_loss(model, before) <= settings.merge_tolerance + TOLERANCE, merge.errors


def test_the_subspace_grows_only_when_a_task_needs_directions_outside_it(shared):
    model, _, _ = shared
    layer = share_layers(model)["model.layers.1.mlp.up_proj"]
    # A task inside the basis needs nothing new: the basis keeps its size and spans it exactly.
    add_task(model, "inside", rank_updates=0, seed=11)
    with torch.no_grad():
        for other in share_layers(model).values():
            other.share_eps_b["inside"].normal_()
    merge = phase3_merge(model, SETTINGS)
    assert merge.k_after == (K, K) and merge.worst < TOLERANCE
    # A task whose rank updates point outside: the basis grows by them, and now spans them.
    trained_like(model, "outside", seed=5)
    update_a = layer.share_update_a_u["outside"] @ layer.share_update_a_v["outside"]
    update_b = layer.share_update_b_u["outside"] @ layer.share_update_b_v["outside"]
    outside = torch.linalg.norm(update_a - layer.share_alpha @ (layer.share_alpha.t() @ update_a))
    assert outside > 0.1 * torch.linalg.norm(update_a), "the rank updates must leave the old span"
    merge = phase3_merge(model, SETTINGS)
    assert merge.k_after == (K + 2, K + 2) and merge.worst < TOLERANCE, merge
    alpha, beta = layer.share_alpha, layer.share_beta
    assert torch.allclose(alpha @ (alpha.t() @ update_a), update_a, atol=1e-4)
    assert torch.allclose(beta @ (beta.t() @ update_b), update_b, atol=1e-4)


def test_phase3_stopped_by_max_k_reports_the_loss(shared):
    model, _, _ = shared
    trained_like(model, "new", seed=7)
    before = delta_weights(model)
    merge = phase3_merge(model, ShareSettings(r=R, k=K, max_k=K))
    assert merge.k_after == (K, K), "the basis never grows past max_k"
    assert len(merge.capped) == 14 and 0.0 < merge.worst < 1.0
    assert merge.worst == pytest.approx(worst_loss(model, before), rel=1e-3)


def test_rank_update_vectors_start_at_the_same_scale_on_both_sides(shared):
    model, _, _ = shared
    add_task(model, "new", rank_updates=2, seed=1)
    for layer in share_layers(model).values():
        for u in (layer.share_update_a_u["new"], layer.share_update_b_u["new"]):
            norms = torch.linalg.norm(u, dim=0)  # each column like a unit basis column, about 1/sqrt(3)
            assert torch.all((norms > 0.25) & (norms < 0.9)), (u.shape, norms)


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
def test_share_parameter_accounting_against_lora(name, capsys):
    shapes = linear_shapes(meta_model(real_shapes()[name]), DEFAULT_TARGET_MODULES)
    assert len(shapes) % 7 == 0 and shapes
    settings = ShareSettings()
    lora = lora_parameter_count(shapes, LoraSettings().r)
    share = share_parameter_count(shapes, settings)
    loadings = sum(2 * settings.k * settings.r for _ in shapes)
    updates = sum(settings.rank_updates * (d_in + d_out + 2 * settings.r) for d_in, d_out in shapes.values())
    basis = sum(settings.k * (d_in + d_out) for d_in, d_out in shapes.values())
    with capsys.disabled():
        print(f"\n{name}: LoRA r={settings.r} trains {lora:,} parameters per adapter; Share (K={settings.k}, "
              f"{settings.rank_updates} rank updates per side) {share:,} per task ({loadings:,} loadings + "
              f"{updates:,} rank updates), {lora / share:.1f}x fewer; its basis at K={settings.k} holds {basis:,} "
              f"frozen parameters, and a first night also trains one bootstrap LoRA of {lora:,}")
    assert share == loadings + updates
    assert lora > 5 * share
    assert share_parameter_count(shapes, replace(settings, rank_updates=0)) == loadings
