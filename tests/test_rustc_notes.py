"""Fixes built from rustc's notes and labels, each checked by real cargo on a crate that needs it."""

import pytest

from sleepy_lsp.benchmark.judge import default_manifest
from sleepy_lsp.engine.engine import FixContext, FixEngine
from sleepy_lsp.engine.providers import RustcProvider
from sleepy_lsp.repair.rust_source import call_on, derive
from sleepy_lsp.rust.diagnostics import Span
from sleepy_lsp.rust.edits import apply_edits
from sleepy_lsp.rust.shadow import shadow_of_files

CLONE_THE_VALUE = """\
pub struct Ticket { pub id: u32, pub note: String }

pub fn file(archive: &mut Vec<Ticket>, ticket: Ticket) -> u32 {
    archive.push(ticket);
    ticket.id
}
"""

DERIVE_COPY = """\
pub struct Point { pub x: f64, pub y: f64 }

pub fn dist(a: Point, b: Point) -> f64 { (a.x - b.x).hypot(a.y - b.y) }

pub fn round_trip(a: Point, b: Point) -> f64 { dist(a, b) + dist(b, a) }
"""

DERIVE_FOR_METHOD = """\
/// A document under edit.
#[derive(Debug)]
pub struct Doc { pub lines: Vec<String> }

pub fn twice(doc: Doc) -> (Doc, Doc) { (doc.clone(), doc) }
"""

ENUM_VARIANT = """\
pub enum State {
    Running,
    Done,
}

pub fn pause(state: State) -> State {
    match state {
        State::Running => State::Paused,
        other => other,
    }
}
"""

OPTION_OPERAND = """\
use std::collections::HashMap;

pub fn bump(counts: &mut HashMap<String, u32>, word: &str) {
    let seen = counts.get(word).copied();
    counts.insert(word.to_string(), seen + 1);
}
"""

RC_ACROSS_THREADS = """\
use std::rc::Rc;
use std::thread;

pub fn total(numbers: Vec<u64>) -> u64 {
    let shared = Rc::new(numbers);
    let mine = Rc::clone(&shared);
    thread::spawn(move || mine.iter().sum::<u64>()).join().unwrap()
}
"""

RESULT_BODY = """\
pub fn parse_port(text: &str) -> u16 {
    if text.is_empty() {
        return Err("no port given".to_string());
    }
    text.trim().parse::<u16>().map_err(|e| e.to_string())
}
"""

OWNED_RETURN = """\
pub fn slug(title: &str) -> &str {
    let slug = title.trim().to_lowercase().replace(' ', "-");
    slug.as_str()
}
"""

TRY_IN_A_PLAIN_FUNCTION = """\
pub fn sizes(paths: &[&str]) -> Vec<u64> {
    let mut sizes = Vec::new();
    for path in paths {
        sizes.push(std::fs::metadata(path)?.len());
    }
    sizes
}
"""

DERIVE_WITH_SUPERTRAITS = """\
use std::collections::BTreeSet;

#[derive(Debug)]
pub struct Day(pub u32);

pub fn calendar(days: Vec<Day>) -> BTreeSet<Day> {
    let mut set = BTreeSet::new();
    for day in days {
        set.insert(day);
    }
    set
}
"""

FROM_FOR_THE_VARIANT = """\
use std::num::ParseIntError;

#[derive(Debug)]
pub enum ConfigError {
    Missing(&'static str),
    BadNumber(ParseIntError),
}

pub fn workers(text: &str) -> Result<u32, ConfigError> {
    Ok(text.trim().parse::<u32>()?)
}
"""

WIDEN_IN_ASSIGNMENT = """\
pub fn total_bytes(sizes: &[u32]) -> u64 {
    let mut total: u64 = 0;
    for size in sizes {
        total += *size;
    }
    total
}
"""

F64_ARGUMENT = """\
pub struct Gauge { pub level: f32 }

impl Gauge {
    pub fn set(&mut self, level: f32) { self.level = level; }
}

pub fn read(gauge: &mut Gauge, text: &str) {
    if let Ok(level) = text.parse::<f64>() {
        gauge.set(level * 0.5);
    }
}
"""

COLLECT_STRINGS = """\
pub fn words(line: &str) -> Vec<String> {
    line.split_whitespace().filter(|w| w.len() > 2).collect()
}
"""

COLLECT_CLONES = """\
#[derive(Clone)]
pub struct Tag(pub u8);

pub fn kept(tags: &[Tag]) -> Vec<Tag> {
    tags.iter().filter(|t| t.0 > 1).collect()
}
"""

IF_WITHOUT_ELSE = """\
pub fn bonus(points: u32) -> u32 {
    if points > 100 {
        points / 10
    }
}
"""

OK_BEFORE_TRY = """\
pub fn minutes(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let h = h.parse::<u32>()?;
    Some(h * 60 + m.parse::<u32>().ok()?)
}
"""

STD_TYPO = """\
use std::colections::HashMap;

pub fn empty() -> HashMap<u8, u8> { HashMap::new() }
"""

COLLECT_RESULTS = """\
pub fn numbers(line: &str) -> Result<Vec<i32>, std::num::ParseIntError> {
    let parsed: Vec<i32> = line.split(' ').map(|w| w.parse::<i32>()).collect();
    Ok(parsed)
}
"""


@pytest.mark.parametrize("code, title, fixed", [
    (CLONE_THE_VALUE, "derive `Clone` for `Ticket` and clone the value", "archive.push(ticket.clone());"),
    (DERIVE_COPY, "derive `Clone` and `Copy` for `Point`", "#[derive(Clone, Copy)]\npub struct Point"),
    (DERIVE_FOR_METHOD, "derive `Clone` for `Doc`", "/// A document under edit.\n#[derive(Debug, Clone)]\n"),
    (ENUM_VARIANT, "add the variant `Paused`", "pub enum State {\n    Paused,\n    Running,"),
    (OPTION_OPERAND, "use the value, or its default when there is none", "seen.unwrap_or_default() + 1"),
    (RC_ACROSS_THREADS, "use `Arc`, which can be shared between threads, instead of `Rc`",
     ("use std::sync::Arc;\n", "let shared = Arc::new(numbers);\n    let mine = Arc::clone(&shared);")),
    (RESULT_BODY, "return `Result<u16, String>`", "pub fn parse_port(text: &str) -> Result<u16, String> {"),
    (OWNED_RETURN, "return an owned `String`", "pub fn slug(title: &str) -> String {\n    let slug"),
    (TRY_IN_A_PLAIN_FUNCTION, "return `Result<Vec<u64>, Box<dyn Error>>`",  # the second round wraps `Ok`
     ("-> Result<Vec<u64>, Box<dyn std::error::Error>> {", "    Ok(sizes)\n}")),
    (DERIVE_WITH_SUPERTRAITS, "derive `Ord` for `Day`, with the traits it needs",
     "#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]\npub struct Day"),
    (FROM_FOR_THE_VARIANT, "convert `ParseIntError` into `ConfigError::BadNumber` with `From`",
     "impl From<ParseIntError> for ConfigError {\n    fn from(err: ParseIntError) -> Self {\n"
     "        ConfigError::BadNumber(err)"),
    (WIDEN_IN_ASSIGNMENT, "convert the `u32` to `u64` losslessly", "total += u64::from(*size);"),
    (F64_ARGUMENT, "round the `f64` to `f32`", "gauge.set((level * 0.5) as f32);"),
    (COLLECT_STRINGS, "turn each item into a `String` before collecting", ".map(|s| s.to_string()).collect()"),
    (COLLECT_CLONES, "clone each `Tag` before collecting", ".filter(|t| t.0 > 1).cloned().collect()"),
    (IF_WITHOUT_ELSE, "add an `else` giving `0`", "        points / 10\n    } else {\n        0\n    }\n}"),
    (OK_BEFORE_TRY, "discard the error with `.ok()?`", "let h = h.parse::<u32>().ok()?;"),
    (STD_TYPO, "use `std::collections`", "use std::collections::HashMap;"),
    (COLLECT_RESULTS, "collect into a `Result` and return early on the first failure",
     ".map(|w| w.parse::<i32>()).collect::<Result<_, _>>()?;"),
], ids=["clone", "copy", "derive", "variant", "option", "arc", "result", "owned", "try", "supertraits", "from",
        "widen", "f32", "collect_strings", "collect_clones", "else", "ok", "std", "collect_results"])
def test_a_fix_rustc_describes_in_words_is_built_and_compiles(tmp_path, code, title, fixed):
    with shadow_of_files({"Cargo.toml": default_manifest("notes"), "src/lib.rs": code}, tmp_path / "target") as shadow:
        before = shadow.check()
        assert before.errors, "the crate should not compile as written"
        fixes = FixEngine([RustcProvider()], max_rounds=2).fixes(shadow, "src/lib.rs", code, before, before.errors[0])
    verified = {f.title.removeprefix("rustc: "): f.new_text for f in fixes if f.verified}
    assert title in verified, f"verified: {list(verified)}"
    for part in (fixed,) if isinstance(fixed, str) else fixed:
        assert part in verified[title]


def test_a_variant_used_with_fields_is_left_to_the_user(tmp_path):
    code = ENUM_VARIANT.replace("State::Paused", "State::Paused(3)")
    with shadow_of_files({"Cargo.toml": default_manifest("notes"), "src/lib.rs": code}, tmp_path / "target") as shadow:
        before = shadow.check()
    [missing] = [d for d in before.errors if d.code == "E0599"]
    titles = [c.title for c in RustcProvider().propose(FixContext("src/lib.rs", code, missing, "missing_item"))]
    assert not any("add the variant" in t for t in titles)


@pytest.mark.parametrize("code, traits, expected", [
    (b"pub struct A;\n", ("Clone",), "#[derive(Clone)]\npub struct A;\n"),
    (b"mod m {\n    pub struct A;\n}\n", ("Clone", "Copy"),
     "mod m {\n    #[derive(Clone, Copy)]\n    pub struct A;\n}\n"),
    (b"#[derive(Debug, Clone)]\n/// doc\n#[allow(dead_code)]\npub struct A;\n", ("Clone", "Copy"),
     "#[derive(Debug, Clone, Copy)]\n/// doc\n#[allow(dead_code)]\npub struct A;\n"),
    (b"#[derive(Debug)]\n\npub struct A;\n", ("Clone",), "#[derive(Debug)]\n\n#[derive(Clone)]\npub struct A;\n"),
])
def test_derive_joins_the_items_own_derive_attribute(code, traits, expected):
    item = code.index(b"pub struct")
    assert apply_edits(code.decode(), [derive(code, item, traits)]) == expected


@pytest.mark.parametrize("expression, expected", [
    ("players[best]", "players[best].clone()"),
    ("self.items", "self.items.clone()"),
    ("*cell", "(*cell).clone()"),
    ("a + b", "(a + b).clone()"),
])
def test_a_call_binds_to_the_whole_expression(expression, expected):
    code = f"let x = {expression};"
    start = code.index(expression)
    span = Span("src/lib.rs", start, start + len(expression), 1, 1, 1, 1)
    assert apply_edits(code, call_on(code.encode(), span, ".clone()")) == f"let x = {expected};"
