#!/usr/bin/env python3
"""Generates the mutation benchmark: bench/mutants/mutants.json.

For each crate in bench/mutants/crates/ it finds mutation sites in src/ (outside
``#[cfg(test)]`` modules) for the kinds below, picks candidates with a seeded
random order, applies each one to a scratch copy of the crate and runs

    cargo check --offline --message-format=json

keeping only the mutants that make the check fail with at least one error.

Kinds (ids as in mutants.json):
  ref_removed       a `&` or `&mut ` removed from an expression (argument or borrow)
  mut_removed       `mut ` removed from a `let mut`, a `&mut` parameter type or a `mut` parameter
  clone_removed     a `.clone()` removed
  use_removed       a `use` line removed
  derive_removed    one trait removed from a `#[derive(..)]` (the attribute, when it is the only one)
  cast_removed      an ` as T` cast removed
  question_removed  a `?` removed
  ok_removed        `Ok(expr)` replaced by `expr`
  lifetime_removed  a named lifetime removed from a type or signature (`Token<'a>` -> `Token`,
                    `&'a str` -> `&str`, `<'a, T>` -> `<T>`, `+ 'a` dropped)

Standard library only. Runs one cargo check at a time. Usage:

    python bench/mutants/generate.py [--per-kind 12] [--max-tries 60] [--seed 15]
                                     [--dry-run] [--output PATH]
    python bench/mutants/generate.py --verify    # re-check every mutant in mutants.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from mutants_data import KINDS, Mutant, apply_mutant, load_mutants, verify_all  # noqa: E402

CRATES_DIR = HERE / "crates"
OUTPUT = HERE / "mutants.json"
CACHE_HOME = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
TARGET_ROOT = CACHE_HOME / "sleepy-mutants-target"
SCRATCH_ROOT = CACHE_HOME / "sleepy-mutants-scratch"
SEED = 15
CHECK_TIMEOUT_S = 300


# --------------------------------------------------------------------------- lexing


@dataclass(frozen=True)
class Tok:
    kind: str  # ident | lifetime | punct | str | char | num
    text: str
    start: int  # character offsets into the file text
    end: int


PUNCT3 = ("..=", "...", "<<=", ">>=")
PUNCT2 = (
    "::", "->", "=>", "&&", "||", "==", "!=", "<=", ">=",
    "+=", "-=", "*=", "/=", "%=", "^=", "&=", "|=", "..",
)


def _is_ident_start(c: str) -> bool:
    return c.isalpha() or c == "_"


def _is_ident_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _scan_string(text: str, i: int) -> int:
    """`i` is at the opening quote; returns the index after the closing quote."""
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == '"':
            return j + 1
        j += 1
    return len(text)


def _scan_raw_string(text: str, i: int) -> int:
    """`i` is at the `r` of r"..." or r#"..."#; returns the index after it."""
    j = i + 1
    hashes = 0
    while j < len(text) and text[j] == "#":
        hashes += 1
        j += 1
    if j >= len(text) or text[j] != '"':
        return -1
    close = '"' + "#" * hashes
    end = text.find(close, j + 1)
    return len(text) if end < 0 else end + len(close)


def _scan_char(text: str, i: int) -> int:
    """`i` is at a quote that opens a char literal; returns the index after it, or -1."""
    if i + 1 < len(text) and text[i + 1] == "\\":
        end = text.find("'", i + 3)
        return -1 if end < 0 else end + 1
    if i + 2 < len(text) and text[i + 2] == "'":
        return i + 3
    return -1


def tokenize(text: str) -> list[Tok]:
    toks: list[Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            i = j
            continue
        if c == '"':
            j = _scan_string(text, i)
            toks.append(Tok("str", text[i:j], i, j))
            i = j
            continue
        if c == "'":
            j = _scan_char(text, i)
            if j > 0:
                toks.append(Tok("char", text[i:j], i, j))
                i = j
                continue
            j = i + 1
            while j < n and _is_ident_char(text[j]):
                j += 1
            toks.append(Tok("lifetime", text[i:j], i, j))
            i = j
            continue
        if _is_ident_start(c):
            # Literal prefixes: b"..", b'..', r"..", r#".."#, br"..", br#".."#.
            j = -1
            if text.startswith('b"', i):
                j = _scan_string(text, i + 1)
            elif text.startswith("b'", i):
                j = _scan_char(text, i + 1)
            elif text.startswith("br", i) and text[i + 2 : i + 3] in ('"', "#"):
                j = _scan_raw_string(text, i + 1)
            elif c == "r" and text[i + 1 : i + 2] in ('"', "#"):
                j = _scan_raw_string(text, i)
            if j > 0:
                toks.append(Tok("str", text[i:j], i, j))
                i = j
                continue
            j = i + 1
            while j < n and _is_ident_char(text[j]):
                j += 1
            toks.append(Tok("ident", text[i:j], i, j))
            i = j
            continue
        if c.isdigit():
            j = i + 1
            while j < n and _is_ident_char(text[j]):
                j += 1
            if j + 1 < n and text[j] == "." and text[j + 1].isdigit():
                j += 1
                while j < n and _is_ident_char(text[j]):
                    j += 1
            toks.append(Tok("num", text[i:j], i, j))
            i = j
            continue
        for group in (PUNCT3, PUNCT2):
            hit = next((p for p in group if text.startswith(p, i)), None)
            if hit:
                toks.append(Tok("punct", hit, i, i + len(hit)))
                i += len(hit)
                break
        else:
            toks.append(Tok("punct", c, i, i + 1))
            i += 1
    return toks


# --------------------------------------------------------------------------- structure


OPEN = {"(": ")", "[": "]", "{": "}"}
CLOSE = {v: k for k, v in OPEN.items()}


def match_brackets(toks: list[Tok]) -> dict[int, int]:
    """Index of each opening bracket -> index of its closing bracket (and back)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, t in enumerate(toks):
        if t.kind != "punct":
            continue
        if t.text in OPEN:
            stack.append(i)
        elif t.text in CLOSE and stack and toks[stack[-1]].text == CLOSE[t.text]:
            j = stack.pop()
            pairs[j] = i
            pairs[i] = j
    return pairs


@dataclass
class FileInfo:
    text: str
    toks: list[Tok]
    pairs: dict[int, int]
    in_test: list[bool]
    in_sig: list[bool]
    in_body: list[bool]
    byte_of: list[int]  # character offset -> UTF-8 byte offset (len(text)+1 entries)


def analyze(text: str) -> FileInfo:
    toks = tokenize(text)
    pairs = match_brackets(toks)
    n = len(toks)
    in_test = [False] * n
    in_sig = [False] * n
    in_body = [False] * n
    texts = [t.text for t in toks]
    for i in range(n - 6):
        if texts[i : i + 7] == ["#", "[", "cfg", "(", "test", ")", "]"]:
            j = i + 7
            while j < n and texts[j] != "{" and texts[j] != ";":
                j += 1
            end = pairs.get(j, n - 1) if j < n and texts[j] == "{" else j
            for k in range(i, min(end + 1, n)):
                in_test[k] = True
    for i, t in enumerate(toks):
        if t.kind != "ident" or t.text != "fn":
            continue
        depth, j = 0, i + 1
        while j < n:
            tx = texts[j]
            if tx in ("(", "["):
                depth += 1
            elif tx in (")", "]"):
                depth -= 1
            elif depth == 0 and tx in ("{", ";"):
                break
            j += 1
        for k in range(i, j):
            in_sig[k] = True
        if j < n and texts[j] == "{" and j in pairs:
            for k in range(j + 1, pairs[j]):
                in_body[k] = True
    byte_of = [0] * (len(text) + 1)
    acc = 0
    for idx, ch in enumerate(text):
        byte_of[idx] = acc
        acc += len(ch.encode("utf-8"))
    byte_of[len(text)] = acc
    return FileInfo(text, toks, pairs, in_test, in_sig, in_body, byte_of)


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start of the line holding `pos`, and the index just after its newline."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end + 1)


def in_pattern(info: FileInfo, i: int) -> bool:
    """Whether the token at `i` sits in a pattern (match arm, `let`/`if let`, `for .. in`).

    Scans forward from `i`: leaving enclosing groups is allowed; reaching `=>`, `=`,
    `in` or a guard's `if` means pattern; reaching `,`, `;`, `{` or `}` at the
    starting level (or an enclosing `}`) means expression.
    """
    toks = info.toks
    depth = 0
    j = i + 1
    while j < len(toks):
        t = toks[j]
        if t.kind == "punct":
            if t.text in ("(", "["):
                depth += 1
            elif t.text in (")", "]"):
                depth -= 1
            elif t.text == "{":
                if depth <= 0:
                    return False
                depth += 1
            elif t.text == "}":
                if depth <= 0:
                    return False
                depth -= 1
            elif depth <= 0 and t.text in (",", ";"):
                return False
            elif depth <= 0 and t.text in ("=>", "="):
                return True
        elif depth <= 0 and t.kind == "ident" and t.text in ("in", "if"):
            return True
        j += 1
    return False


# --------------------------------------------------------------------------- sites


@dataclass(frozen=True)
class Site:
    crate: str
    file: str
    kind: str
    start: int  # character offsets
    end: int
    replacement: str

    def sort_key(self) -> tuple:
        return (self.crate, self.file, self.start, self.end, self.replacement)


REF_PREV = {"(", ",", "=", "in", "return", "=>", "match", "["}


def find_sites(crate: str, rel: str, info: FileInfo) -> list[Site]:
    toks, text = info.toks, info.text
    n = len(toks)
    sites: list[Site] = []

    def add(kind: str, start: int, end: int, replacement: str = "") -> None:
        if start < end or replacement:
            sites.append(Site(crate, rel, kind, start, end, replacement))

    def tx(i: int) -> str:
        return toks[i].text if 0 <= i < n else ""

    for i, t in enumerate(toks):
        if info.in_test[i]:
            continue
        prev, nxt = tx(i - 1), tx(i + 1)
        body = info.in_body[i]
        sig = info.in_sig[i] and not body

        # ref_removed: `&x` / `&mut x` in an expression.
        if t.kind == "punct" and t.text == "&" and body and prev in REF_PREV:
            if i + 1 < n and toks[i + 1].kind != "lifetime" and not in_pattern(info, i):
                if nxt == "mut" and i + 2 < n:
                    add("ref_removed", t.start, toks[i + 2].start)
                else:
                    add("ref_removed", t.start, t.end)

        # mut_removed: `let mut`, `&mut T` / `&'a mut T` / `mut x` parameters.
        if t.kind == "ident" and t.text == "mut" and i + 1 < n:
            drop = (t.start, toks[i + 1].start)
            if body and prev == "let":
                add("mut_removed", *drop)
            elif sig and (prev == "&" or (toks[i - 1].kind == "lifetime" and tx(i - 2) == "&")):
                add("mut_removed", *drop)
            elif sig and prev in ("(", ",") and (nxt == "self" or tx(i + 2) == ":"):
                add("mut_removed", *drop)

        # clone_removed: `.clone()`.
        if (
            body
            and t.text == "."
            and nxt == "clone"
            and tx(i + 2) == "("
            and tx(i + 3) == ")"
        ):
            add("clone_removed", t.start, toks[i + 3].end)

        # use_removed: a whole `use ...;` line at module level.
        if t.kind == "ident" and t.text == "use" and not body and not sig:
            semi = i
            while semi < n and toks[semi].text != ";":
                semi += 1
            if semi < n:
                lstart, _ = line_bounds(text, t.start)
                lead = text[lstart : t.start].strip()
                if lead in ("", "pub", "pub(crate)"):
                    _, lend = line_bounds(text, toks[semi].start)
                    add("use_removed", lstart, lend)

        # derive_removed: one trait of `#[derive(A, B)]`, or the whole one-trait attribute.
        if t.text == "#" and tx(i + 1) == "[" and tx(i + 2) == "derive" and tx(i + 3) == "(":
            close = info.pairs.get(i + 3)
            if close is not None and tx(close + 1) == "]":
                traits = [k for k in range(i + 4, close) if toks[k].kind == "ident"]
                if len(traits) == 1:
                    lstart, lend = line_bounds(text, t.start)
                    if text[lstart : t.start].strip() == "":
                        add("derive_removed", lstart, lend)
                else:
                    for pos, k in enumerate(traits):
                        if pos + 1 < len(traits):
                            add("derive_removed", toks[k].start, toks[traits[pos + 1]].start)
                        else:
                            add("derive_removed", toks[traits[pos - 1]].end, toks[k].end)

        # cast_removed: ` as T` (T a path) in an expression.
        if t.kind == "ident" and t.text == "as" and body and i + 1 < n and toks[i + 1].kind == "ident":
            k = i + 1
            while tx(k + 1) == "::" and k + 2 < n and toks[k + 2].kind == "ident":
                k += 2
            add("cast_removed", toks[i - 1].end, toks[k].end)

        # question_removed: `?` in an expression.
        if t.kind == "punct" and t.text == "?" and body:
            add("question_removed", t.start, t.end)

        # ok_removed: `Ok(expr)` -> `expr`, not in patterns.
        if t.kind == "ident" and t.text == "Ok" and body and nxt == "(" and prev not in ("let", "|"):
            close = info.pairs.get(i + 1)
            if close is not None and not in_pattern(info, close):
                inner = text[toks[i + 1].end : toks[close].start]
                add("ok_removed", t.start, toks[close].end, inner)

        # lifetime_removed: a named lifetime in a type or a generic list.
        if t.kind == "lifetime" and t.text not in ("'static", "'_") and nxt != ":":
            if prev == "&" and i + 1 < n:
                add("lifetime_removed", t.start, toks[i + 1].start)
            elif prev == "<" and nxt == ">":
                add("lifetime_removed", toks[i - 1].start, toks[i + 1].end)
            elif prev == "<" and nxt == "," and i + 2 < n:
                add("lifetime_removed", t.start, toks[i + 2].start)
            elif prev == ",":
                add("lifetime_removed", toks[i - 1].start, t.end)
            elif prev == "+" and i >= 2:
                add("lifetime_removed", toks[i - 2].end, t.end)
    return sites


def crate_sources(crate_dir: Path) -> list[Path]:
    return sorted(p for p in (crate_dir / "src").rglob("*.rs") if p.is_file())


# --------------------------------------------------------------------------- cargo


@dataclass
class CheckResult:
    errors: int
    codes: list[str]
    first_error: str
    seconds: float


def cargo_check(crate_dir: Path, target_dir: Path) -> CheckResult:
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir), CARGO_TERM_COLOR="never")
    started = time.monotonic()
    proc = subprocess.run(
        ["cargo", "check", "--offline", "--quiet", "--message-format=json"],
        cwd=crate_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT_S,
    )
    seconds = time.monotonic() - started
    errors, codes, first = 0, [], ""
    for line in proc.stdout.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") != "compiler-message":
            continue
        diag = msg.get("message") or {}
        if diag.get("level") != "error":
            continue
        text = diag.get("message") or ""
        if text.startswith("aborting due to"):
            continue
        errors += 1
        code = (diag.get("code") or {}).get("code")
        if code and code not in codes:
            codes.append(code)
        if not first:
            first = text
    if errors == 0 and proc.returncode != 0:
        # Failed without a diagnostic we could read (e.g. a manifest problem): report it.
        raise RuntimeError(f"cargo check failed in {crate_dir} without errors:\n{proc.stderr[-2000:]}")
    return CheckResult(errors, codes, first, seconds)


class Scratch:
    """One scratch copy of a crate; mutants rewrite one file and are undone afterwards."""

    def __init__(self, crate: str):
        self.crate = crate
        self.src_dir = CRATES_DIR / crate
        self.dir = SCRATCH_ROOT / crate
        self.target = TARGET_ROOT / crate
        if self.dir.exists():
            shutil.rmtree(self.dir)
        shutil.copytree(self.src_dir, self.dir, ignore=shutil.ignore_patterns("target", "Cargo.lock"))
        self.originals = {
            str(p.relative_to(self.src_dir)): p.read_text(encoding="utf-8")
            for p in crate_sources(self.src_dir)
        }

    def check_with(self, rel: str, text: str) -> CheckResult:
        path = self.dir / rel
        path.write_text(text, encoding="utf-8")
        try:
            return cargo_check(self.dir, self.target)
        finally:
            path.write_text(self.originals[rel], encoding="utf-8")

    def baseline(self) -> CheckResult:
        return cargo_check(self.dir, self.target)


# --------------------------------------------------------------------------- main


def to_mutant(site: Site, info: FileInfo, result: CheckResult, number: int) -> Mutant:
    start_b, end_b = info.byte_of[site.start], info.byte_of[site.end]
    return Mutant(
        id=f"{site.crate}-{site.kind}-{number}",
        crate=site.crate,
        file=site.file,
        kind=site.kind,
        byte_start=start_b,
        byte_end=end_b,
        original=info.text[site.start : site.end],
        replacement=site.replacement,
        line=info.text.count("\n", 0, site.start) + 1,
        error_codes=tuple(result.codes),
        first_error=result.first_error,
    )


def verify_file(path: Path) -> int:
    """Re-applies every stored mutant and checks that cargo still fails with the same codes."""
    started = time.monotonic()
    mutants = load_mutants(path)
    verify_all(mutants)
    scratches: dict[str, Scratch] = {}
    bad = 0
    for m in mutants:
        if m.crate not in scratches:
            scratches[m.crate] = Scratch(m.crate)
            if scratches[m.crate].baseline().errors:
                print(f"error: the original crate {m.crate} does not check", file=sys.stderr)
                return 1
        scratch = scratches[m.crate]
        result = scratch.check_with(m.file, apply_mutant(scratch.originals[m.file], m))
        ok = result.errors > 0 and tuple(result.codes) == m.error_codes
        bad += not ok
        status = "ok" if ok else f"MISMATCH errors={result.errors} codes={result.codes}"
        print(f"  {m.id:<32} {status}", flush=True)
    print(f"{len(mutants) - bad}/{len(mutants)} mutants reproduce in {time.monotonic() - started:.0f}s")
    return 1 if bad else 0


def interleave(lists: list[list[Site]]) -> list[Site]:
    out: list[Site] = []
    for round_ in range(max((len(x) for x in lists), default=0)):
        for lst in lists:
            if round_ < len(lst):
                out.append(lst[round_])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-kind", type=int, default=12, help="mutants to keep per kind")
    ap.add_argument("--max-tries", type=int, default=60, help="cargo checks per kind at most")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--output", type=Path, default=OUTPUT)
    ap.add_argument("--dry-run", action="store_true", help="list site counts, run no cargo")
    ap.add_argument("--verify", action="store_true", help="re-check the mutants in --output")
    args = ap.parse_args(argv)
    if args.verify:
        return verify_file(args.output)

    started = time.monotonic()
    crates = sorted(p.name for p in CRATES_DIR.iterdir() if (p / "Cargo.toml").is_file())
    infos: dict[tuple[str, str], FileInfo] = {}
    sites: dict[str, dict[str, list[Site]]] = {k: defaultdict(list) for k in KINDS}
    for crate in crates:
        for path in crate_sources(CRATES_DIR / crate):
            rel = path.relative_to(CRATES_DIR / crate).as_posix()
            info = analyze(path.read_text(encoding="utf-8"))
            infos[(crate, rel)] = info
            for site in find_sites(crate, rel, info):
                sites[site.kind][crate].append(site)
    for kind in KINDS:
        for crate in crates:
            sites[kind][crate] = sorted(set(sites[kind][crate]), key=Site.sort_key)

    print("candidate sites per kind:")
    for kind in KINDS:
        per = ", ".join(f"{c} {len(sites[kind][c])}" for c in crates)
        print(f"  {kind:<17} {sum(len(v) for v in sites[kind].values()):>4}  ({per})")
    if args.dry_run:
        return 0

    scratches = {crate: Scratch(crate) for crate in crates}
    for crate, scratch in scratches.items():
        base = scratch.baseline()
        if base.errors:
            print(f"error: the original crate {crate} does not check: {base.first_error}", file=sys.stderr)
            return 1
        print(f"baseline {crate}: ok ({base.seconds:.1f}s)")

    kept: list[tuple[Site, CheckResult]] = []
    tried: Counter[str] = Counter()
    survived: Counter[str] = Counter()
    check_seconds = 0.0
    for kind in KINDS:
        shuffled = []
        for crate in crates:
            order = list(sites[kind][crate])
            random.Random(f"{args.seed}:{kind}:{crate}").shuffle(order)
            shuffled.append(order)
        accepted = 0
        for site in interleave(shuffled):
            if accepted >= args.per_kind or tried[kind] >= args.max_tries:
                break
            info = infos[(site.crate, site.file)]
            mutated = info.text[: site.start] + site.replacement + info.text[site.end :]
            result = scratches[site.crate].check_with(site.file, mutated)
            check_seconds += result.seconds
            tried[kind] += 1
            if result.errors:
                kept.append((site, result))
                accepted += 1
            else:
                survived[kind] += 1
            print(
                f"  {kind:<17} {site.crate}/{site.file}:{info.text.count(chr(10), 0, site.start) + 1:<4} "
                f"{'FAIL ' + ','.join(result.codes) if result.errors else 'compiles'} "
                f"({result.seconds:.1f}s)",
                flush=True,
            )

    # Number mutants per (crate, kind) in file order, so ids read naturally.
    kept.sort(key=lambda pair: (pair[0].crate, KINDS.index(pair[0].kind), pair[0].sort_key()))
    numbers: Counter[tuple[str, str]] = Counter()
    mutants: list[Mutant] = []
    for site, result in kept:
        numbers[(site.crate, site.kind)] += 1
        info = infos[(site.crate, site.file)]
        mutant = to_mutant(site, info, result, numbers[(site.crate, site.kind)])
        mutated = info.text[: site.start] + site.replacement + info.text[site.end :]
        assert apply_mutant(info.text, mutant) == mutated
        mutants.append(mutant)

    args.output.write_text(
        json.dumps([m.to_dict() for m in mutants], indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    verify_all(mutants)

    # The scratch copies must be back to the original: check each one still passes.
    for crate, scratch in scratches.items():
        if scratch.baseline().errors:
            print(f"error: scratch copy of {crate} was not restored", file=sys.stderr)
            return 1

    print()
    print(f"wrote {len(mutants)} mutants to {args.output}")
    width = max(len(c) for c in crates)
    header = f"{'kind':<17} " + " ".join(f"{c:>{width}}" for c in crates)
    header += f" {'total':>5} {'sites':>5} {'tried':>5} {'compiled':>8}  error codes"
    print(header)
    print("-" * len(header))
    per = Counter((m.kind, m.crate) for m in mutants)
    for kind in KINDS:
        codes = Counter(c for m in mutants if m.kind == kind for c in m.error_codes)
        row = f"{kind:<17} " + " ".join(f"{per[(kind, c)]:>{width}}" for c in crates)
        row += f" {sum(per[(kind, c)] for c in crates):>5}"
        row += f" {sum(len(v) for v in sites[kind].values()):>5} {tried[kind]:>5} {survived[kind]:>8}"
        row += "  " + ", ".join(f"{c}x{n}" for c, n in sorted(codes.items()))
        print(row)
    totals = " ".join(f"{sum(per[(k, c)] for k in KINDS):>{width}}" for c in crates)
    print(
        f"{'total':<17} {totals} {len(mutants):>5} "
        f"{sum(len(v) for k in KINDS for v in sites[k].values()):>5} "
        f"{sum(tried.values()):>5} {sum(survived.values()):>8}"
    )
    elapsed = time.monotonic() - started
    print(f"\n{sum(tried.values())} cargo checks in {check_seconds:.0f}s; total run time {elapsed:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
