"""The borrow and item repairs, each on a small crate of its own checked by real cargo: the engine's
best fix must compile, carry no risk, and be the one a developer would write."""

import pytest

from sleepy_lsp.benchmark.judge import default_manifest
from sleepy_lsp.engine.engine import FixEngine
from sleepy_lsp.engine.providers import RustcProvider
from sleepy_lsp.repair.borrow_repairs import owned_values
from sleepy_lsp.repair.item_repairs import struct_fields
from sleepy_lsp.repair.type_conversions import Type, element_conversion, parse_type
from sleepy_lsp.rust.shadow import shadow_of_files

GREETING_HELD_ACROSS_A_PUSH = """\
pub struct Guestbook { signatures: Vec<String> }

impl Guestbook {
    pub fn sign(&mut self, guest: &str) -> String {
        let host = &self.signatures[0];
        self.signatures.push(guest.to_string());
        format!("{host} welcomes {guest}")
    }
}
"""

MAXIMUM_HELD_ACROSS_A_PUSH = """\
pub fn record(lap_times: &mut Vec<u32>, lap: u32) -> String {
    let fastest = lap_times.iter().min();
    lap_times.push(lap);
    fastest.map_or(String::from("first lap"), |best| format!("best so far {best}"))
}
"""

LABEL_OUTLIVES_ITS_OWNER = """\
pub fn badge(number: u32) -> String {
    let label;
    {
        let owned = format!("No. {number}");
        label = &owned;
    }
    label.to_uppercase()
}
"""

TICKET_TAKEN_INSIDE_A_PUSH = """\
pub struct Dispenser { counter: u64, handed_out: Vec<u64> }

impl Dispenser {
    fn next_ticket(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    pub fn hand_out(&mut self) {
        self.handed_out.push(self.next_ticket());
    }
}
"""

FIELD_LEFT_OUT = """\
pub struct Reading { pub sensor: String, pub celsius: f64, pub calibrated: bool }

pub fn reading(sensor: &str, celsius: f64) -> Reading {
    Reading { sensor: sensor.to_string(), celsius }
}
"""

FIELD_OF_THE_SAME_NAME = """\
pub struct Lease {
    pub tenant: String,
    pub months: u32,
}

pub fn lease(tenant: String, months: u32) -> Lease {
    Lease {
        tenant,
    }
}
"""

CONSTRUCTOR_CALLED = """\
#[derive(Debug, PartialEq)]
pub struct Rgb { pub red: u8, pub green: u8, pub blue: u8 }

pub fn grey(level: u8) -> Rgb {
    Rgb::new(level, level, level)
}
"""

PRIVATE_HELPER = """\
mod geometry {
    pub struct Square { pub side: f64 }

    fn perimeter(square: &Square) -> f64 {
        4.0 * square.side
    }
}

pub fn fence_length(plots: &[geometry::Square]) -> f64 {
    plots.iter().map(geometry::perimeter).sum()
}
"""

PRIVATE_FIELD = """\
mod bank {
    pub struct Vault { gold: u32 }

    pub fn vault() -> Vault {
        Vault { gold: 10 }
    }
}

pub fn gold() -> u32 {
    bank::vault().gold
}
"""

PRIVATE_METHOD = """\
mod garden {
    pub struct Plant { pub height: u32 }

    impl Plant {
        fn water(&mut self) {
            self.height += 1;
        }
    }
}

pub fn tend(plant: &mut garden::Plant) {
    plant.water();
}
"""

NAMES_AS_LITERALS = """\
pub fn crew() -> Vec<String> {
    vec!["ada", "grace", "linus"]
}
"""

WEEKDAY_NAMES = """\
pub fn weekday(n: u8) -> String {
    match n {
        0 => "monday",
        1 => "tuesday",
        _ => "later",
    }
}
"""

PARSE_ERROR_AS_MESSAGE = """\
pub fn port(text: &str) -> Result<u16, String> {
    text.trim().parse::<u16>()
}
"""

BORROWED_NAMES = """\
pub fn owned_tags(tags: &[&str]) -> Vec<String> {
    tags.to_vec()
}
"""

READ_AFTER_SHIPPING = """\
pub struct Parcel { pub items: Vec<String> }

fn ship(parcel: Parcel) -> u32 {
    parcel.items.len() as u32 * 10
}

pub fn postage(parcel: Parcel) -> u32 {
    let cost = ship(parcel);
    cost + parcel.items.len() as u32
}
"""

MEAN_OF_SCORES = """\
pub fn mean(scores: &[f64]) -> f64 {
    scores.iter().sum::<f64>() / scores.len()
}
"""

WIDE_PLUS_NARROW = """\
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut sum: u64 = 0;
    for byte in bytes {
        sum = sum * 31 + *byte;
    }
    sum
}
"""

READ_INTO_A_MESSAGE = """\
pub fn settings(path: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path)?;
    Ok(text.trim().to_string())
}
"""

INDEX_OF_ANOTHER_TYPE = """\
pub fn channel(levels: &[u8], number: u32) -> u8 {
    levels[number]
}
"""

SUM_WIDER_THAN_ITEMS = """\
pub fn total_bytes(sizes: &[u32]) -> u64 {
    sizes.iter().sum()
}
"""

SORTED_FLOATS = """\
pub fn podium(mut times: Vec<f64>) -> Vec<f64> {
    times.sort();
    times.truncate(3);
    times
}
"""

HIGHEST_FLOAT = """\
pub fn highest(readings: &[f64]) -> Option<f64> {
    readings.iter().max().copied()
}
"""

NOTE_WHILE_HOLDING_A_SHELF = """\
pub struct Pantry { shelves: Vec<u32>, notes: Vec<String> }

impl Pantry {
    fn note(&mut self, what: &str) {
        self.notes.push(what.to_string());
    }

    pub fn restock_top(&mut self, jars: u32) {
        let top = &mut self.shelves[0];
        self.note("restocked the top shelf");
        *top += jars;
    }
}
"""

MACRO_ARMS_WITHOUT_A_SEMICOLON = """\
macro_rules! product {
    ($x:expr) => { $x };
    ($x:expr, $($rest:expr),+) => { $x * product!($($rest),+) }
    () => { 1 }
}

pub fn volume(w: u32, h: u32, d: u32) -> u32 {
    product!(w, h, d) * product!()
}
"""

FIELD_WITHOUT_A_TYPE = """\
pub struct Rect { pub left: f32, pub top: f32, pub width: f32, pub height }

pub fn area(r: &Rect) -> f32 {
    r.width * r.height
}
"""

PARAMETER_WITHOUT_A_TYPE = """\
pub fn shifted(samples: &[i64], offset) -> Vec<i64> {
    samples.iter().map(|s| s + offset).collect()
}
"""


@pytest.mark.parametrize("code, best", [
    (GREETING_HELD_ACROSS_A_PUSH, "let host = self.signatures[0].clone();"),
    (MAXIMUM_HELD_ACROSS_A_PUSH, ("let fastest = lap_times.iter().min().copied();",
                                  "let fastest = lap_times.iter().min().cloned();")),
    (LABEL_OUTLIVES_ITS_OWNER, ("label = owned.clone();", "label = owned.to_owned();", "label = owned;")),
    (TICKET_TAKEN_INSIDE_A_PUSH, ("let next_ticket = self.next_ticket();\n        self.handed_out.push(next_ticket);",)),
    (FIELD_LEFT_OUT, "Reading { sensor: sensor.to_string(), celsius, calibrated: false }"),
    (FIELD_OF_THE_SAME_NAME, "    Lease {\n        tenant,\n        months,\n    }"),
    (CONSTRUCTOR_CALLED, "    pub fn new(red: u8, green: u8, blue: u8) -> Self {\n        Self { red, green, blue }\n"),
    (PRIVATE_HELPER, "    pub(crate) fn perimeter(square: &Square) -> f64 {"),
    (PRIVATE_FIELD, "pub struct Vault { pub(crate) gold: u32 }"),
    (PRIVATE_METHOD, "        pub(crate) fn water(&mut self) {"),
    (NAMES_AS_LITERALS, 'vec!["ada".to_string(), "grace".to_string(), "linus".to_string()]'),
    (WEEKDAY_NAMES, '0 => "monday".to_string(),\n        1 => "tuesday".to_string(),\n        _ => "later".to_string(),'),
    (PARSE_ERROR_AS_MESSAGE, "text.trim().parse::<u16>().map_err(|e| e.to_string())"),
    (BORROWED_NAMES, "tags.iter().map(|s| s.to_string()).collect()"),
    (MEAN_OF_SCORES, "scores.iter().sum::<f64>() / scores.len() as f64"),
    (WIDE_PLUS_NARROW, "sum = sum * 31 + u64::from(*byte);"),
    (READ_INTO_A_MESSAGE, "let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;"),
    (INDEX_OF_ANOTHER_TYPE, "levels[number as usize]"),
    (SUM_WIDER_THAN_ITEMS, "sizes.iter().map(|&n| u64::from(n)).sum()"),
    (SORTED_FLOATS, "times.sort_by(|a, b| a.total_cmp(b));"),
    (HIGHEST_FLOAT, "readings.iter().max_by(|a, b| a.total_cmp(b)).copied()"),
    (NOTE_WHILE_HOLDING_A_SHELF, '        self.note("restocked the top shelf");\n        let top = &mut self.shelves[0];\n'
                                 "        *top += jars;"),
    (MACRO_ARMS_WITHOUT_A_SEMICOLON, "    ($x:expr, $($rest:expr),+) => { $x * product!($($rest),+) };\n"),
    (FIELD_WITHOUT_A_TYPE, "pub height: f32 }"),
    (PARAMETER_WITHOUT_A_TYPE, "pub fn shifted(samples: &[i64], offset: i64) -> Vec<i64> {"),
    (READ_AFTER_SHIPPING, "    let len = parcel.items.len();\n    let cost = ship(parcel);\n    cost + len as u32"),
], ids=["own_index", "own_option", "own_outliving", "store_argument", "fill_default", "fill_local", "constructor",
        "visible_fn", "visible_field", "visible_method", "each_element", "each_arm", "error_message", "each_owned",
        "mean", "widen_operand", "error_to_message", "index_usize",
        "sum_wider", "sort_floats", "max_float", "conflict_first", "macro_semicolon", "field_type",
        "parameter_type", "read_before_move"])
def test_the_best_fix_is_the_repair_a_developer_writes(tmp_path, code, best):
    with shadow_of_files({"Cargo.toml": default_manifest("repairs"), "src/lib.rs": code},
                         tmp_path / "target") as shadow:
        before = shadow.check()
        assert before.errors, "the crate should not compile as written"
        fixes = FixEngine([RustcProvider()], max_rounds=2).fixes(shadow, "src/lib.rs", code, before, before.errors[0])
    assert fixes and fixes[0].verified and fixes[0].errors_left == 0 and not fixes[0].risky, \
        [(f.title, f.verified, f.risks) for f in fixes]
    assert any(way in fixes[0].new_text for way in ((best,) if isinstance(best, str) else best)), fixes[0].diff()


def test_owned_values_read_through_a_shared_borrow_only():
    assert owned_values("&v[0]") == ["v[0].clone()", "v[0].copied()", "v[0].to_owned()", "v[0]"]
    assert owned_values("&a + b") == []
    assert owned_values("&(a + b)")[0] == "(a + b).clone()"
    assert owned_values("&mut v[0]") == []
    assert owned_values("v.first()")[:2] == ["v.first().clone()", "v.first().cloned()"]
    assert owned_values("a + b") == []


def test_struct_fields_read_types_with_commas_and_skip_comments():
    data = b"pub struct Map<K> {\n    // keys, sorted\n    pub keys: Vec<K>,\n    pairs: HashMap<K, (u8, u8)>,\n}\n"
    fields = struct_fields(data, "Map")
    assert [(name, kind) for name, kind, _ in fields] == [("keys", "Vec<K>"), ("pairs", "HashMap<K, (u8, u8)>")]
    assert data[fields[1][2]:].startswith(b"pairs:")
    assert struct_fields(data, "Other") is None


def test_types_are_read_into_trees():
    assert str(parse_type("Result<Vec<&'a str>, String>")) == "Result<Vec<&str>, String>"
    assert parse_type("&mut HashMap<String, (u8, u8)>").args[0].args[1] == Type("(u8, u8)")
    assert element_conversion(Type("u32"), parse_type("&u32")) == ".copied()"
    assert element_conversion(Type("String"), parse_type("&str")) == ".map(|s| s.to_string())"
    assert element_conversion(Type("u32"), Type("String")) is None
