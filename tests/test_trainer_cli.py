"""`sleepy-train` end to end on a tiny model: data stats, the dry-run plan, user errors, and whole nights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MUT_BROKEN, MUT_CHECK, MUT_SOLUTION, write_koan

from trainer.cli import main
from trainer.data import write_jsonl
from trainer.registry import Registry
from trainer.tiny import save_tiny, tiny_records


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory) -> Path:
    return save_tiny(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture
def setup(tmp_path, tiny_base):
    """Eval koans of two families, tonight's records as a data file, and private registry and work folders."""
    koans = tmp_path / "koans"
    write_koan(koans, "bc_900", MUT_BROKEN, MUT_SOLUTION, MUT_CHECK, family="borrow", split="eval")
    write_koan(koans, "rh_900", MUT_BROKEN, MUT_SOLUTION, family="result", split="eval")
    data = tmp_path / "tonight.jsonl"
    write_jsonl(data, tiny_records(2, ("borrow", "result")))
    common = ["--base-model", str(tiny_base), "--koans", str(koans), "--no-koans", "--data", str(data),
              "--no-memory", "--registry", str(tmp_path / "adapters"), "--work-dir", str(tmp_path / "work"),
              "--rank", "4", "--max-steps", "3", "--max-length", "512"]
    return tmp_path, common


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exited:
        main(argv)
        raise SystemExit(0)
    return exited.value.code


def test_data_stats_by_family(tmp_path, capsys):
    koans = tmp_path / "koans"
    write_koan(koans, "bc_901", MUT_BROKEN, MUT_SOLUTION, split="train")
    data = tmp_path / "extra.jsonl"
    write_jsonl(data, tiny_records(1, ("result",)))
    assert run(["data", "--stats", "--koans", str(koans), "--data", str(data), "--no-memory",
                "--work-dir", str(tmp_path / "work")]) == 0
    table = capsys.readouterr().out
    assert "tonight's data" in table
    borrow = next(line for line in table.splitlines() if "borrow" in line)
    result = next(line for line in table.splitlines() if "result" in line)
    assert borrow.split("│")[2].strip() == "1" and borrow.split("│")[3].strip() == "1"
    assert result.split("│")[2].strip() == "1" and result.split("│")[5].strip() == "1"


def test_dry_run_prints_the_plan_and_trains_nothing(setup, capsys):
    tmp_path, common = setup
    assert run(["run", "--method", "share", "--per-family", "--dry-run", *common]) == 0
    out = capsys.readouterr().out
    assert "dry run" in out and "borrow: 3 steps" in out and "result: 3 steps" in out
    assert "LoRA params / adapter" in out and "Share params / task" in out
    assert not (tmp_path / "adapters").exists() and not (tmp_path / "work" / "runs").exists()


@pytest.mark.parametrize("extra,message", [
    (["--base-model", "/no/such/model.gguf"], "is neither a .gguf file nor a Hugging Face model folder"),
    (["--k", "4", "--variance", "0.5"], "give exactly one of k=4 and variance=0.5"),
    (["--combine", "average"], "needs per-family loadings"),
])
def test_user_errors_are_one_sentence_and_exit_2(setup, capsys, extra, message):
    _, common = setup
    assert run(["run", "--method", "share", "--dry-run", *common, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_no_data_is_a_user_error(setup, capsys):
    tmp_path, common = setup
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    index = common.index("--data")
    argv = common[:index + 1] + [str(empty)] + common[index + 2:]
    assert run(["run", "--method", "lora", "--no-eval", *argv]) == 2
    assert "There is no training data tonight" in capsys.readouterr().err


def test_promote_by_hand_and_an_unknown_adapter(setup, capsys):
    tmp_path, common = setup
    assert run(["run", "--method", "lora", "--no-eval", *common]) == 0
    registry = Registry(tmp_path / "adapters")
    [adapter] = registry.manifests(kind="adapter")
    assert registry.champions() == {}  # not evaluated: nothing promoted
    capsys.readouterr()
    assert run(["promote", adapter.id, "--registry", str(registry.root)]) == 0
    assert registry.champion_for("result").adapter == adapter.id
    assert f"borrow: {adapter.id}" in capsys.readouterr().out
    assert run(["promote", "no-such-adapter", "--registry", str(registry.root)]) == 2
    err = capsys.readouterr().err
    assert "'no-such-adapter'" in err and "Traceback" not in err


def fake_evaluation(passes_for):
    """An evaluation that passes the koans passes_for(routing) names, instead of generating and building."""
    def evaluate_koans(judge, koans, backend, strategy="model", on_done=None):
        return {k.id: k.id in passes_for(backend.routing) for k in koans}
    return evaluate_koans


def test_share_nights_promote_route_and_grow_the_basis(setup, monkeypatch, capsys):
    import trainer.evaluate

    tmp_path, common = setup
    # The base model fails everything; tonight's candidates pass their own family's koan.
    monkeypatch.setattr(trainer.evaluate, "evaluate_koans", fake_evaluation(
        lambda routing: set() if routing.kind == "base" else {"bc_900", "rh_900"}))
    assert run(["run", "--method", "share", "--per-family", *common]) == 0
    out = capsys.readouterr()
    assert "the registry held no adapter, so one LoRA" in out.out
    assert "no adapters yet: phase 1 starts from one LoRA trained on tonight's records" in out.err
    registry = Registry(tmp_path / "adapters")
    champions = registry.champions()
    assert set(champions) == {"borrow", "result"} and registry.version() == 1
    borrow = registry.manifest(champions["borrow"].adapter)
    assert borrow.method == "share" and borrow.parent_basis and borrow.eval_results == {"bc_900": True}
    assert (registry.path(borrow.id) / "adapter_config.json").is_file()
    basis = registry.manifest(borrow.parent_basis)
    assert basis.kind == "basis" and (registry.path(basis.id) / "share" / "share.safetensors").is_file()
    [report] = (tmp_path / "work" / "nights").glob("night-*.json")
    payload = json.loads(report.read_text())
    assert payload["promoted"] and payload["after"]["total"] == {"passed": 2, "total": 2}
    share = payload["share"]
    assert payload["trainable_params"] == share["loadings_params"] + share["rank_update_params"] > 0
    assert share["bootstrap_params"] == payload["lora_params_same_rank"] and share["bootstrap_steps"] == 3
    assert payload["steps"]["bootstrap-all"] == 3, "one bootstrap LoRA for all of tonight's tasks"
    assert share["k_before"] == [4, 4] and share["k_after"][1] > 4, "the basis grew by the rank updates"
    assert max(share["phase3_errors"].values()) <= 1e-3 + 1e-5 < max(share["phase3_without_growth"].values())
    assert "Share basis: 4 -> " in out.out and "first night's bootstrap: one LoRA" in out.out

    # The second night grows from that basis; matching the champions is not enough to be promoted.
    assert run(["run", "--method", "share", "--per-family", *common, "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert f"grew from the Share basis {basis.id}" in out
    assert "not more than the champion's 1" in out and "nothing (the champion stays)" in out
    assert registry.version() == 1
    assert len(registry.manifests("share", "basis")) == 2


def test_a_real_evaluation_refuses_a_random_model(setup, capsys):
    tmp_path, common = setup
    assert run(["run", "--method", "lora", *common]) == 0
    out = capsys.readouterr().out
    assert "| total | 0/2 (0.0%) | 0/2 (0.0%) |" in out
    assert "not more than the champion's 0" in out
    assert Registry(tmp_path / "adapters").champions() == {}
    assert list((tmp_path / "work" / "evals").glob("base-*.json")), "the base model's results are cached"
    [report] = (tmp_path / "work" / "nights").glob("night-*.json")
    payload = json.loads(report.read_text())
    assert payload["trainable_params"] == payload["lora_params_same_rank"] > 0, "one LoRA adapter per task"


def test_lora_nights_continue_from_the_champion(setup, monkeypatch, capsys):
    import trainer.evaluate

    tmp_path, common = setup
    monkeypatch.setattr(trainer.evaluate, "evaluate_koans", fake_evaluation(
        lambda routing: set() if routing.kind == "base" else {"bc_900"}))
    assert run(["run", "--method", "replay", *common]) == 0
    registry = Registry(tmp_path / "adapters")
    champion = registry.champions()["all"].adapter
    assert {f for f, c in registry.champions().items() if c.adapter == champion} >= {"all", "borrow", "result"}
    capsys.readouterr()
    assert run(["run", "--method", "replay", *common, "--dry-run"]) == 0
    assert f"all: {champion}" in capsys.readouterr().out
    # The next night brings another family: replay mixes in last night's pairs.
    second = tmp_path / "second.jsonl"
    write_jsonl(second, tiny_records(2, ("type_mismatch",)))
    index = common.index("--data")
    assert run(["run", "--method", "replay", *common[:index + 1], str(second), *common[index + 2:]]) == 0
    out = capsys.readouterr().out
    assert f"all: continued from the champion {champion}" in out
    assert "2 tonight + 2 replayed" in out


def test_phase_3_reexports_earlier_tasks_and_champions_keep_what_the_gate_measured(setup, monkeypatch, capsys):
    import torch

    import trainer.evaluate
    import trainer.tasks
    from trainer.lora import read_peft_factors
    from trainer.models import load_model, pick_placement
    from trainer.share import load_share, share_layers, tasks_of

    tmp_path, common = setup
    base = Path(common[common.index("--base-model") + 1])
    monkeypatch.setattr(trainer.evaluate, "evaluate_koans", fake_evaluation(
        lambda routing: set() if routing.kind == "base" else {"bc_900", "rh_900"}))
    # Phase 3 measured from outside: every task's delta W just before the merge and just after.
    lost: list[float] = []
    real_merge = trainer.tasks.phase3_merge

    def watched_merge(model, settings):
        before = {t: {n: layer.delta_weight(t).detach().clone() for n, layer in share_layers(model).items()}
                  for t in tasks_of(model)}
        merge = real_merge(model, settings)
        lost.append(max(float(torch.linalg.norm(layer.delta_weight(t) - before[t][n]) / torch.linalg.norm(before[t][n]))
                        for t in before for n, layer in share_layers(model).items()))
        return merge

    monkeypatch.setattr(trainer.tasks, "phase3_merge", watched_merge)
    assert run(["run", "--method", "share", "--per-family", *common]) == 0
    registry = Registry(tmp_path / "adapters")
    night1 = {f: c.adapter for f, c in registry.champions().items()}
    assert set(night1) == {"borrow", "result"}
    assert lost[-1] <= 1e-3 + 1e-5, "with the night's own settings phase 3 keeps every task's delta W"

    # Night 2 brings another family with no room for the basis to grow (max_k): the earlier tasks change,
    # are exported again, and are gated like any candidate: scoring the same, they do not replace the champions.
    second = tmp_path / "second.jsonl"
    write_jsonl(second, tiny_records(2, ("type_mismatch",)))
    index = common.index("--data")
    argv = [*common[:index + 1], str(second), *common[index + 2:], "--k", "4", "--max-k", "4", "--lr", "3e-2"]
    capsys.readouterr()
    assert run(["run", "--method", "share", "--per-family", *argv]) == 0
    out = capsys.readouterr().out
    assert "re-exported after phase 3 changed their delta W: borrow" in out
    assert lost[-1] > 1e-3, "max_k left no room, so the merge lost part of a task"
    again = {m.task: m for m in registry.manifests("share", "adapter") if m.reexported}
    assert set(again) == {"borrow", "result"}
    assert {f: c.adapter for f, c in registry.champions().items() if f != "type_mismatch"} == night1
    # The re-exported adapter holds exactly what night 2's basis routes borrow to...
    basis2 = registry.path(again["borrow"].parent_basis) / "share"
    routed, _ = load_share(load_model(base, pick_placement("cpu")), basis2)
    reexport = read_peft_factors(registry.path(again["borrow"].id))
    for name, layer in share_layers(routed).items():
        a, b = reexport[name]
        assert torch.allclose(b @ a, layer.delta_weight("borrow"), atol=1e-6), name
    # ...while the champion still serves what night 1's gate measured: night 1's basis routed to borrow.
    champion = registry.manifest(night1["borrow"])
    measured, _ = load_share(load_model(base, pick_placement("cpu")), registry.path(champion.parent_basis) / "share")
    served = read_peft_factors(registry.path(champion.id))
    for name, layer in share_layers(measured).items():
        a, b = served[name]
        assert torch.allclose(b @ a, layer.delta_weight("borrow"), atol=1e-6), name
    assert champion.eval_results == {"bc_900": True}
