"""The project's tests as the second verification, with real cargo test in a shadow crate: a fix that
compiles but breaks a test is dropped, one that keeps them passing says so, and a fix with which the
tests no longer build is not applied."""

from sleepy_lsp.benchmark.judge import default_manifest
from sleepy_lsp.engine.engine import Candidate, FixEngine
from sleepy_lsp.engine.engine import TestPolicy as Policy
from sleepy_lsp.engine.project_tests import run_tests
from sleepy_lsp.engine.providers import RustcProvider
from sleepy_lsp.rust.edits import TextEdit
from sleepy_lsp.rust.shadow import shadow_of_files

# A fee in cents: the broken line returns a u64 where the function promises a u32.
FEES = """\
pub fn fee(cents: u32) -> u32 {
    let fee: u64 = u64::from(cents) * 3 / 100;
    fee
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_percent() {
        assert_eq!(fee(1000), 30);
    }

    #[test]
    fn rounds_down() {
        assert_eq!(fee(99), 2);
    }
}
"""


class TwoWays:
    """Proposes two fixes that both compile: a constant (the smaller diff, which breaks a test) and a cast."""

    name = "rustc"

    def propose(self, ctx):
        line = ctx.code.index("    fee\n}")
        at = len(ctx.code[:line].encode()) + 4
        return [Candidate((TextEdit(at, at + 3, "30"),), "rustc", "return 30"),
                Candidate((TextEdit(at + 3, at + 3, " as u32"),), "rustc", "cast the fee")]


def test_a_fix_that_breaks_a_test_is_dropped_and_the_passing_one_says_so(tmp_path):
    files = {"Cargo.toml": default_manifest("fees"), "src/lib.rs": FEES}
    with shadow_of_files(files, tmp_path / "target") as shadow:
        before = shadow.check()
        engine = FixEngine([TwoWays()], max_rounds=1)
        fixes = engine.fixes(shadow, "src/lib.rs", FEES, before, before.errors[0])
        assert [f.title for f in fixes if f.verified][0] == "return 30"  # the compiler alone prefers it
        tested = engine.test(shadow, fixes, Policy(budget=120))
        assert (shadow.root / "src/lib.rs").read_text() == FEES  # the shadow is restored
    assert [f.title for f in tested] == ["cast the fee"]
    assert tested[0].tests.status == "passed" and tested[0].tests.label == "tests pass (2)"


# A library that re-exports its types; its integration test uses them through the re-export.
LIBRARY = """\
mod shapes {
    pub struct Square(pub u32);

    impl Square {
        pub fn area(&self) -> u32 {
            self.0 * self.0
        }
    }
}

pub fn total_area(squares: &[Square]) -> u32 {
    squares.iter().map(Square::area).sum()
}
"""

INTEGRATION_TEST = """\
use koan_plots::{total_area, Square};

#[test]
fn adds_the_areas() {
    assert_eq!(total_area(&[Square(2), Square(3)]), 13);
}
"""


def test_a_fix_with_which_the_tests_do_not_build_is_not_applied(tmp_path):
    files = {"Cargo.toml": default_manifest("plots"), "src/lib.rs": LIBRARY, "tests/area.rs": INTEGRATION_TEST}
    with shadow_of_files(files, tmp_path / "target") as shadow:
        untested = FixEngine([RustcProvider()], max_rounds=1).repair(shadow, "src/lib.rs", LIBRARY)
        assert untested.fixed and "::Square;" in untested.code and "pub use" not in untested.code
        shadow.write("src/lib.rs", untested.code)
        assert run_tests(shadow, 120).status == "not_built"  # the private `use` does not re-export it
        tested = FixEngine([RustcProvider()], max_rounds=1).repair(shadow, "src/lib.rs", LIBRARY,
                                                                  tests=Policy(budget=120))
    assert not tested.fixes and tested.code == LIBRARY and tested.remaining
