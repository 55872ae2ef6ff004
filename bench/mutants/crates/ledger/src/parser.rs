//! A small line-based text format for ledgers.
//!
//! ```text
//! ; comments start with a semicolon
//! 2024-01-01 open Assets:Bank EUR,USD
//! 2024-01-05 "Groceries" #food
//!   Expenses:Food   12.50 EUR
//!   Assets:Bank
//! 2024-12-31 close Assets:Bank
//! ```

use crate::account::AccountName;
use crate::amount::{Amount, Currency};
use crate::date::Date;
use crate::error::{LedgerError, Result};
use crate::transaction::{Posting, Transaction};

/// One meaningful line of input, borrowing its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub number: usize,
    pub indented: bool,
    pub text: &'a str,
}

/// Iterates over the lines that are neither blank nor comments.
pub struct Lines<'a> {
    inner: std::iter::Enumerate<std::str::Lines<'a>>,
}

impl<'a> Lines<'a> {
    pub fn new(input: &'a str) -> Lines<'a> {
        Lines {
            inner: input.lines().enumerate(),
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        for (index, raw) in self.inner.by_ref() {
            let without_comment = match raw.find(';') {
                Some(pos) => &raw[..pos],
                None => raw,
            };
            let text = without_comment.trim();
            if text.is_empty() {
                continue;
            }
            let indented = raw.starts_with(' ') || raw.starts_with('\t');
            return Some(Line {
                number: index + 1,
                indented,
                text,
            });
        }
        None
    }
}

/// What a top-level entry of the file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    Open {
        date: Date,
        account: AccountName,
        currencies: Vec<Currency>,
    },
    Close {
        date: Date,
        account: AccountName,
    },
    Transaction(Transaction),
}

impl Directive {
    pub fn date(&self) -> Date {
        match self {
            Directive::Open { date, .. } | Directive::Close { date, .. } => *date,
            Directive::Transaction(tx) => tx.date,
        }
    }
}

/// Splits off the first whitespace-separated word.
fn first_word(text: &str) -> (&str, &str) {
    match text.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim_start()),
        None => (text, ""),
    }
}

/// Reads a double-quoted description and returns it with the rest of the line.
fn quoted<'a>(text: &'a str, line: &Line<'a>) -> Result<(&'a str, &'a str)> {
    let body = text.strip_prefix('"').ok_or_else(|| LedgerError::Parse {
        line: line.number,
        message: "expected a quoted description".to_string(),
    })?;
    let end = body.find('"').ok_or_else(|| LedgerError::Parse {
        line: line.number,
        message: "unterminated description".to_string(),
    })?;
    Ok((&body[..end], body[end + 1..].trim_start()))
}

fn parse_currencies(text: &str) -> Result<Vec<Currency>> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',').map(|code| Currency::new(code.trim())).collect()
}

fn parse_posting(line: &Line<'_>) -> Result<Posting> {
    let (account, rest) = first_word(line.text);
    let account = AccountName::parse(account)?;
    if rest.is_empty() {
        return Ok(Posting::elided(account));
    }
    let amount = Amount::parse(rest)?;
    Ok(Posting::new(account, amount))
}

fn parse_header(line: &Line<'_>, date: Date, rest: &str) -> Result<Transaction> {
    let (description, rest) = quoted(rest, line)?;
    let mut tx = Transaction::new(date, description);
    for word in rest.split_whitespace() {
        match word.strip_prefix('#') {
            Some(tag) if !tag.is_empty() => tx.tag(tag),
            _ => {
                return Err(LedgerError::Parse {
                    line: line.number,
                    message: format!("unexpected `{word}` after description"),
                })
            }
        }
    }
    Ok(tx)
}

/// A parser that keeps one line of lookahead.
pub struct Parser<'a> {
    lines: std::iter::Peekable<Lines<'a>>,
}

impl<'a> Parser<'a> {
    pub fn new(input: &'a str) -> Parser<'a> {
        Parser {
            lines: Lines::new(input).peekable(),
        }
    }

    /// Reads the next directive, or `None` at the end of input.
    pub fn next_directive(&mut self) -> Result<Option<Directive>> {
        let line = match self.lines.next() {
            Some(line) => line,
            None => return Ok(None),
        };
        if line.indented {
            return Err(LedgerError::Parse {
                line: line.number,
                message: "posting outside a transaction".to_string(),
            });
        }
        let directive = self.directive(&line).map_err(|e| e.at_line(line.number))?;
        Ok(Some(directive))
    }

    fn directive(&mut self, line: &Line<'a>) -> Result<Directive> {
        let (date, rest) = first_word(line.text);
        let date: Date = date.parse()?;
        let (keyword, args) = first_word(rest);
        match keyword {
            "open" => {
                let (account, currencies) = first_word(args);
                Ok(Directive::Open {
                    date,
                    account: AccountName::parse(account)?,
                    currencies: parse_currencies(currencies)?,
                })
            }
            "close" => Ok(Directive::Close {
                date,
                account: AccountName::parse(args)?,
            }),
            _ => {
                let mut tx = parse_header(line, date, rest)?;
                while let Some(next) = self.lines.peek() {
                    if !next.indented {
                        break;
                    }
                    let posting_line = *next;
                    self.lines.next();
                    let posting =
                        parse_posting(&posting_line).map_err(|e| e.at_line(posting_line.number))?;
                    tx.postings.push(posting);
                }
                if tx.postings.len() < 2 {
                    return Err(LedgerError::Parse {
                        line: line.number,
                        message: "a transaction needs at least two postings".to_string(),
                    });
                }
                Ok(Directive::Transaction(tx))
            }
        }
    }
}

/// Parses a whole file into directives, in file order.
pub fn parse(input: &str) -> Result<Vec<Directive>> {
    let mut parser = Parser::new(input);
    let mut out = Vec::new();
    while let Some(directive) = parser.next_directive()? {
        out.push(directive);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
; a sample ledger
2024-01-01 open Assets:Bank EUR,USD
2024-01-01 open Expenses:Food

2024-01-05 \"Groceries\" #food #weekly
  Expenses:Food   12.50 EUR   ; market
  Assets:Bank
2024-12-31 close Assets:Bank
";

    #[test]
    fn lines_skip_blanks_and_comments() {
        let lines: Vec<Line<'_>> = Lines::new(SAMPLE).collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(lines[0].number, 2);
        assert!(lines[3].indented);
        assert_eq!(lines[3].text, "Expenses:Food   12.50 EUR");
    }

    #[test]
    fn parses_the_sample() {
        let directives = parse(SAMPLE).unwrap();
        assert_eq!(directives.len(), 4);
        match &directives[0] {
            Directive::Open { currencies, .. } => assert_eq!(currencies.len(), 2),
            other => panic!("unexpected {other:?}"),
        }
        match &directives[2] {
            Directive::Transaction(tx) => {
                assert_eq!(tx.description, "Groceries");
                assert_eq!(tx.tags, vec!["food".to_string(), "weekly".to_string()]);
                assert_eq!(tx.postings[0].amount.unwrap().cents(), 1250);
                assert_eq!(tx.postings[1].amount, None);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(directives[3].date().to_string(), "2024-12-31");
    }

    #[test]
    fn errors_carry_line_numbers() {
        let err = parse("2024-01-01 open Assets:Bank\n2024-01-02 \"x\"\n  Assets:Bank 1.234 EUR\n  Assets:Bank\n")
            .unwrap_err();
        assert!(matches!(err, LedgerError::Parse { line: 3, .. }), "{err}");
        let err = parse("  Assets:Bank 1 EUR\n").unwrap_err();
        assert!(matches!(err, LedgerError::Parse { line: 1, .. }));
    }

    #[test]
    fn transaction_needs_two_postings() {
        let err = parse("2024-01-02 \"x\"\n  Assets:Bank 1 EUR\n").unwrap_err();
        assert_eq!(err.to_string(), "line 1: a transaction needs at least two postings");
    }

    #[test]
    fn header_rejects_stray_words() {
        let err = parse("2024-01-02 \"x\" stray\n  Assets:Bank 1 EUR\n  Assets:Cash\n").unwrap_err();
        assert!(err.to_string().contains("unexpected `stray`"));
        assert!(parse("2024-01-02 \"x\n  Assets:Bank 1 EUR\n  Assets:Cash\n").is_err());
    }

    #[test]
    fn first_word_and_quoted_split_text() {
        assert_eq!(first_word("open  Assets:Bank"), ("open", "Assets:Bank"));
        assert_eq!(first_word("alone"), ("alone", ""));
        let line = Line { number: 1, indented: false, text: "" };
        assert_eq!(quoted("\"a b\" #t", &line).unwrap(), ("a b", "#t"));
    }
}
