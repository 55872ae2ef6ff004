"""The gate promotes only a better candidate that breaks nothing, per family when asked; the night report says so."""

from __future__ import annotations

import json

import pytest

from trainer.gate import Decision, decide, decide_per_family, pass_rates
from trainer.report import NightReport, ShareAccount, render_markdown, write_report

FAMILIES = {"bc_1": "borrow", "bc_2": "borrow", "bc_3": "borrow", "rh_1": "result", "rh_2": "result"}
CHAMPION = {"bc_1": True, "bc_2": False, "bc_3": False, "rh_1": True, "rh_2": False}

CASES = [
    # (candidate, promote?, reason fragment)
    ({"bc_1": True, "bc_2": True, "bc_3": False, "rh_1": True, "rh_2": False}, True, "3 of 5 against the champion's 2"),
    ({"bc_1": True, "bc_2": False, "bc_3": False, "rh_1": True, "rh_2": False}, False, "not more than"),
    ({"bc_1": False, "bc_2": True, "bc_3": True, "rh_1": True, "rh_2": True}, False, "breaks 1 koan(s) the champion passed: bc_1"),
    ({"bc_1": False, "bc_2": False, "bc_3": False, "rh_1": False, "rh_2": False}, False, "breaks 2"),
]


@pytest.mark.parametrize("candidate,promote,reason", CASES)
def test_gate_over_all_koans(candidate, promote, reason):
    decision = decide(CHAMPION, candidate)
    assert decision.promote is promote
    assert reason in decision.reason
    assert decision.champion_passed == 2 and decision.total == 5


def test_gate_per_family_judges_each_family_alone():
    # borrow improves cleanly; result improves in total but breaks rh_1.
    candidate = {"bc_1": True, "bc_2": True, "bc_3": False, "rh_1": False, "rh_2": True}
    decisions = decide_per_family(CHAMPION, candidate, FAMILIES)
    assert decisions["borrow"].promote and decisions["borrow"].improvements == ["bc_2"]
    assert not decisions["result"].promote and decisions["result"].regressions == ["rh_1"]
    only = decide_per_family(CHAMPION, candidate, FAMILIES, scopes=["borrow"])
    assert list(only) == ["borrow"]


def test_gate_refuses_mismatched_evaluations():
    with pytest.raises(ValueError, match="rh_2"):
        decide(CHAMPION, {k: v for k, v in CHAMPION.items() if k != "rh_2"})
    with pytest.raises(ValueError, match="no family"):
        decide_per_family(CHAMPION, CHAMPION, {"bc_1": "borrow"})


def test_pass_rates_by_family():
    assert pass_rates(CHAMPION, FAMILIES) == {"borrow": {"passed": 1, "total": 3}, "result": {"passed": 1, "total": 2},
                                              "total": {"passed": 2, "total": 5}}


def test_night_report_in_markdown_and_json(tmp_path):
    candidate = CASES[2][0]
    share = ShareAccount(loadings_params=215_040, rank_update_params=624_000, basis_params=9_768_960,
                         k_before=(32, 32), k_after=(32, 34), bootstrap_params=4_884_480, bootstrap_steps=12,
                         bootstrap_learning_rate=5e-4, phase1_error=2e-7,
                         phase3_errors={"borrow": 4e-4, "result": 9e-4},
                         phase3_without_growth={"borrow": 0.3, "result": 0.6}, merge_tolerance=1e-3,
                         reexported=["borrow"])
    report = NightReport("20260102T030000", "share", "smollm2.gguf", per_family=True,
                         data={"borrow": 6, "result": 6}, replayed=0, trainable_params=839_040,
                         lora_params_same_rank=4_884_480, seconds=612.0, steps={"borrow": 24, "result": 24},
                         before=pass_rates(CHAMPION, FAMILIES), after=pass_rates(candidate, FAMILIES),
                         decisions=list(decide_per_family(CHAMPION, candidate, FAMILIES).values()),
                         promoted=[], notes=["a note"], share=share)
    md_path, json_path = write_report(report, tmp_path)
    markdown = md_path.read_text()
    assert ("839,040 (215,040 loadings + 624,000 rank updates) (plain LoRA at the same rank: 4,884,480; 5.8x fewer)"
            in markdown)
    assert "- Share basis: 32 -> 32-34 directions per side, 9,768,960 frozen parameters (37.3 MB in float32)" in markdown
    assert "one LoRA of 4,884,480 parameters trained 12 steps at lr 0.0005" in markdown
    assert "worst relative delta-W error 9.0e-04 (result; tolerance 0.001); keeping K fixed would have left 6.0e-01" \
        in markdown
    assert "re-exported after phase 3 changed their delta W: borrow" in markdown
    assert "| borrow | 1/3 (33.3%) | 2/3 (66.7%) |" in markdown
    assert "| result | 1/2 (50.0%) | 2/2 (100.0%) |" in markdown
    assert "Regressions: bc_1." in markdown and "nothing (the champion stays)" in markdown
    payload = json.loads(json_path.read_text())
    assert payload["regressions"] == ["bc_1"] and payload["parameter_ratio"] == pytest.approx(5.8215, rel=1e-3)
    assert payload["share"]["phase3_errors"] == {"borrow": 4e-4, "result": 9e-4}
    assert payload["decisions"][0]["scope"] == "borrow"
    assert render_markdown(report) == markdown
    assert isinstance(report.decisions[0], Decision)


def test_a_night_without_evaluation_reports_no_empty_scores():
    report = NightReport("20260102T030000", "lora", "smollm2.gguf", per_family=False, data={"borrow": 6},
                         replayed=0, trainable_params=4_884_480, lora_params_same_rank=4_884_480, seconds=60.0,
                         steps={"all": 12}, promoted=[], notes=["not evaluated (--no-eval): nothing was promoted"])
    markdown = render_markdown(report)
    assert "| family | before | after |" not in markdown and "Regressions" not in markdown
    assert "not evaluated (--no-eval)" in markdown
