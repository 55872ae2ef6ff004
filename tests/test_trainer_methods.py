"""Each training method, table-driven on a tiny random model: it trains, only the adapter moves, the loss falls."""

from __future__ import annotations

from statistics import mean

import pytest
import torch

from trainer.data import ReplayBuffer, tokenize_records
from trainer.loop import TrainSettings, batch_schedule, train
from trainer.lora import LoraSettings, attach_lora, lora_factors, select_adapter
from trainer.models import pick_placement
from trainer.share import ShareSettings, add_task, attach_share, freeze_for_task, phase1_basis
from trainer.tiny import tiny_model, tiny_records, tiny_tokenizer

LORA = LoraSettings(r=4, alpha=8.0)
SHARE = ShareSettings(r=4, k=4)


@pytest.fixture(scope="module")
def tokenizer():
    return tiny_tokenizer()


def random_lora_factors(model, seed):
    """LoRA factors of this model's shapes, as if two earlier nights had trained adapters."""
    generator = torch.Generator().manual_seed(seed)
    factors = {}
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear) and name.rsplit(".", 1)[-1] in LORA.target_modules:
            factors[name] = (torch.randn(LORA.r, module.in_features, generator=generator) * 0.1,
                             torch.randn(module.out_features, LORA.r, generator=generator) * 0.1)
    return factors


def with_lora(model, records, tmp_path):
    return attach_lora(model, LORA, "all"), records


def with_replay(model, records, tmp_path):
    buffer = ReplayBuffer(tmp_path / "replay")
    buffer.add_night("20260101T000000", tiny_records(2, ("borrow",)))
    replayed = buffer.sample(len(records), exclude=records)
    assert replayed, "the replay buffer should contribute earlier records"
    return attach_lora(model, LORA, "all"), records + replayed


def with_share(model, records, tmp_path):
    basis = phase1_basis([random_lora_factors(model, 1), random_lora_factors(model, 2)], SHARE)
    attach_share(model, basis, SHARE)
    add_task(model, "all")
    freeze_for_task(model, "all")
    return model, records


METHODS = {
    # method: (build, learning rate, trainable-name markers)
    "lora": (with_lora, 1e-2, ("lora_",)),
    "replay": (with_replay, 1e-2, ("lora_",)),
    "share": (with_share, 3e-2, ("share_eps_", "share_update_")),  # loadings and rank updates, never the basis
}


@pytest.mark.parametrize("method", sorted(METHODS))
def test_method_trains_only_its_adapter_and_the_loss_falls(method, tokenizer, tmp_path):
    build, learning_rate, markers = METHODS[method]
    model, records = build(tiny_model(), tiny_records(2, ("result", "type_mismatch")), tmp_path)
    frozen_before = {n: p.detach().clone() for n, p in model.named_parameters() if not p.requires_grad}
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable and all(any(marker in n for marker in markers) for n in trainable)

    pairs = tokenize_records(tokenizer, records)
    result = train(model, pairs, TrainSettings(learning_rate=learning_rate, max_steps=24, batch_size=2),
                   tokenizer.pad_token_id, show_progress=False)

    assert result.steps == 24 and result.stopped == "done"
    assert mean(result.losses[-4:]) < mean(result.losses[:4]) - 0.1, result.losses
    for name, param in model.named_parameters():
        if name in frozen_before:
            assert torch.equal(param, frozen_before[name]), f"{name} should be frozen"


def test_per_family_lora_adapters_are_routed_by_name(tokenizer):
    model = tiny_model()
    model = attach_lora(model, LORA, "borrow")
    model = attach_lora(model, LORA, "result")
    assert [n for n, p in model.named_parameters() if p.requires_grad][0].endswith("result.weight")
    for name, param in model.named_parameters():
        if "lora_B" in name:
            torch.nn.init.normal_(param, std=0.5)
    ids = torch.tensor([tokenize_records(tokenizer, tiny_records(1))[0].input_ids])
    outputs = {}
    for family in ("borrow", "result"):
        select_adapter(model, family)
        outputs[family] = model(input_ids=ids).logits
    with model.disable_adapter():
        base = model(input_ids=ids).logits
    assert not torch.allclose(outputs["borrow"], outputs["result"])
    assert not torch.allclose(outputs["borrow"], base)
    factors = lora_factors(model, "borrow")
    a, b = factors["model.layers.0.self_attn.q_proj"]
    assert a.shape == (4, 32) and b.shape == (32, 4)
    with pytest.raises(ValueError, match="'trait_bounds'"):
        select_adapter(model, "trait_bounds")


def test_bad_settings_name_the_bad_value():
    with pytest.raises(ValueError, match="r=0"):
        LoraSettings(r=0)
    with pytest.raises(ValueError, match="max_steps=0"):
        TrainSettings(max_steps=0)
    with pytest.raises(ValueError, match="time_budget=-1"):
        TrainSettings(time_budget=-1)
    with pytest.raises(ValueError, match="nope"):
        attach_lora(tiny_model(), LoraSettings(target_modules=("q_proj", "nope")))
    with pytest.raises(ValueError, match="0 examples"):
        batch_schedule(0, TrainSettings())


def test_schedule_is_reproducible_and_wraps_over_epochs():
    settings = TrainSettings(batch_size=2, max_steps=7, seed=3)
    schedule = batch_schedule(5, settings)
    assert len(schedule) == 7 and schedule == batch_schedule(5, settings)
    assert sorted(i for batch in schedule[:3] for i in batch) == [0, 1, 2, 3, 4]
    assert batch_schedule(5, TrainSettings(batch_size=2, max_steps=3, seed=3)) == schedule[:3]


def test_time_budget_stops_training(tokenizer):
    model = attach_lora(tiny_model(), LORA, "all")
    pairs = tokenize_records(tokenizer, tiny_records(1))
    result = train(model, pairs, TrainSettings(max_steps=10_000, time_budget=1.0), tokenizer.pad_token_id,
                   show_progress=False)
    assert result.stopped == "time_budget" and 0 < result.steps < 10_000 and not result.finished


def test_placement_is_cpu_fp32_without_a_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert pick_placement() == pick_placement("cpu")
    assert (pick_placement().device, pick_placement().dtype) == ("cpu", torch.float32)
    with pytest.raises(ValueError, match="'tpu'"):
        pick_placement("tpu")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_trains_in_bf16(tokenizer):
    placement = pick_placement()
    assert (placement.device, placement.dtype) == ("cuda", torch.bfloat16)
    model = attach_lora(tiny_model().to(placement.device, placement.dtype), LORA, "all")
    pairs = tokenize_records(tokenizer, tiny_records(1))
    result = train(model, pairs, TrainSettings(learning_rate=1e-2, max_steps=12), tokenizer.pad_token_id,
                   show_progress=False)
    assert result.steps == 12 and all(loss == loss for loss in result.losses)
