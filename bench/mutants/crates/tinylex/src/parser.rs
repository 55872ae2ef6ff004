//! A recursive-descent parser with precedence climbing for binary operators.
//!
//! ```text
//! expr    := "let" IDENT "=" expr "in" expr
//!          | "if" expr "then" expr "else" expr
//!          | binary
//! binary  := unary (OP unary)*          (by precedence)
//! unary   := ("-" | "!") unary | primary
//! primary := INT | "true" | "false" | IDENT | IDENT "(" args ")" | "(" expr ")"
//! ```

use crate::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::error::{Error, ParseError};
use crate::span::Span;
use crate::token::{tokenize, Token, TokenKind};

/// Nesting deeper than this is refused instead of overflowing the stack.
pub const MAX_DEPTH: usize = 200;

pub struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a str) -> Result<Parser<'a>, Error> {
        let tokens = tokenize(src)?;
        Ok(Parser {
            tokens,
            pos: 0,
            depth: 0,
        })
    }

    fn peek(&self) -> &Token<'a> {
        let last = self.tokens.len() - 1;
        &self.tokens[self.pos.min(last)]
    }

    fn advance(&mut self) -> Token<'a> {
        let token = *self.peek();
        if token.kind != TokenKind::Eof {
            self.pos += 1;
        }
        token
    }

    fn error(&self, expected: &str) -> ParseError {
        let token = self.peek();
        ParseError {
            expected: expected.to_string(),
            found: token.kind,
            span: token.span,
        }
    }

    fn expect(&mut self, kind: TokenKind) -> Result<Token<'a>, ParseError> {
        if self.peek().kind == kind {
            Ok(self.advance())
        } else {
            Err(self.error(kind.describe()))
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("a less deeply nested expression"));
        }
        Ok(())
    }

    /// Parses one expression and requires the input to end after it.
    pub fn parse_all(&mut self) -> Result<Expr<'a>, ParseError> {
        let expr = self.parse_expr()?;
        self.expect(TokenKind::Eof)?;
        Ok(expr)
    }

    pub fn parse_expr(&mut self) -> Result<Expr<'a>, ParseError> {
        self.enter()?;
        let result = match self.peek().kind {
            TokenKind::Let => self.parse_let(),
            TokenKind::If => self.parse_if(),
            _ => self.parse_binary(0),
        };
        self.depth -= 1;
        result
    }

    fn parse_let(&mut self) -> Result<Expr<'a>, ParseError> {
        let start = self.expect(TokenKind::Let)?.span;
        let name = self.expect(TokenKind::Ident)?;
        self.expect(TokenKind::Assign)?;
        let value = self.parse_expr()?;
        self.expect(TokenKind::In)?;
        let body = self.parse_expr()?;
        let span = start.merge(body.span);
        Ok(Expr::new(
            ExprKind::Let {
                name: name.text,
                value: Box::new(value),
                body: Box::new(body),
            },
            span,
        ))
    }

    fn parse_if(&mut self) -> Result<Expr<'a>, ParseError> {
        let start = self.expect(TokenKind::If)?.span;
        let cond = self.parse_expr()?;
        self.expect(TokenKind::Then)?;
        let then_branch = self.parse_expr()?;
        self.expect(TokenKind::Else)?;
        let else_branch = self.parse_expr()?;
        let span = start.merge(else_branch.span);
        Ok(Expr::new(
            ExprKind::If {
                cond: Box::new(cond),
                then_branch: Box::new(then_branch),
                else_branch: Box::new(else_branch),
            },
            span,
        ))
    }

    fn parse_binary(&mut self, min_prec: u8) -> Result<Expr<'a>, ParseError> {
        let mut lhs = self.parse_unary()?;
        while let Some(op) = BinaryOp::from_token(self.peek().kind) {
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            self.advance();
            let next_min = if op.is_right_assoc() { prec } else { prec + 1 };
            let rhs = self.parse_binary(next_min)?;
            let span = lhs.span.merge(rhs.span);
            lhs = Expr::new(
                ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            );
        }
        Ok(lhs)
    }

    fn parse_unary(&mut self) -> Result<Expr<'a>, ParseError> {
        let op = match self.peek().kind {
            TokenKind::Minus => UnaryOp::Neg,
            TokenKind::Bang => UnaryOp::Not,
            _ => return self.parse_primary(),
        };
        let start = self.advance().span;
        self.enter()?;
        let operand = self.parse_unary();
        self.depth -= 1;
        let operand = operand?;
        let span = start.merge(operand.span);
        Ok(Expr::new(
            ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
            span,
        ))
    }

    fn parse_primary(&mut self) -> Result<Expr<'a>, ParseError> {
        let token = self.advance();
        let kind = match token.kind {
            TokenKind::Int => {
                let value = token.int_value().ok_or_else(|| ParseError {
                    expected: "an integer in range".to_string(),
                    found: token.kind,
                    span: token.span,
                })?;
                ExprKind::Int(value)
            }
            TokenKind::True => ExprKind::Bool(true),
            TokenKind::False => ExprKind::Bool(false),
            TokenKind::Ident if self.peek().kind == TokenKind::LParen => {
                return self.parse_call(token);
            }
            TokenKind::Ident => ExprKind::Var(token.text),
            TokenKind::LParen => {
                let inner = self.parse_expr()?;
                let close = self.expect(TokenKind::RParen)?;
                return Ok(Expr::new(inner.kind, token.span.merge(close.span)));
            }
            found => {
                return Err(ParseError {
                    expected: "an expression".to_string(),
                    found,
                    span: token.span,
                })
            }
        };
        Ok(Expr::new(kind, token.span))
    }

    fn parse_call(&mut self, name: Token<'a>) -> Result<Expr<'a>, ParseError> {
        self.expect(TokenKind::LParen)?;
        let mut args = Vec::new();
        if self.peek().kind != TokenKind::RParen {
            loop {
                args.push(self.parse_expr()?);
                if self.peek().kind != TokenKind::Comma {
                    break;
                }
                self.advance();
            }
        }
        let close = self.expect(TokenKind::RParen)?;
        Ok(Expr::new(
            ExprKind::Call {
                name: name.text,
                args,
            },
            Span::merge(name.span, close.span),
        ))
    }
}

/// Parses a complete expression from `src`.
pub fn parse(src: &str) -> Result<Expr<'_>, Error> {
    let mut parser = Parser::new(src)?;
    let expr = parser.parse_all()?;
    Ok(expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(src: &str) -> String {
        parse(src).unwrap().to_string()
    }

    #[test]
    fn binary_precedence_and_associativity() {
        assert_eq!(show("1 + 2 * 3"), "(1 + (2 * 3))");
        assert_eq!(show("1 - 2 - 3"), "((1 - 2) - 3)");
        assert_eq!(show("2 ^ 3 ^ 2"), "(2 ^ (3 ^ 2))");
        assert_eq!(show("a < b == c >= d"), "((a < b) == (c >= d))");
        assert_eq!(show("a || b && c"), "(a || (b && c))");
    }

    #[test]
    fn unary_binds_tighter_than_binary() {
        assert_eq!(show("-x * 2"), "((-x) * 2)");
        assert_eq!(show("!!true && false"), "((!(!true)) && false)");
        assert_eq!(show("-(1 + 2)"), "(-(1 + 2))");
    }

    #[test]
    fn let_if_and_calls() {
        assert_eq!(
            show("let x = 2 in if x > 1 then max(x, 10) else abs(-x)"),
            "(let x = 2 in (if (x > 1) then max(x, 10) else abs((-x))))"
        );
        assert_eq!(show("f()"), "f()");
    }

    #[test]
    fn spans_cover_the_whole_expression() {
        let src = "  (1 + 2) * foo(3)";
        let expr = parse(src).unwrap();
        assert_eq!(expr.span.slice(src), "(1 + 2) * foo(3)");
        if let ExprKind::Binary { lhs, .. } = &expr.kind {
            assert_eq!(lhs.span.slice(src), "(1 + 2)");
        } else {
            panic!("expected a binary expression");
        }
    }

    #[test]
    fn errors_name_what_was_expected() {
        let err = parse("1 +").unwrap_err();
        assert_eq!(err.to_string(), "parse error: expected an expression, found end of input");
        let err = parse("let = 1 in 2").unwrap_err();
        assert_eq!(err.to_string(), "parse error: expected an identifier, found `=`");
        let err = parse("(1 2").unwrap_err();
        assert_eq!(err.span(), Some(Span::new(3, 4)));
        let err = parse("1 2").unwrap_err();
        assert_eq!(err.to_string(), "parse error: expected end of input, found an integer");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let src = format!("{}1{}", "(".repeat(500), ")".repeat(500));
        assert!(parse(&src).is_err());
        let src = format!("{}1", "-".repeat(500));
        assert!(parse(&src).is_err());
        let ok = format!("{}1{}", "(".repeat(50), ")".repeat(50));
        assert_eq!(show(&ok), "1");
    }
}
