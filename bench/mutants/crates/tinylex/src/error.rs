//! Errors of the three stages (lexing, parsing, evaluation) and the umbrella type.

use std::fmt;

use crate::span::{render_caret, Span};
use crate::token::TokenKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexErrorKind {
    UnexpectedChar(char),
    IntegerTooLarge,
    UnterminatedComment,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub kind: LexErrorKind,
    pub span: Span,
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            LexErrorKind::UnexpectedChar(c) => write!(f, "unexpected character {c:?}"),
            LexErrorKind::IntegerTooLarge => write!(f, "integer literal too large"),
            LexErrorKind::UnterminatedComment => write!(f, "unterminated block comment"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub expected: String,
    pub found: TokenKind,
    pub span: Span,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found {}", self.expected, self.found.describe())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    UnknownVariable { name: String, span: Span },
    UnknownFunction { name: String, span: Span },
    Arity { name: String, expected: usize, found: usize },
    TypeMismatch { expected: &'static str, found: &'static str, span: Span },
    DivisionByZero { span: Span },
    Overflow { span: Span },
    NegativeExponent { span: Span },
    StepLimit(u64),
}

impl EvalError {
    pub fn span(&self) -> Option<Span> {
        match self {
            EvalError::UnknownVariable { span, .. }
            | EvalError::UnknownFunction { span, .. }
            | EvalError::TypeMismatch { span, .. }
            | EvalError::DivisionByZero { span }
            | EvalError::Overflow { span }
            | EvalError::NegativeExponent { span } => Some(*span),
            EvalError::Arity { .. } | EvalError::StepLimit(_) => None,
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::UnknownVariable { name, .. } => write!(f, "unknown variable `{name}`"),
            EvalError::UnknownFunction { name, .. } => write!(f, "unknown function `{name}`"),
            EvalError::Arity {
                name,
                expected,
                found,
            } => write!(f, "`{name}` takes {expected} argument(s), {found} given"),
            EvalError::TypeMismatch {
                expected, found, ..
            } => write!(f, "expected {expected}, found {found}"),
            EvalError::DivisionByZero { .. } => write!(f, "division by zero"),
            EvalError::Overflow { .. } => write!(f, "integer overflow"),
            EvalError::NegativeExponent { .. } => write!(f, "negative exponent"),
            EvalError::StepLimit(limit) => write!(f, "evaluation exceeded {limit} steps"),
        }
    }
}

/// Any error from source text to value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    Lex(LexError),
    Parse(ParseError),
    Eval(EvalError),
}

impl Error {
    pub fn span(&self) -> Option<Span> {
        match self {
            Error::Lex(e) => Some(e.span),
            Error::Parse(e) => Some(e.span),
            Error::Eval(e) => e.span(),
        }
    }

    /// The message followed by the source line with carets, when there is a span.
    pub fn render(&self, src: &str) -> String {
        match self.span() {
            Some(span) => format!("error: {self}\n{}", render_caret(src, span)),
            None => format!("error: {self}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Lex(e) => write!(f, "lex error: {e}"),
            Error::Parse(e) => write!(f, "parse error: {e}"),
            Error::Eval(e) => write!(f, "eval error: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<LexError> for Error {
    fn from(e: LexError) -> Error {
        Error::Lex(e)
    }
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Error {
        Error::Parse(e)
    }
}

impl From<EvalError> for Error {
    fn from(e: EvalError) -> Error {
        Error::Eval(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_of_each_stage() {
        let lex = Error::from(LexError {
            kind: LexErrorKind::UnexpectedChar('$'),
            span: Span::new(4, 5),
        });
        assert_eq!(lex.to_string(), "lex error: unexpected character '$'");
        let parse = Error::from(ParseError {
            expected: "`)`".to_string(),
            found: TokenKind::Eof,
            span: Span::point(3),
        });
        assert_eq!(parse.to_string(), "parse error: expected `)`, found end of input");
        let eval = Error::from(EvalError::Arity {
            name: "max".into(),
            expected: 2,
            found: 1,
        });
        assert_eq!(eval.to_string(), "eval error: `max` takes 2 argument(s), 1 given");
        assert_eq!(eval.span(), None);
    }

    #[test]
    fn render_shows_carets() {
        let err = Error::Eval(EvalError::DivisionByZero {
            span: Span::new(0, 5),
        });
        assert_eq!(
            err.render("1 / 0"),
            "error: eval error: division by zero\n1 | 1 / 0\n  | ^^^^^"
        );
    }
}
