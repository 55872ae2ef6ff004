//! `tinylex`: a tokenizer, parser and evaluator for small arithmetic and boolean
//! expressions with `let`, `if` and a few built-in functions.
//!
//! Tokens and syntax trees borrow the source text, so nothing is copied until a
//! value or an error message is produced.

pub mod ast;
pub mod error;
pub mod eval;
pub mod fold;
pub mod parser;
pub mod span;
pub mod token;

pub use ast::{BinaryOp, Expr, ExprKind, UnaryOp};
pub use error::{Error, EvalError, LexError, ParseError};
pub use eval::{eval_str, Env, Evaluator, Value};
pub use parser::{parse, Parser};
pub use span::Span;
pub use token::{tokenize, Lexer, Token, TokenKind};

/// Evaluates each line of `program` that is not blank, and returns the values or
/// the first error rendered with its source line.
pub fn run_lines<'a>(program: &'a str, vars: &[(&'a str, i64)]) -> Result<Vec<Value>, String> {
    let mut env = Env::new();
    for (name, value) in vars {
        env.define(name, Value::Int(*value));
    }
    let mut out = Vec::new();
    for line in program.lines().filter(|l| !l.trim().is_empty()) {
        let expr = parse(line).map_err(|e| e.render(line))?;
        let mut evaluator = Evaluator::new(&mut env);
        let value = evaluator
            .eval(&expr)
            .map_err(|e| Error::from(e).render(line))?;
        out.push(value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_lines_evaluates_each_line() {
        let values = run_lines("1 + 1\n\nn * 2\nn > 3", &[("n", 2)]).unwrap();
        assert_eq!(values, vec![Value::Int(2), Value::Int(4), Value::Bool(false)]);
    }

    #[test]
    fn run_lines_renders_the_first_error() {
        let err = run_lines("1\n2 + x", &[]).unwrap_err();
        assert_eq!(err, "error: eval error: unknown variable `x`\n1 | 2 + x\n  |     ^");
    }
}
