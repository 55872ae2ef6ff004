//! The error type shared by every part of the ledger.

use std::fmt;
use std::num::ParseIntError;

use crate::amount::Currency;

/// Everything that can go wrong while reading or posting to a ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerError {
    /// A number could not be read as an amount (`12.345`, `1,5`, ...).
    InvalidAmount(String),
    /// A date that is not `YYYY-MM-DD` or does not exist.
    InvalidDate(String),
    /// A currency code that is not three upper-case ASCII letters.
    InvalidCurrency(String),
    /// An account name that is empty, has an empty segment or an unknown root.
    InvalidAccount(String),
    /// Two amounts in different currencies were combined.
    CurrencyMismatch { expected: Currency, found: Currency },
    /// Arithmetic on cents went past the range of `i64`.
    Overflow,
    /// A posting names an account that was never opened.
    UnknownAccount(String),
    /// An account was opened twice.
    DuplicateAccount(String),
    /// A posting was made to an account outside its open period.
    AccountClosed { account: String, date: String },
    /// A posting uses a currency the account does not accept.
    CurrencyNotAllowed { account: String, currency: Currency },
    /// The postings of a transaction do not sum to zero.
    Unbalanced { currency: Currency, residual: i64 },
    /// A transaction has more than one posting without an amount.
    AmbiguousPosting,
    /// A syntax error in the text format, with its 1-based line.
    Parse { line: usize, message: String },
    /// A wrapped integer parse failure.
    Number(ParseIntError),
}

impl LedgerError {
    /// Attaches a line number to an error coming from the text format.
    pub fn at_line(self, line: usize) -> LedgerError {
        match self {
            LedgerError::Parse { .. } => self,
            other => LedgerError::Parse {
                line,
                message: other.to_string(),
            },
        }
    }

    /// Whether the error comes from bad input text rather than a rule of the ledger.
    pub fn is_syntax(&self) -> bool {
        matches!(
            self,
            LedgerError::InvalidAmount(_)
                | LedgerError::InvalidDate(_)
                | LedgerError::InvalidCurrency(_)
                | LedgerError::InvalidAccount(_)
                | LedgerError::Parse { .. }
                | LedgerError::Number(_)
        )
    }
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::InvalidAmount(text) => write!(f, "invalid amount `{text}`"),
            LedgerError::InvalidDate(text) => write!(f, "invalid date `{text}`"),
            LedgerError::InvalidCurrency(text) => write!(f, "invalid currency `{text}`"),
            LedgerError::InvalidAccount(text) => write!(f, "invalid account name `{text}`"),
            LedgerError::CurrencyMismatch { expected, found } => {
                write!(f, "currency mismatch: expected {expected}, found {found}")
            }
            LedgerError::Overflow => write!(f, "amount overflow"),
            LedgerError::UnknownAccount(name) => write!(f, "unknown account `{name}`"),
            LedgerError::DuplicateAccount(name) => write!(f, "account `{name}` opened twice"),
            LedgerError::AccountClosed { account, date } => {
                write!(f, "account `{account}` is not open on {date}")
            }
            LedgerError::CurrencyNotAllowed { account, currency } => {
                write!(f, "account `{account}` does not accept {currency}")
            }
            LedgerError::Unbalanced { currency, residual } => {
                write!(f, "transaction does not balance: {residual} cents of {currency} left")
            }
            LedgerError::AmbiguousPosting => {
                write!(f, "more than one posting has no amount")
            }
            LedgerError::Parse { line, message } => write!(f, "line {line}: {message}"),
            LedgerError::Number(err) => write!(f, "bad number: {err}"),
        }
    }
}

impl std::error::Error for LedgerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LedgerError::Number(err) => Some(err),
            _ => None,
        }
    }
}

impl From<ParseIntError> for LedgerError {
    fn from(err: ParseIntError) -> Self {
        LedgerError::Number(err)
    }
}

/// The result type used throughout the crate.
pub type Result<T> = std::result::Result<T, LedgerError>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn display_mentions_the_offending_text() {
        let err = LedgerError::InvalidAmount("12.345".to_string());
        assert_eq!(err.to_string(), "invalid amount `12.345`");
    }

    #[test]
    fn at_line_wraps_other_errors_once() {
        let err = LedgerError::UnknownAccount("Assets:Cash".into()).at_line(7);
        assert_eq!(
            err,
            LedgerError::Parse {
                line: 7,
                message: "unknown account `Assets:Cash`".into()
            }
        );
        let again = err.clone().at_line(9);
        assert_eq!(again, err);
    }

    #[test]
    fn from_parse_int_error_keeps_source() {
        let parse: std::result::Result<i64, _> = "x1".parse::<i64>();
        let err: LedgerError = parse.unwrap_err().into();
        assert!(err.source().is_some());
        assert!(err.is_syntax());
        assert!(!LedgerError::Overflow.is_syntax());
    }
}
