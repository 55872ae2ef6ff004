"""The fix engine with real cargo: verification, rejection of new errors, multi-turn, cancellation, ranking."""

import textwrap
import threading

import pytest
from conftest import MUT_BROKEN

from sleepy_lsp.benchmark.judge import default_manifest
from sleepy_lsp.engine.engine import Candidate, FixContext, FixEngine
from sleepy_lsp.engine.providers import ModelProvider, PatternProvider, RustcProvider
from sleepy_lsp.engine.strategies import build_engine
from sleepy_lsp.memory.index import MemoryIndex
from sleepy_lsp.model.backends import Backend
from sleepy_lsp.model.records import ErrorCase, FixRecord
from sleepy_lsp.rust.edits import replacement
from sleepy_lsp.rust.shadow import shadow_of_files

MUT = textwrap.dedent(MUT_BROKEN)
REL = "src/lib.rs"


class FixedProvider:
    """A provider that proposes given texts, to test the engine apart from real providers."""

    name = "model"

    def __init__(self, *texts):
        self.texts = texts
        self.calls = 0

    def propose(self, ctx):
        self.calls += 1
        return [Candidate(replacement(ctx.code, t), "model", f"fixed {i}") for i, t in enumerate(self.texts)]


class ScriptedBackend(Backend):
    """A backend whose answers are fixed, so the model provider is tested without a model."""

    name = "scripted"

    def __init__(self, answers):
        super().__init__()
        self.answers = answers
        self.seen = []

    def generate(self, messages, n=1, temperature=0.0, max_tokens=160, family=None, cancel=None):
        self.seen.append((messages, family, cancel))
        return self.answers[:n]


@pytest.fixture
def shadow(tmp_path):
    with shadow_of_files({"Cargo.toml": default_manifest("engine"), REL: MUT}, tmp_path / "target") as s:
        yield s


def first_error(shadow, code):
    shadow.write(REL, code)
    before = shadow.check()
    return before, before.errors[0]


def test_rustc_suggestion_is_verified(shadow):
    before, diag = first_error(shadow, MUT)
    [fix] = FixEngine([RustcProvider()]).fixes(shadow, REL, MUT, before, diag)
    assert fix.verified and fix.provider == "rustc" and fix.errors_left == 0
    assert "let mut sum = 0;" in fix.new_text
    assert fix.title.startswith("rustc: ") and "+    let mut sum = 0;" in fix.diff()
    assert shadow.root.joinpath(REL).read_text() == MUT  # the shadow is restored


def test_a_candidate_that_introduces_a_new_error_is_rejected(shadow):
    before, diag = first_error(shadow, MUT)
    sneaky = MUT.replace("let sum = 0;", "let mut sum = 0;\n    let unused: u32 = \"text\";")
    fine = MUT.replace("let sum = 0;", "let mut sum = 0;")
    fixes = FixEngine([FixedProvider(sneaky, fine)], max_rounds=1).fixes(shadow, REL, MUT, before, diag)
    by_text = {f.new_text: f for f in fixes}
    assert not by_text[sneaky].verified and by_text[sneaky].errors_left == 1
    assert by_text[fine].verified
    assert fixes[0].new_text == fine  # verified ranks first


def test_a_candidate_that_does_not_build_is_never_verified(shadow):
    before, diag = first_error(shadow, MUT)
    [fix] = FixEngine([FixedProvider(MUT.replace("let sum = 0;", "let mut sum = 0"))]).fixes(shadow, REL, MUT, before, diag)
    assert not fix.verified


def test_multi_turn_continues_when_a_fix_reveals_the_next_error(shadow):
    # A type error hides the borrow error: borrowck only runs once type checking passes.
    code = MUT.replace("    sum\n}", "    let label: u32 = \"total\";\n    sum + label\n}")
    before, diag = first_error(shadow, code)
    assert [d.code for d in before.errors] == ["E0308"]
    typed = code.replace('"total"', "0")
    engine = FixEngine([FixedProvider(typed), RustcProvider()], max_rounds=3)
    [fix] = [f for f in engine.fixes(shadow, REL, code, before, diag) if f.provider == "model"]
    assert fix.verified and fix.rounds == 2
    assert "let mut sum" in fix.new_text and "label: u32 = 0" in fix.new_text

    single = FixEngine([FixedProvider(typed), RustcProvider()], max_rounds=1)
    [once] = [f for f in single.fixes(shadow, REL, code, before, diag) if f.provider == "model"]
    assert not once.verified  # it revealed E0596 and was not allowed to continue


def test_cancelled_work_stops_before_checking(shadow):
    before, diag = first_error(shadow, MUT)
    cancel = threading.Event()
    cancel.set()
    assert FixEngine([RustcProvider()]).fixes(shadow, REL, MUT, before, diag, cancel) == []


def test_verification_off_offers_unverified(shadow):
    before, diag = first_error(shadow, MUT)
    [fix] = FixEngine([RustcProvider()], verify=False).fixes(shadow, REL, MUT, before, diag)
    assert not fix.verified


def test_model_provider_parses_fenced_answers_and_routes_by_family(shadow):
    before, diag = first_error(shadow, MUT)
    backend = ScriptedBackend(["```\nLINE 2:     let mut sum = 0;\n```", "I think you should add mut", "LINE 99: x"])
    engine = FixEngine([ModelProvider(backend, samples=3)])
    cancel = threading.Event()
    [fix] = engine.fixes(shadow, REL, MUT, before, diag, cancel)
    assert fix.verified and fix.provider == "model" and fix.model is None
    messages, family, seen_cancel = backend.seen[0]
    assert family == "borrow" and "E0596" in messages[-1]["content"]
    assert seen_cancel is cancel  # a cancelled request stops the model mid-answer


def test_memory_patterns_and_examples_from_known_fixes(shadow):
    before, diag = first_error(shadow, MUT)
    memory = MemoryIndex()
    taught = "fn f() {\n    let t = 0;\n    t += 1;\n}\n"
    case = ErrorCase("error[E0596]: cannot borrow `t` as mutable", "E0596", "error", "cannot borrow `t` as mutable",
                     "src/lib.rs", 3, 5, "borrow", taught, "")
    memory.add(FixRecord.of(case, taught, taught.replace("let t", "let mut t"), "rustc"))
    [fix] = FixEngine([PatternProvider(memory)]).fixes(shadow, REL, MUT, before, diag)
    assert fix.verified and fix.provider == "memory" and "let mut sum = 0;" in fix.new_text
    assert fix.title == "memory (used 1×): `let mut sum`"
    [example] = memory.examples(FixContext(REL, MUT, diag, "borrow"))
    assert example.answer == "LINE 2:     let mut t = 0;" and "    let t = 0;" in example.before


# A units library whose two functions read a u8 field into a u32: rustc offers `.into()` and `u32::from`.
UNITS = textwrap.dedent("""\
    pub struct Sample { pub level: u8, pub gain: u8 }

    pub fn loudness(sample: &Sample) -> u32 {
        let level: u32 = sample.level;
        level * 10
    }

    pub fn boost(sample: &Sample) -> u32 {
        let gain: u32 = sample.gain;
        gain + 3
    }
""")
# Another file of the user's, where they fixed the same error their way.
PIXELS = "pub fn brightness(p: &Pixel) -> u32 {\n    let red: u32 = p.red;\n    red * 3\n}\n"


def taught(fixed: str) -> MemoryIndex:
    """A fix memory holding the user's own fix of PIXELS."""
    case = ErrorCase("error[E0308]: mismatched types", "E0308", "error", "mismatched types", "src/pixels.rs", 2, 20,
                     "type_mismatch", PIXELS, "")
    memory = MemoryIndex()
    memory.add(FixRecord.of(case, PIXELS, PIXELS.replace("p.red;", fixed), "user"), "manual")
    return memory


@pytest.fixture
def units(tmp_path):
    with shadow_of_files({"Cargo.toml": default_manifest("units"), REL: UNITS}, tmp_path / "target") as s:
        yield s


def test_the_users_habit_ranks_first_among_verified_fixes(units):
    before, diag = first_error(units, UNITS)
    memory = taught("p.red as u32;")  # the user casts; rustc never suggests it
    plain = FixEngine([RustcProvider(), PatternProvider(memory)]).fixes(units, REL, UNITS, before, diag)
    assert plain[0].provider == "rustc"  # without the habit: rustc's fix of both errors at once
    fixes = build_engine("full", memory=memory, samples=0).fixes(units, REL, UNITS, before, diag)
    best = fixes[0]
    assert best.verified and not best.risky and best.provider == "memory" and best.habit > 0
    assert "let level: u32 = sample.level as u32;" in best.new_text
    assert "let gain: u32 = sample.gain as u32;" in best.new_text  # applied at the alike error too
    assert all(f.habit == 0 for f in fixes if f.provider == "rustc")


def test_a_rustc_fix_that_is_the_users_habit_counts_as_one(units):
    before, diag = first_error(units, UNITS)
    memory = taught("u32::from(p.red);")  # the same text as one of rustc's fixes
    fixes = build_engine("full", memory=memory, samples=0).fixes(units, REL, UNITS, before, diag)
    best = fixes[0]
    assert best.provider == "rustc" and best.habit > 0  # the duplicate by text kept rustc's candidate
    assert "u32::from(sample.level)" in best.new_text
    assert all("into()" not in f.new_text for f in fixes if f.habit)


def test_repair_fixes_a_whole_file(shadow):
    code = MUT.replace("    sum\n}", "    sum\n}\n\npub fn twice(xs: &[u32]) -> u32 {\n    let acc = 0;\n    for x in xs { acc += 2 * x; }\n    acc\n}")
    result = FixEngine([RustcProvider()]).repair(shadow, REL, code)
    assert result.fixed and len(result.fixes) == 2
    assert result.code.count("let mut") == 2
