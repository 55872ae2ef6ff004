"""Token-level fix patterns (Getafix-style): learning one fix, anti-unifying two, applying to new code,
keeping the project's own names, counting the user's uses and rejections, retrieval and the habit.

The Rust here is a config loader, a units library and a ring buffer written for these tests.
"""

from __future__ import annotations

import textwrap

import pytest

from sleepy_lsp.memory.index import MemoryIndex
from sleepy_lsp.memory.patterns import MANUAL_WEIGHT, PatternBook, Shape, generalise, shape_of
from sleepy_lsp.memory.tokens import tokenize
from sleepy_lsp.model.records import ErrorCase, FixRecord
from sleepy_lsp.rust.diagnostics import Diagnostic, Span
from sleepy_lsp.rust.edits import apply_edits

REL = "src/config.rs"

CONFIG = textwrap.dedent("""\
    use std::fs::File;
    use std::path::{Path, PathBuf};

    #[derive(Debug)]
    pub enum ConfigError {
        Io(std::io::Error),
        Missing(&'static str),
    }

    pub struct Loader {
        root: PathBuf,
        reader: std::io::BufReader<File>,
    }

    impl Loader {
        pub fn text(&self, path: &Path) -> Result<String, ConfigError> {
            let text = std::fs::read_to_string(path)?;
            Ok(text)
        }

        pub fn entries(&self, dir: &Path) -> Result<usize, ConfigError> {
            let entries = std::fs::read_dir(dir)?;
            Ok(entries.count())
        }

        pub fn open(&self) -> Result<File, ConfigError> {
            let file = File::open(&self.root)?;
            Ok(file)
        }
    }
""")

LATER = textwrap.dedent("""\
    pub fn size(file: &Path) -> Result<u64, ConfigError> {
        // how big the settings file is
        let meta = std::fs::metadata(file)?;
        Ok(meta.len())
    }

    pub fn first_line(loader: &mut Loader) -> Result<String, ConfigError> {
        let mut line = String::new();
        loader.reader.read_line(&mut line)?;
        Ok(line)
    }

    pub fn modified(handle: &File) -> Result<std::time::SystemTime, ConfigError> {
        let when = handle.metadata()?.modified();
        when.map_err(ConfigError::Io)
    }
""")


def case(code: str, line: int, text: str, message: str = "`?` couldn't convert the error to `ConfigError`",
         family: str = "result") -> ErrorCase:
    return ErrorCase(f"error[{code}]: {message}", code, "error", message, REL, line, 1, family, text, "")


def fix(text: str, old: str, new: str, code: str = "E0277", provider: str = "user", **kw) -> FixRecord:
    """The record of replacing `old` (once) by `new` in text, for an error on old's line."""
    assert old in text
    line = text[:text.index(old)].count("\n") + 1
    return FixRecord.of(case(code, line, text, **kw), text, text.replace(old, new, 1), provider)


def map_err(text: str, call: str) -> FixRecord:
    return fix(text, f"{call}?", f"{call}.map_err(ConfigError::Io)?")


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def applied(book: PatternBook, code: str, text: str, needle: str) -> list[str]:
    """The fixed texts the book offers for an error of `code` on the line holding needle."""
    return [apply_edits(text, a.edits) for a in book.apply(code, text, line_of(text, needle))]


def test_tokens_keep_literals_whole_skip_comments_and_join_paths():
    source = 'let s = "a; // not a comment"; // a comment\nlet c = \'}\'; f::<\'a>(r#"x"#, 0x1F, 2.5e3);'
    texts = [t.text for t in tokenize(source)]
    assert texts == ["let", "s", "=", '"a; // not a comment"', ";", "let", "c", "=", "'}'", ";",
                     "f", "::", "<", "'a", ">", "(", 'r#"x"#', ",", "0x1F", ",", "2.5e3", ")", ";"]
    assert [t.text for t in tokenize("std::fs::read_to_string(p) /* x */ ConfigError::Io")] == \
        ["std::fs::read_to_string", "(", "p", ")", "ConfigError::Io"]
    assert [t.line for t in tokenize("a\n/* two\nlines */ b")] == [1, 3]


def test_one_fix_becomes_a_pattern_with_holes_and_the_project_name_concrete():
    record = map_err(CONFIG, "std::fs::read_to_string(path)")
    shape = shape_of(record.before, record.after)
    assert str(shape) == "$0($1)? => $0($1).map_err(ConfigError::Io)?"


def test_a_pattern_applies_to_a_third_site_with_other_names():
    book = PatternBook()
    book.learn(map_err(CONFIG, "std::fs::read_to_string(path)"), "manual")
    text = CONFIG + LATER
    [fixed] = applied(book, "E0277", text, "std::fs::metadata(file)?")
    assert "let meta = std::fs::metadata(file).map_err(ConfigError::Io)?;" in fixed
    assert fixed.replace(".map_err(ConfigError::Io)", "", 1) == text  # nothing else changed
    [fixed] = applied(book, "E0277", text, "read_line(&mut line)?")  # a hole binds a whole operand
    assert "loader.reader.read_line(&mut line).map_err(ConfigError::Io)?;" in fixed
    assert applied(book, "E0277", text, "handle.metadata()?") == []  # no argument: not this pattern's shape


def test_anti_unification_keeps_what_two_patterns_agree_on_and_abstracts_what_differs():
    def concrete(call: str, arg: str, variant: str = "ConfigError::Io") -> Shape:
        return Shape((call, "(", arg, ")"), (), (".", "map_err", "(", variant, ")"), ("?",), operand=True)

    merged = generalise(concrete("std::fs::read_to_string", "path"), concrete("std::fs::read_dir", "dir"))
    assert str(merged) == "$0($1)? => $0($1).map_err(ConfigError::Io)?"
    # two variants written where nothing binds them: no pattern could write either
    assert generalise(concrete("read", "p"), concrete("read", "p", "ConfigError::Parse")) is None

    def pair(a: str, b: str) -> Shape:
        return Shape(("(", a, ",", b, ")"), (), (".", "swap", "(", ")"), (";",))

    assert str(generalise(pair("x", "x"), pair("y", "y"))) == "($0, $0); => ($0, $0).swap();"
    assert str(generalise(pair("x", "x"), pair("y", "z"))) == "($0, $1); => ($0, $1).swap();"


def test_two_fixes_generalise_to_one_pattern_that_applies_where_neither_did():
    book = PatternBook()
    book.learn(map_err(CONFIG, "std::fs::read_to_string(path)"), "manual")
    book.learn(map_err(CONFIG, "File::open(&self.root)"), "manual")
    by_text = {str(p.shape): p for p in book.patterns("E0277")}
    assert set(by_text) == {"$0($1)? => $0($1).map_err(ConfigError::Io)?",
                            "$0(&self.$1)? => $0(&self.$1).map_err(ConfigError::Io)?",
                            "$0? => $0.map_err(ConfigError::Io)?"}
    general = by_text["$0? => $0.map_err(ConfigError::Io)?"]
    assert general.manual == 2 and general.count == 2 * MANUAL_WEIGHT
    # `$1` binds `&self.root` too, so the first fix's pattern also makes both: as used, and more specific
    assert book.patterns("E0277")[0] is by_text["$0($1)? => $0($1).map_err(ConfigError::Io)?"]
    assert by_text["$0(&self.$1)? => $0(&self.$1).map_err(ConfigError::Io)?"].manual == 1
    text = CONFIG + LATER
    [fixed] = applied(book, "E0277", text, "handle.metadata()?")
    assert "let when = handle.metadata().map_err(ConfigError::Io)?.modified();" in fixed


def test_the_same_fix_twice_is_one_pattern_counted_twice():
    book = PatternBook()
    book.learn(map_err(CONFIG, "std::fs::read_to_string(path)"), "accepted")
    book.learn(map_err(CONFIG, "std::fs::read_dir(dir)"), "accepted")
    [pattern] = book.patterns("E0277")
    assert pattern.accepted == 2 and str(pattern.shape) == "$0($1)? => $0($1).map_err(ConfigError::Io)?"


UNITS = textwrap.dedent("""\
    pub struct Meters(f64);

    impl Meters {
        pub fn new(value: f64) -> Meters {
            Meters(value)
        }
    }

    pub fn runway(base: f64) -> Meters {
        let length: Meters = base * 2.0;
        length
    }

    pub fn square(width: u64) -> u64 {
        let area = width * width;
        area
    }
""")


def test_the_project_constructor_stays_concrete_and_the_wrapped_value_is_a_hole():
    book = PatternBook()
    record = fix(UNITS, "let length: Meters = base * 2.0;", "let length: Meters = Meters::new(base * 2.0);",
                 code="E0308", message="mismatched types", family="type_mismatch")
    [pattern] = [book.learn(record, "manual")]
    assert str(pattern.shape) == "= $0; => = Meters::new($0);"
    later = "pub fn climb(start: &Meters, step: f64) -> Meters {\n    let top: Meters = start.0 + step * 3.0;\n    top\n}\n"
    [fixed] = applied(book, "E0308", later, "let top")
    assert "let top: Meters = Meters::new(start.0 + step * 3.0);" in fixed


def test_a_hole_used_twice_binds_the_same_text():
    book = PatternBook()
    book.learn(fix(UNITS, "width * width", "width.pow(2)", code="E0308", message="mismatched types"), "manual")
    later = "fn f(side: u64, other: u64) -> u64 {\n    let a = side * side;\n    let b = side * other;\n    a + b\n}\n"
    [fixed] = applied(book, "E0308", later, "let a")
    assert "let a = side.pow(2);" in fixed and "let b = side * other;" in fixed
    assert applied(book, "E0308", later.replace("let a = side * side;", "let a = 1;"), "let b") == []


def test_a_cast_the_project_prefers_is_kept_with_its_type():
    ring = "impl Ring {\n    pub fn len(&self) -> u32 {\n        let n: u32 = self.items.len();\n        n\n    }\n}\n"
    book = PatternBook()
    book.learn(fix(ring, "self.items.len();", "self.items.len() as u32;", code="E0308", message="mismatched types"),
               "accepted")
    [pattern] = book.patterns("E0308")
    assert str(pattern.shape) == "self.$0.$1(); => self.$0.$1() as u32;"  # `self` is a keyword
    later = "fn free(&self) -> u32 {\n    let f: u32 = self.slots.capacity();\n    f\n}\n"
    [fixed] = applied(book, "E0308", later, "let f")
    assert "let f: u32 = self.slots.capacity() as u32;" in fixed


def test_an_inserted_line_is_reindented_where_it_applies():
    ring = "impl Ring {\n    fn push(&mut self, x: u8) {\n        self.buf[self.head] = x;\n    }\n}\n"
    taught = ring.replace("        self.buf", "        self.grow_if_full();\n        self.buf")
    book = PatternBook()
    book.learn(FixRecord.of(case("E0599", 3, ring), ring, taught, "user"), "manual")
    later = "mod inner {\n    impl Ring {\n        fn put(&mut self, y: u8) {\n            self.buf[self.tail] = y;\n" \
            "        }\n    }\n}\n"
    [fixed] = applied(book, "E0599", later, "self.buf")
    assert "        fn put(&mut self, y: u8) {\n            self.grow_if_full();\n            self.buf[self.tail] = y;" \
        in fixed


def test_patterns_apply_only_to_their_error_code_and_near_the_error():
    book = PatternBook()
    book.learn(map_err(CONFIG, "std::fs::read_to_string(path)"), "manual")
    text = CONFIG + LATER
    assert applied(book, "E0308", text, "std::fs::metadata(file)?") == []  # taught for E0277 only
    far = line_of(text, "std::fs::metadata(file)?") + 6
    assert all(abs(a.line - far) <= 3 for a in book.apply("E0277", text, far))


def test_manual_fixes_weigh_more_and_a_rejection_demotes():
    book = PatternBook()
    book.learn(map_err(CONFIG, "std::fs::read_to_string(path)"), "accepted")
    book.learn(map_err(CONFIG, "std::fs::read_dir(dir)"), "manual")
    [pattern] = book.patterns("E0277")
    assert (pattern.accepted, pattern.manual, pattern.count, pattern.habit) == (1, 1, 1 + MANUAL_WEIGHT, 3)
    book.reject(map_err(CONFIG, "File::open(&self.root)"))  # an instance of the pattern the user refused
    book.reject(fix(CONFIG, "Ok(text)", "Ok(text.clone())"))  # not one of its fixes: no effect
    [pattern] = book.patterns("E0277")
    assert pattern.rejected == 1 and pattern.score == 2 and pattern.habit == 2 and not pattern.retired
    assert "rejected 1×" in pattern.uses()


def test_a_pattern_rejected_repeatedly_is_no_longer_applied():
    text = CONFIG + LATER
    book = PatternBook()
    book.learn(map_err(CONFIG, "std::fs::read_to_string(path)"), "accepted")
    book.reject(map_err(text, "std::fs::metadata(file)"))
    assert applied(book, "E0277", text, "std::fs::metadata(file)?")  # one rejection demotes, no more
    book.reject(map_err(text, "loader.reader.read_line(&mut line)"))
    [pattern] = book.all_patterns()
    assert pattern.retired and book.patterns("E0277") == []
    assert applied(book, "E0277", text, "std::fs::metadata(file)?") == []
    assert book.habit("E0277", text, text.replace("(file)?", "(file).map_err(ConfigError::Io)?")) == 0
    book.learn(map_err(CONFIG, "std::fs::read_dir(dir)"), "manual")  # used more than refused: back in use
    assert book.patterns("E0277")


class FakeOffer:
    def __init__(self, record):
        self.record = record


class FakeStore:
    """The part of FixMemory the index reads."""

    enabled = True

    def __init__(self, taken, rejected):
        self.taken, self.rejected = taken, rejected

    def fixes_by_outcome(self, outcomes=("accepted", "manual"), error_code=None, limit=5000):
        if outcomes == ("rejected",):
            return [(FakeOffer(r), "rejected") for r in self.rejected]
        return [(FakeOffer(r), outcome) for r, outcome in reversed(self.taken)]  # newest first

    def episodes(self):
        return []


def test_refresh_learns_from_taken_and_written_fixes_and_is_demoted_by_rejected_ones():
    text = CONFIG + LATER
    store = FakeStore([(map_err(CONFIG, "std::fs::read_to_string(path)"), "manual")],
                      [map_err(text, "std::fs::metadata(file)"), map_err(text, "loader.reader.read_line(&mut line)")])
    memory = MemoryIndex.from_store(store)
    [pattern] = memory.patterns.all_patterns()
    assert (pattern.manual, pattern.rejected) == (1, 2) and not pattern.retired  # 2 rejections, weight 2
    store.rejected.append(map_err(text, "std::fs::read_dir(dir)"))
    memory.refresh(store)
    [pattern] = memory.patterns.all_patterns()
    assert pattern.retired and len(memory.records) == 1


def site(text: str, needle: str, code: str = "E0277"):
    from sleepy_lsp.engine.engine import FixContext

    line = line_of(text, needle)
    span = Span(REL, 0, 0, line, line, 1, 1, is_primary=True)
    diagnostic = Diagnostic("`?` couldn't convert the error to `ConfigError`", "error", code, (span,))
    return FixContext(REL, text, diagnostic, "result")


def test_examples_prefer_fixes_whose_pattern_matches_here():
    memory = MemoryIndex()
    similar_text = fix(CONFIG, "Ok(text)", "Ok(text.trim().to_string())")  # E0277 too, text much alike
    memory.add(similar_text, "accepted")
    memory.add(map_err(CONFIG, "std::fs::read_to_string(path)"), "manual")
    memory.add(fix(UNITS, "width * width", "width.pow(2)", code="E0308", message="mismatched types"), "manual")
    text = CONFIG + LATER
    first, second, third = memory.examples(site(text, "std::fs::metadata(file)?"))
    assert "map_err(ConfigError::Io)" in first.after
    assert second is similar_text and third.case.code == "E0308"


def test_habit_counts_the_users_fixes_wherever_the_change_came_from():
    book = PatternBook()
    book.learn(map_err(CONFIG, "std::fs::read_to_string(path)"), "manual")
    text = CONFIG + LATER
    both = text.replace("(file)?", "(file).map_err(ConfigError::Io)?").replace(
        "(&mut line)?", "(&mut line).map_err(ConfigError::Io)?")
    assert book.habit("E0277", text, both) == MANUAL_WEIGHT  # every changed block is the pattern's
    assert book.habit("E0277", text, text.replace("(file)?", "(file).map_err(|e| ConfigError::Io(e))?")) == 0
    assert book.habit("E0308", text, both) == 0
    practice = PatternBook()
    practice.learn(map_err(CONFIG, "std::fs::read_to_string(path)"), "practice")
    assert practice.habit("E0277", text, both) == 0 and practice.patterns("E0277")  # applied, but not a habit


@pytest.mark.parametrize("before, after", [
    ("let a = 1;\n", "let a = 1;\n"),  # no change
    ("let a = 1; // one\n", "let a = 1; // uno\n"),  # a comment only
])
def test_fixes_that_change_no_token_make_no_pattern(before, after):
    assert shape_of(before, after) is None


# --- anchors are context, not the fix (issue #14) ---

PROFILES = textwrap.dedent("""\
    mod model {
        pub struct Profile {
            handle: String,
            alias: Option<String>,
        }

        impl Profile {
            pub fn handle(&self) -> &str {
                &self.handle
            }

            pub fn shown_as(&self) -> &str {
                self.alias.as_deref().unwrap_or(&self.handle)
            }
        }
    }

    use model::Profile;

    pub fn greeting(p: &Profile) -> String {
        format!("hello {}", p.handle)
    }

    pub fn by_name(list: &mut Vec<Profile>) {
        list.sort_by_key(|p| p.handle.len());
    }
""")


def test_a_field_read_made_a_method_call_is_the_change_not_the_call_around_it():
    record = fix(PROFILES, 'format!("hello {}", p.handle)', 'format!("hello {}", p.shown_as())', code="E0616",
                 message="field `handle` of struct `Profile` is private", family="other")
    shape = shape_of(record.before, record.after)
    # the inserted `()` is the accessor's, not aligned with format!'s closing parenthesis
    assert shape.old == ("handle",) and shape.new == ("shown_as", "(", ")") and shape.left == (".",)
    assert "format" not in str(shape) and '"hello {}"' not in str(shape)


def test_where_no_pattern_matches_as_learned_its_anchors_may_differ():
    book = PatternBook()
    book.learn(fix(PROFILES, 'format!("hello {}", p.handle)', 'format!("hello {}", p.shown_as())', code="E0616",
                   message="field `handle` of struct `Profile` is private", family="other"), "manual")
    [pattern] = book.patterns("E0616")
    assert pattern.shape.right == (")",)  # learned before a `)`; here a `.` follows the field
    [fixed] = applied(book, "E0616", PROFILES, "list.sort_by_key")
    assert "list.sort_by_key(|p| p.shown_as().len());" in fixed
    assert fixed.replace("p.shown_as().len()", "p.handle.len()") == PROFILES
    assert book.habit("E0616", PROFILES, fixed) == MANUAL_WEIGHT  # the same change, vouched for


def test_an_insertion_keeps_its_anchors():
    book = PatternBook()
    book.learn(map_err(CONFIG, "std::fs::read_to_string(path)"), "manual")
    text = CONFIG + LATER
    # `$0($1)` without its `?` would insert `.map_err(..)` after any call (`when.map_err(ConfigError::Io)`
    # here): it stays where a `?` follows
    assert applied(book, "E0277", text, "when.map_err(ConfigError::Io)") == []


TIMER = textwrap.dedent("""\
    pub struct Seconds(u64);

    impl Seconds {
        pub fn new(value: u64) -> Seconds {
            Seconds(value)
        }
    }

    pub struct Timer {
        started: u64,
        grace: u64,
    }

    impl Timer {
        pub fn elapsed(&self, now: u64) -> Seconds {
            now - self.started
        }

        pub fn deadline(&self, budget: u64) -> Seconds {
            let limit: Seconds = self.started + budget * self.grace;
            limit
        }

        pub fn remaining(&self, now: u64) -> (u64, Seconds) {
            (now, self.grace.saturating_sub(now))
        }
    }
""")


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def test_a_wrapper_applies_at_the_expression_the_error_points_at_whatever_surrounds_it():
    book = PatternBook()
    book.learn(fix(TIMER, "        now - self.started\n", "        Seconds::new(now - self.started)\n",
                   code="E0308", message="mismatched types", family="type_mismatch"), "manual")
    [pattern] = book.patterns("E0308")
    assert pattern.shape.left == ("{",) and pattern.shape.right == ("}",)  # learned as a block's tail
    wrong = "self.started + budget * self.grace"
    line = line_of(TIMER, wrong)
    wanted = "let limit: Seconds = Seconds::new(self.started + budget * self.grace);"
    # no anchor matches after `=`: without the span, only a looser form at a block's tail nearby
    assert not any(wanted in apply_edits(TIMER, a.edits) for a in book.apply("E0308", TIMER, line))
    application = book.apply("E0308", TIMER, line, span=span_of(TIMER, wrong))[0]  # the span's comes first
    fixed = apply_edits(TIMER, application.edits)
    assert wanted in fixed
    assert book.habit("E0308", TIMER, fixed) == MANUAL_WEIGHT
    inside = "self.grace.saturating_sub(now)"  # in a tuple, after `,`
    offered = book.apply("E0308", TIMER, line_of(TIMER, inside), span=span_of(TIMER, inside))
    # the learned form matches the whole tuple (the compiler will refuse it); the bare one the element
    assert any("(now, Seconds::new(self.grace.saturating_sub(now)))" in apply_edits(TIMER, a.edits) for a in offered)
    # a span that is not one whole operand binds nothing
    assert not any(wanted in apply_edits(TIMER, a.edits)
                   for a in book.apply("E0308", TIMER, line, span=span_of(TIMER, "budget * self")))
