"""The risk check: every rule fires on the risky fix it describes and keeps quiet on clean ones,
each on a small program of its own (a thermometer, a header parser, an allocator, a bank...)."""

from __future__ import annotations

import pytest

from sleepy_lsp.repair.risk import KINDS, RULES, Risk, assess, lex
from sleepy_lsp.rust.edits import TextEdit


def edits_of(code: str, *changes: tuple[str, str]) -> list[TextEdit]:
    """One edit per (old, new): the first occurrence of old after the previous edit, replaced by new."""
    edits, cursor = [], 0
    for old, new in changes:
        at = code.index(old, cursor)
        start = len(code[:at].encode("utf-8"))
        edits.append(TextEdit(start, start + len(old.encode("utf-8")), new))
        cursor = at + len(old)
    return edits


def risks(code: str, *changes: tuple[str, str], **context) -> list[Risk]:
    return assess(code, edits_of(code, *changes), **context)


def kinds(code: str, *changes: tuple[str, str], **context) -> set[str]:
    return {risk.kind for risk in risks(code, *changes, **context)}


THERMOMETER = """\
use std::num::ParseFloatError;

/// A reading from the greenhouse probe.
#[derive(Debug, Clone, Copy)]
pub struct Reading { pub celsius: f64 }

pub fn parse_reading(line: &str) -> Result<Reading, ParseFloatError> {
    let value = line.trim().trim_end_matches("C").parse::<f64>();
    Ok(Reading { celsius: value })
}

pub fn warmest(readings: &[Reading]) -> f64 {
    let best = readings.iter().map(|r| r.celsius).reduce(f64::max);
    best
}

fn to_fahrenheit(celsius: f64) -> f64 {
    celsius * 9.0 / 5.0 + 32.0
}
"""

HEADERS = """\
use std::collections::HashMap;

#[derive(Debug)]
pub enum HeaderError { Malformed(String), Io(std::io::Error) }

pub fn parse_headers(raw: &str) -> Result<HashMap<String, String>, HeaderError> {
    let mut headers = HashMap::new();
    for line in raw.lines() {
        let (name, value) = line.split_once(':');
        headers.insert(name.trim().to_lowercase(), value.trim());
    }
    Ok(headers)
}

pub fn content_length(headers: &HashMap<String, String>) -> usize {
    let raw = headers.get("content-length");
    raw.parse()
}

pub fn read_request(path: &str) -> Result<String, HeaderError> {
    let text = std::fs::read_to_string(path);
    Ok(text)
}
"""


# --- 1. panic ------------------------------------------------------------------------------------

def test_a_todo_in_a_let_else_where_the_function_returns_result_is_a_panic():
    found = risks(THERMOMETER, ("let value = line.trim().trim_end_matches(\"C\").parse::<f64>();",
                                "let Ok(value) = line.trim().trim_end_matches(\"C\").parse::<f64>() else { todo!() };"))
    assert found == [Risk("panic", "adds todo!() in a let-else")]


def test_a_let_else_that_panics_with_a_message_is_a_panic():
    found = risks(THERMOMETER, ("let value = line", "let Ok(value) = line"),
                  (".parse::<f64>();", ".parse::<f64>() else { panic!(\"bad probe line\") };"))
    assert found == [Risk("panic", "adds panic!() in a let-else")]


def test_an_unwrap_names_what_it_panics_on_from_the_call_before_it():
    assert risks(THERMOMETER, (".parse::<f64>();", ".parse::<f64>().unwrap();")) == [Risk("panic", "panics on Err")]
    assert risks(THERMOMETER, ("reduce(f64::max);", "reduce(f64::max).unwrap();")) == [Risk("panic", "panics if None")]


def test_parsing_a_literal_with_expect_is_a_panic_on_err():
    code = 'pub fn default_port() -> u16 {\n    let port: u16 = "abc".parse();\n    port\n}\n'
    assert risks(code, ('"abc".parse();', '"abc".parse().expect("a port");')) == [Risk("panic", "panics on Err")]


def test_an_unwrap_on_an_unknown_receiver_uses_the_found_type_or_says_it_can_panic():
    code = "pub fn first_port(ports: Option<u16>) -> u16 {\n    ports\n}\n"
    assert risks(code, ("    ports\n", "    ports.unwrap()\n")) == [
        Risk("panic", "adds .unwrap(), which can panic")]
    assert risks(code, ("    ports\n", "    ports.expect(\"a port\")\n"), found="Option<u16>") == [
        Risk("panic", "panics if None")]


def test_todo_bodies_for_missing_trait_methods_are_counted():
    code = """\
pub trait Sprite { fn width(&self) -> u32; fn height(&self) -> u32; }

pub struct Ship;

impl Sprite for Ship {}
"""
    found = risks(code, ("impl Sprite for Ship {}", "impl Sprite for Ship {\n    fn width(&self) -> u32 { todo!() }\n"
                                                     "    fn height(&self) -> u32 { todo!() }\n}"))
    assert found == [Risk("panic", "adds 2 todo!()")]


def test_unimplemented_and_unreachable_are_panics():
    code = "pub fn scale(level: u8) -> u32 {\n    match level { 0 => 1, 1 => 10, _ => 100 }\n}\n"
    assert risks(code, ("_ => 100", "_ => unreachable!()")) == [Risk("panic", "adds unreachable!()")]
    assert risks(code, ("match level { 0 => 1, 1 => 10, _ => 100 }", "unimplemented!()"))[0] == Risk(
        "panic", "adds unimplemented!()")


@pytest.mark.parametrize("changes", [
    [(".parse::<f64>();", ".parse::<f64>()?;")],  # propagate: the fix the issue asks for
    [("reduce(f64::max);", "reduce(f64::max).unwrap_or(f64::NAN);")],
    [("reduce(f64::max);", "reduce(f64::max).unwrap_or_default();")],
    [("let value = line", "let Ok(value) = line"),
     (".parse::<f64>();", ".parse::<f64>() else { return Ok(Reading { celsius: 0.0 }) };")],
    [("Ok(Reading { celsius: value })", "Ok(Reading { celsius: value }) // .unwrap() is not needed")],
])
def test_propagating_or_defaulting_is_not_a_panic(changes):
    assert risks(THERMOMETER, *changes) == []


def test_a_panic_that_was_already_there_is_not_counted_again():
    code = "pub fn port(s: &str) -> u16 {\n    s.parse::<u32>().unwrap()\n}\n"
    assert risks(code, ("s.parse::<u32>().unwrap()", "s.parse::<u16>().unwrap()")) == []
    assert risks(code, ("s.parse", 's.trim().parse')) == []
    assert risks(code, (".unwrap()", '.expect("a port number")')) == []
    stub = "pub fn port() -> u16 {\n    todo!()\n}\n"
    assert risks(stub, ("todo!()", 'panic!("no port configured")')) == []


def test_a_panic_in_a_test_is_how_a_test_fails():
    code = """\
pub fn parse_port(s: &str) -> Result<u16, std::num::ParseIntError> { s.parse() }

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_port() {
        let port: u16 = parse_port("8080");
        assert_eq!(port, 8080);
    }
}
"""
    assert risks(code, ('parse_port("8080");', 'parse_port("8080").unwrap();')) == []
    assert risks(code, ("{ s.parse() }", "{ Ok(s.parse().unwrap()) }")) == [Risk("panic", "panics on Err")]


def test_an_unwrap_inside_a_string_or_comment_is_not_a_panic():
    code = 'pub fn hint() -> &\'static str {\n    "call unwrap"\n}\n'
    assert risks(code, ('"call unwrap"', '"call .unwrap() here"')) == []
    assert risks(code, ('"call unwrap"', '"call unwrap" /* todo!() */')) == []


# --- 2. calls_other --------------------------------------------------------------------------------

ALLOCATOR = """\
use std::alloc::{alloc, Layout};

pub struct Arena { ptr: *mut u8, size: usize }

impl Arena {
    pub unsafe fn grow(&mut self, layout: Layout, new_size: usize) {
        self.ptr = realloc(self.ptr, layout, new_size);
        self.size = new_size;
    }

    pub fn len(&self) -> usize {
        self.size
    }
}
"""

SCHEDULE = """\
pub struct Clock { pub hour: u8 }

impl Clock {
    pub fn is_morning(&self) -> bool { self.hour < 12 }
    pub fn is_evening(&self) -> bool { self.hour >= 18 }
}

pub fn greeting(clock: &Clock) -> &'static str {
    if clock.is_evening() { "good evening" } else { "hello" }
}
"""


def test_calling_alloc_where_realloc_was_called_calls_something_else():
    found = risks(ALLOCATOR, ("realloc(self.ptr, layout, new_size)", "alloc(layout)"))
    assert found == [Risk("calls_other", "calls `alloc` instead of `realloc`")]


def test_calling_a_sibling_method_calls_something_else():
    assert risks(SCHEDULE, ("clock.is_evening()", "clock.is_morning()")) == [
        Risk("calls_other", "calls `is_morning` instead of `is_evening`")]


def test_swapping_a_macro_calls_something_else():
    code = "pub fn withdraw(balance: u64, amount: u64) -> u64 {\n    assert!(amount <= balance);\n" \
           "    balance - amount\n}\n"
    assert risks(code, ("assert!", "debug_assert!")) == [
        Risk("calls_other", "calls `debug_assert!` instead of `assert!`")]


@pytest.mark.parametrize("changes", [
    [("realloc(self.ptr", "std::alloc::realloc(self.ptr")],  # the path spelled out: the same function
    [("use std::alloc::{alloc, Layout};", "use std::alloc::{alloc, realloc, Layout};")],  # import it instead
    [("self.size\n", "self.size.clone()\n")],
    [("self.size\n", "usize::from(self.size)\n")],
    [("self.size = new_size;", "self.size = new_size.into();")],
])
def test_conversions_and_imports_do_not_call_something_else(changes):
    assert risks(ALLOCATOR, *changes) == []


def test_a_conversion_swapped_for_another_or_a_mut_variant_is_not_something_else():
    code = "pub fn names(list: &Vec<String>) -> Vec<&str> {\n    list.iter().map(|s| s.as_str()).collect()\n}\n"
    assert risks(code, ("s.as_str()", "s.to_string()")) == []
    assert risks(code, ("list.iter()", "list.iter_mut()")) == []
    assert risks(code, ("list.iter()", "list.into_iter()")) == []


def test_a_method_given_its_explicit_order_is_not_something_else():
    code = "pub fn podium(mut times: Vec<f64>) -> Vec<f64> {\n    times.sort();\n    times\n}\n"
    assert risks(code, ("times.sort()", "times.sort_by(|a, b| a.total_cmp(b))")) == []
    assert [r.kind for r in risks(code, ("times.sort()", "times.dedup()"))] == ["calls_other"]


def test_a_misspelt_call_corrected_is_not_something_else():
    code = "pub fn total(xs: &[u32]) -> u32 {\n    xs.iter().smu()\n}\n"
    assert risks(code, ("smu()", "sum()")) == []


# --- 3. renames ------------------------------------------------------------------------------------

def test_renaming_a_method_definition_is_a_rename():
    assert risks(SCHEDULE, ("pub fn is_evening", "pub fn is_morning")) == [
        Risk("renames", "renames `is_evening` to `is_morning`"),
        Risk("public_api", "removes the public `is_evening`")]


def test_reading_another_field_is_a_rename():
    assert risks(ALLOCATOR, ("        self.size\n", "        self.ptr\n")) == [
        Risk("renames", "renames `size` to `ptr`")]


@pytest.mark.parametrize("old, new", [
    ("self.size = new_size;", "self.size = nwe_size;"),  # a misspelling, both ways: rustc's "similar name"
    ("self.size\n", "self.Size\n"),
    ("layout: Layout, new_size", "_layout: Layout, new_size"),  # an underscore: rustc's fix for an unused name
])
def test_a_misspelling_is_not_a_rename(old, new):
    assert "renames" not in kinds(ALLOCATOR, (old, new))


def test_an_import_swapped_is_not_a_rename():
    code = "use std::io::Read;\n\npub fn send(out: &mut impl std::io::Write) {\n    out.flush().ok();\n}\n"
    assert risks(code, ("use std::io::Read;", "use std::io::Write;")) == []


def test_std_types_and_modules_swapped_and_mut_and_borrows_are_not_renames():
    code = "use std::rc::Rc;\n\nfn share(counter: Rc<u32>) -> Rc<u32> {\n    counter\n}\n"
    assert risks(code, ("use std::rc::Rc;", "use std::sync::Arc;"),
                 ("Rc<u32>) -> Rc<u32>", "Arc<u32>) -> Arc<u32>")) == []
    assert risks(code, ("counter: Rc<u32>", "mut counter: Rc<u32>")) == []
    assert risks(code, ("counter: Rc<u32>", "counter: &Rc<u32>"), ("    counter\n", "    counter.clone()\n")) == []
    assert risks(code, ("Rc<u32>) -> Rc<u32>", "Rc<u64>) -> Rc<u64>")) == []


# --- 4. removes_code -------------------------------------------------------------------------------

RENDERER = """\
pub struct Canvas { pub pixels: Vec<u32> }

pub fn blit(canvas: &mut Canvas, x: i32, y: i32, w: u32, h: u32, tint: u32, alpha: u8, flip: bool, layer: u8) {
    canvas.pixels.push(tint);
}

pub fn draw_ship(canvas: &mut Canvas, frame: u32) {
    let tint = 0xff00ff;
    blit(canvas, 10, 20, 16, 16, tint, 255, frame % 2 == 0, 1);
    canvas.pixels.reverse();
}

pub fn layer_name(layer: u8) -> &'static str {
    match layer {
        0 => "background",
        1 => "sprites",
        2 => "hud",
        _ => "unknown",
    }
}
"""


def test_deleting_all_nine_arguments_of_a_call_removes_them():
    assert risks(RENDERER, ("blit(canvas, 10, 20, 16, 16, tint, 255, frame % 2 == 0, 1)", "blit()")) == [
        Risk("removes_code", "removes 9 arguments")]


def test_dropping_one_argument_removes_an_argument():
    assert risks(RENDERER, ("frame % 2 == 0, 1)", "frame % 2 == 0)")) == [Risk("removes_code", "removes an argument")]


def test_deleting_a_statement_removes_it():
    assert risks(RENDERER, ("    canvas.pixels.reverse();\n", "")) == [Risk("removes_code", "removes a statement")]
    found = risks(RENDERER, ("    let tint = 0xff00ff;\n", ""), ("    canvas.pixels.reverse();\n", ""))
    assert found == [Risk("removes_code", "removes 2 statements")]


def test_deleting_a_statement_in_a_closure_removes_it():
    code = "pub fn audit(amounts: &[i64], log: &mut Vec<i64>) -> i64 {\n    amounts.iter().map(|a| {\n" \
           "        log.push(*a);\n        a.abs()\n    }).sum()\n}\n"
    assert risks(code, ("        log.push(*a);\n", "")) == [Risk("removes_code", "removes a statement")]


def test_deleting_match_arms_removes_them():
    assert risks(RENDERER, ('        1 => "sprites",\n        2 => "hud",\n', "")) == [
        Risk("removes_code", "removes 2 match arms")]


@pytest.mark.parametrize("changes", [
    [("blit(canvas, 10", "blit(&mut *canvas, 10")],  # an argument changed, not removed
    [("canvas.pixels.push(tint);", "canvas.pixels.push(tint.into());")],
    [("    canvas.pixels.reverse();\n", "    canvas.pixels.reverse()\n")],  # rustc's "remove this semicolon"
    [("    let tint = 0xff00ff;\n", "    let tint: u32 = 0xff00ff;\n")],  # a statement changed
    [('        _ => "unknown",\n', '        3 => "debug",\n        _ => "unknown",\n')],  # an arm added
])
def test_changing_or_adding_code_does_not_remove_it(changes):
    assert risks(RENDERER, *changes) == []


def test_moving_a_statement_is_not_removing_it():
    moved = risks(RENDERER, ("    let tint = 0xff00ff;\n", ""),
                  ("    canvas.pixels.reverse();\n", "    canvas.pixels.reverse();\n    let tint = 0xff00ff;\n"))
    assert moved == []
    far = RENDERER.replace("pub fn layer_name", "pub fn noop() {}\n\npub fn layer_name")
    assert risks(far, ("    let tint = 0xff00ff;\n", ""),
                 ("pub fn noop() {}", "pub fn noop() { let tint = 0xff00ff; }")) == []


def test_removing_an_import_is_not_removing_a_statement():
    assert risks(HEADERS, ("use std::collections::HashMap;\n", "")) == []


def test_closure_commas_and_array_lengths_are_not_arguments_or_statements():
    code = "fn total(xs: &[u32]) -> u32 {\n    let zero: [u32; 1] = [0];\n" \
           "    xs.iter().fold(zero[0], |acc, x| acc + x)\n}\n"
    assert risks(code, ("fold(zero[0], |acc, x| acc + x)", "fold(0, |acc, x| acc + *x)")) == []
    assert risks(code, ("let zero: [u32; 1] = [0];", "let zero: [u32; 2] = [0, 0];")) == []


# --- 5. public_api ---------------------------------------------------------------------------------

BANK = """\
use std::fmt::Debug;

pub struct Account { pub owner: String, pub balance: i64, history: Vec<i64> }

pub enum Ledger<L> { Entry(L), Closed }

pub struct Overdraft;

impl<L> From<Option<L>> for Ledger<L> {
    fn from(entry: Option<L>) -> Self {
        match entry { Some(e) => Ledger::Entry(e), None => Ledger::Closed }
    }
}

impl Account {
    pub fn deposit(&mut self, amount: i64) -> i64 {
        self.balance += amount;
        self.balance
    }

    fn audit(&self, limit: i32) -> bool {
        self.history.len() < limit as usize
    }
}

struct Teller { name: String }

impl Teller {
    pub fn serve(&self, account: Account) -> String { account.owner }
}
"""


def test_a_bound_added_to_a_public_impl_from_changes_the_api():
    assert risks(BANK, ("impl<L> From<Option<L>>", "impl<L: Debug> From<Option<L>>")) == [
        Risk("public_api", "changes the public `impl From for Ledger`")]


def test_a_public_trait_or_inherent_method_signature_is_the_api_but_a_trait_impl_method_follows_its_trait():
    code = """\
pub trait Scale { fn scale(&self, by: f32) -> f32; }

pub struct Celsius(pub f32);

impl Celsius {
    pub fn from(kelvin: f32) -> Self { Celsius(kelvin - 273.15) }
}
"""
    assert risks(code, ("by: f32) -> f32;", "by: f64) -> f32;")) == [
        Risk("public_api", "changes the public signature of `scale`")]
    assert risks(code, ("from(kelvin: f32)", "from(kelvin: f64)")) == [
        Risk("public_api", "changes the public signature of `from`")]
    # the trait dictates a trait impl's method, and the compiler holds the impl to it
    assert risks(BANK, ("fn from(entry: Option<L>)", "fn from(entry: Option<L>,)")) == []
    assert risks(BANK, ("fn from(entry: Option<L>)", "fn from(mut entry: Option<L>)")) == []


def test_a_parameter_or_return_type_of_a_pub_fn_and_a_where_clause_change_the_api():
    signature = Risk("public_api", "changes the public signature of `deposit`")
    assert risks(BANK, ("amount: i64) -> i64", "amount: i32) -> i64")) == [signature]
    assert risks(BANK, ("&mut self, amount: i64)", "&self, amount: i64)")) == [signature]
    assert risks(BANK, ("amount: i64) -> i64 {", "amount: i64) -> i64 where i64: Debug {")) == [signature]


def test_removing_pub_and_changing_public_fields_change_the_api():
    assert risks(BANK, ("pub fn deposit", "fn deposit")) == [Risk("public_api", "makes `deposit` private")]
    assert risks(BANK, ("pub balance: i64", "pub balance: i128")) == [
        Risk("public_api", "changes the public fields of `Account`")]
    assert risks(BANK, ("pub balance: i64", "balance: i64")) == [
        Risk("public_api", "changes the public fields of `Account`")]
    assert risks(BANK, ("history: Vec<i64> }", "history: Vec<i64>, pub frozen: bool }")) == [
        Risk("public_api", "changes the public fields of `Account`")]
    assert risks(BANK, ("Entry(L), Closed", "Entry(L), Closed, Frozen")) == [
        Risk("public_api", "changes the public variants of `Ledger`")]


@pytest.mark.parametrize("changes", [
    [("pub struct Overdraft;", "#[derive(Debug, Clone)]\npub struct Overdraft;")],  # derives only add impls
    [("    fn audit(&self", "    pub fn audit(&self")],  # making something public breaks no caller
    [("fn audit(&self, limit: i32)", "fn audit(&self, limit: usize)")],  # a private method
    [("history: Vec<i64>", "history: Vec<i128>")],  # a private field
    [("history: Vec<i64>", "pub history: Vec<i64>")],  # a field made public: rustc's fix for E0616
    [("pub fn serve(&self, account: Account)", "pub fn serve(&self, account: &Account)")],  # a private type
    [("pub fn deposit(&mut self, amount: i64)", "pub fn deposit(&mut self, mut amount: i64)")],  # a binding's mut
    [("        self.balance\n", "        self.balance.clone()\n")],  # the body, not the signature
])
def test_derives_pub_private_items_and_bodies_do_not_change_the_api(changes):
    assert risks(BANK, *changes) == []


def test_bounds_generics_and_types_of_other_public_items_are_the_api():
    code = """\
pub trait Meter { fn read(&self) -> f32; }

pub struct Buffer<T> { pub items: Vec<T> }

pub const LIMIT: u32 = 64;
"""
    assert risks(code, ("pub trait Meter {", "pub trait Meter: Send {")) == [
        Risk("public_api", "changes the bounds of the public trait `Meter`")]
    assert risks(code, ("pub struct Buffer<T>", "pub struct Buffer<T: Clone>")) == [
        Risk("public_api", "changes the generics of the public `Buffer`")]
    assert risks(code, ("LIMIT: u32", "LIMIT: usize")) == [Risk("public_api", "changes the type of the public `LIMIT`")]


def test_declaring_a_type_parameter_the_item_already_uses_is_not_an_api_change():
    code = "pub struct Stack<T> { items: Vec<T> }\n\n" \
           "impl Stack<T> {\n    pub fn peek(&self) -> Option<&T> { self.items.last() }\n}\n"
    assert risks(code, ("impl Stack<T>", "impl<T> Stack<T>")) == []
    assert risks(code, ("impl Stack<T>", "impl<T: Clone> Stack<T>")) == [
        Risk("public_api", "changes the public `impl Stack`")]
    assert risks(code, ("pub struct Stack<T>", "pub struct Stack<T, U>")) == [
        Risk("public_api", "changes the generics of the public `Stack`")]


def test_a_named_lifetime_is_not_an_api_change():
    code = "pub struct Cursor<'a> { pub rest: &'a str }\n\npub fn longest(a: &str, b: &str) -> &str {\n    a\n}\n"
    assert risks(code, ("pub fn longest(a: &str, b: &str) -> &str",
                        "pub fn longest<'a>(a: &'a str, b: &'a str) -> &'a str")) == []
    assert risks(code, ("pub struct Cursor<'a> { pub rest: &'a str }", "pub struct Cursor { pub rest: &str }")) == []


# --- 6. narrows_arithmetic -------------------------------------------------------------------------

IMAGE = """\
pub struct Image { pub width: u32, pub height: u32 }

pub fn pixel_count(image: &Image) -> u64 {
    image.width * image.height
}

pub fn decode_varint(bytes: &[u8]) -> usize {
    let mut value = 0usize;
    let mut shift = 0u32;
    for index in 0..bytes.len() {
        let byte: u8 = bytes[index];
        value |= (byte & 0x7f) << shift;
        shift += 7;
    }
    value
}

pub fn offset(base: i32, delta: i32) -> i64 {
    base + delta
}
"""


def test_widening_a_product_after_it_is_computed_narrows_arithmetic():
    expected = [Risk("narrows_arithmetic", "converts after `*`, which can overflow in u32")]
    assert risks(IMAGE, ("image.width * image.height", "(image.width * image.height).into()")) == expected
    assert risks(IMAGE, ("image.width * image.height", "u64::from(image.width * image.height)")) == expected
    assert risks(IMAGE, ("image.width * image.height", "(image.width * image.height) as u64")) == expected


def test_widening_a_shift_after_it_is_computed_narrows_arithmetic():
    assert risks(IMAGE, ("(byte & 0x7f) << shift", "usize::from((byte & 0x7f) << shift)")) == [
        Risk("narrows_arithmetic", "converts after `<<`, which can overflow in u8")]


def test_sums_powers_and_try_forms_narrow_too():
    assert risks(IMAGE, ("base + delta", "(base + delta) as i64")) == [
        Risk("narrows_arithmetic", "converts after `+`, which can overflow in i32")]
    assert risks(IMAGE, ("base + delta", "i64::try_from(base - delta).unwrap_or(0)")) == [
        Risk("narrows_arithmetic", "converts after `-`, which can overflow in i32")]
    assert risks(IMAGE, ("base + delta", "base.pow(2).into()")) == [
        Risk("narrows_arithmetic", "converts after `pow`, which can overflow in i32")]


def test_the_found_type_names_the_narrow_type_when_no_declaration_does():
    code = "pub fn area() -> u64 {\n    side() * side()\n}\n"
    assert risks(code, ("side() * side()", "(side() * side()).into()"), found="u32") == [
        Risk("narrows_arithmetic", "converts after `*`, which can overflow in u32")]


@pytest.mark.parametrize("old, new", [
    ("image.width * image.height", "u64::from(image.width) * u64::from(image.height)"),  # widened first
    ("image.width * image.height", "image.width as u64 * image.height as u64"),
    ("image.width * image.height", "(u64::from(image.width) * u64::from(image.height)).into()"),
    ("(byte & 0x7f) << shift", "usize::from(byte & 0x7f) << shift"),
    ("base + delta", "i64::from(base) + i64::from(delta)"),
    ("base + delta", "(base.max(delta)).into()"),  # no arithmetic inside
])
def test_widening_the_operands_first_is_clean(old, new):
    assert risks(IMAGE, (old, new)) == []


def test_a_cast_to_the_type_the_arithmetic_runs_in_widens_nothing():
    code = "fn next_slot(head: usize, len: usize) -> u32 {\n    head + 1 % len\n}\n"
    assert risks(code, ("head + 1 % len", "(head + 1) as usize % len")) == []


def test_a_cast_that_may_narrow_is_not_a_widening():
    code = "pub fn percent(done: u64, total: u64) -> u32 {\n    done * 100 / total\n}\n"
    assert risks(code, ("done * 100 / total", "(done * 100 / total) as u32")) == []
    assert risks(code, ("done * 100 / total", "u32::try_from(done * 100 / total).unwrap_or(100)")) == []


def test_a_narrowing_conversion_already_there_is_not_what_the_edit_adds():
    code = "pub fn area(w: u32, h: u32) -> u64 {\n    let a = (w * h) as u64;\n    a\n}\n"
    assert risks(code, ("    a\n", "    a + 1\n")) == []


# --- 7. protected_line -----------------------------------------------------------------------------

GENERATED = """\
// DO NOT EDIT: generated by build.rs from units.csv
pub const FACTORS: [f64; 3] = [1.0, 1000.0, 1e6];

pub trait Unit { fn symbol(&self) -> &str; fn factor(&self) -> f64; }

pub struct Kilo;

impl Unit for Kilo {} // don't change this line: the grader checks it

pub fn scaled(value: f64, index: usize) -> f64 {
    value * FACTORS[index]
}
"""


def test_editing_the_line_under_a_do_not_edit_comment_is_flagged():
    assert risks(GENERATED, ("[1.0, 1000.0, 1e6]", "[1.0, 1000.0, 1e6, 1e9]")) == [
        Risk("protected_line", "edits a line marked not to be edited")]


def test_filling_a_protected_impl_with_stubs_is_flagged_for_both_reasons():
    found = risks(GENERATED, ("impl Unit for Kilo {}", 'impl Unit for Kilo { fn symbol(&self) -> &str { "k" } '
                                                        "fn factor(&self) -> f64 { todo!() } }"))
    assert set(found) == {Risk("panic", "adds todo!()"), Risk("protected_line", "edits a line marked not to be edited")}


@pytest.mark.parametrize("old, new", [
    ("value * FACTORS[index]", "value * FACTORS[index.min(2)]"),  # a line no comment guards
    ("pub struct Kilo;", "#[derive(Debug)]\npub struct Kilo;"),
])
def test_edits_away_from_protected_lines_are_clean(old, new):
    assert risks(GENERATED, (old, new)) == []


def test_the_markers_are_read_case_insensitively_and_only_in_comments():
    code = 'fn limit() -> u32 {\n    let note = "do not edit";\n    7 // Do Not Modify\n}\n'
    assert risks(code, ("let note", "let _note")) == []
    assert kinds(code, ("    7 //", "    8 //")) == {"protected_line"}


# --- 8. propagates_late ----------------------------------------------------------------------------

def test_a_question_mark_inside_ok_on_a_variable_propagates_late():
    assert risks(HEADERS, ("Ok(text)", "Ok(text?)")) == [Risk("propagates_late", "adds ? inside Ok(..)")]


def test_a_question_mark_where_the_result_is_made_is_clean():
    assert risks(HEADERS, ("read_to_string(path);", "read_to_string(path).map_err(HeaderError::Io)?;")) == []
    assert risks(HEADERS, ("let text = std::fs::read_to_string(path);\n    Ok(text)",
                           "Ok(std::fs::read_to_string(path).map_err(HeaderError::Io)?)")) == []


# --- the issue's risky fixes, and a set of ordinary clean ones --------------------------------------

@pytest.mark.parametrize("code, changes, kind", [
    (THERMOMETER, [("let value", "let Ok(value)"), (".parse::<f64>();", ".parse::<f64>() else { todo!() };")],
     "panic"),
    (HEADERS, [("Ok(text)", "Ok(text?)")], "propagates_late"),
    (IMAGE, [("image.width * image.height", "(image.width * image.height).into()")], "narrows_arithmetic"),
    (IMAGE, [("(byte & 0x7f) << shift", "usize::from((byte & 0x7f) << shift)")], "narrows_arithmetic"),
    (ALLOCATOR, [("realloc(self.ptr, layout, new_size)", "alloc(layout)")], "calls_other"),
    (GENERATED, [("impl Unit for Kilo {}", "impl Unit for Kilo { fn symbol(&self) -> &str { todo!() } }")],
     "protected_line"),
    (RENDERER, [("blit(canvas, 10, 20, 16, 16, tint, 255, frame % 2 == 0, 1)", "blit()")], "removes_code"),
    (SCHEDULE, [("pub fn is_evening", "pub fn is_morning")], "renames"),
    (HEADERS, [("raw.parse()", '"abc".parse().expect("a length")')], "panic"),
    (BANK, [("impl<L> From", "impl<L: Debug> From")], "public_api"),
])
def test_the_risky_fixes_from_the_issue_are_caught(code, changes, kind):
    assert kind in kinds(code, *changes)


@pytest.mark.parametrize("code, changes", [
    (HEADERS, [("let (name, value) = line.split_once(':');",
                "let (name, value) = line.split_once(':').ok_or(HeaderError::Malformed(line.to_string()))?;")]),
    (HEADERS, [("value.trim());", "value.trim().to_string());")]),
    (HEADERS, [("let (name, value) = line.split_once(':');", "let Some((name, value)) = line.split_once(':') else "
                "{ return Err(HeaderError::Malformed(line.to_string())) };")]),
    (HEADERS, [("raw.parse()", "raw.and_then(|r| r.parse().ok()).unwrap_or(0)")]),
    (HEADERS, [("pub enum HeaderError", "#[derive(PartialEq)]\npub enum HeaderError")]),
    (THERMOMETER, [("use std::num::ParseFloatError;",
                    "use std::num::ParseFloatError;\nuse std::collections::HashMap;")]),
    (THERMOMETER, [(".parse::<f64>();", ".parse::<f64>()?;")]),
    (THERMOMETER, [("fn to_fahrenheit", "pub fn to_fahrenheit")]),
    (ALLOCATOR, [("self.size = new_size;", "self.size = new_size;\n        self.size += 0;")]),
    (ALLOCATOR, [("use std::alloc::{alloc, Layout};", "use std::alloc::{alloc, realloc, Layout};")]),
    (BANK, [("self.balance += amount;", "self.balance += amount.clone();")]),
    (BANK, [("match entry { Some(e) => Ledger::Entry(e), None => Ledger::Closed }",
             "match entry { Some(e) => Ledger::Entry(e), None => Ledger::Closed, }")]),
    (IMAGE, [("image.width * image.height", "u64::from(image.width) * u64::from(image.height)")]),
    (IMAGE, [("let mut shift = 0u32;", "let mut shift = 0usize;")]),
    (RENDERER, [("canvas.pixels.push(tint);", "let mut pixels = std::mem::take(&mut canvas.pixels);\n"
                 "    pixels.push(tint);\n    canvas.pixels = pixels;")]),
    (RENDERER, [("let tint = 0xff00ff;", "let tint: u32 = 0xff00ff;"), ("canvas, 10", "&mut *canvas, 10")]),
])
def test_ordinary_clean_fixes_carry_no_risk(code, changes):
    assert risks(code, *changes) == []


# --- the module's contract -------------------------------------------------------------------------

def test_no_edits_no_risk_and_every_rule_says_why():
    assert assess(BANK, []) == []
    assert all(rule.__doc__ and len(rule.__doc__) > 80 for rule in RULES)


def test_every_reason_is_a_short_phrase_of_a_known_kind():
    found = risks(RENDERER, ("blit(canvas, 10, 20, 16, 16, tint, 255, frame % 2 == 0, 1)", "todo!()"),
                  ('        _ => "unknown",\n', ""))
    assert found and all(risk.kind in KINDS and len(risk.reason) < 60 for risk in found)


def test_overlapping_edits_are_refused():
    with pytest.raises(ValueError):
        assess(BANK, [TextEdit(0, 10, "x"), TextEdit(5, 12, "y")])


def test_byte_offsets_past_multibyte_characters_are_honoured():
    code = "// température en °C\npub fn boil() -> f64 {\n    100.0\n}\n"
    assert risks(code, ("    100.0\n", "    todo!()\n")) == [Risk("panic", "adds todo!()")]


def test_the_lexer_skips_comments_and_keeps_literals_and_lifetimes_whole():
    tokens = lex("let s: &'a str = \"a // b\"; // .unwrap()\nlet c = 'x'; /* todo!() */ r#\"raw\"#")
    texts = [t.text for t in tokens if t.kind != "comment"]
    assert texts == ["let", "s", ":", "&", "'a", "str", "=", '"a // b"', ";", "let", "c", "=", "'x'", ";",
                     'r#"raw"#']


def test_a_field_or_parameter_given_its_missing_type_changes_no_api():
    """Code that never parsed has no callers to break."""
    assert risks("pub struct Rect { pub width: f32, pub height }\n", ("pub height }", "pub height: f32 }")) == []
    assert risks("pub fn shifted(samples: &[i64], offset) -> Vec<i64> {\n    Vec::new()\n}\n",
                 ("offset)", "offset: i64)")) == []
