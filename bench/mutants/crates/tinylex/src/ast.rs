//! The syntax tree. Names borrow the source text, so a tree lives no longer than it.

use std::collections::BTreeSet;
use std::fmt;

use crate::span::Span;
use crate::token::TokenKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

impl BinaryOp {
    pub fn from_token(kind: TokenKind) -> Option<BinaryOp> {
        let op = match kind {
            TokenKind::Plus => BinaryOp::Add,
            TokenKind::Minus => BinaryOp::Sub,
            TokenKind::Star => BinaryOp::Mul,
            TokenKind::Slash => BinaryOp::Div,
            TokenKind::Percent => BinaryOp::Rem,
            TokenKind::Caret => BinaryOp::Pow,
            TokenKind::Lt => BinaryOp::Lt,
            TokenKind::Le => BinaryOp::Le,
            TokenKind::Gt => BinaryOp::Gt,
            TokenKind::Ge => BinaryOp::Ge,
            TokenKind::EqEq => BinaryOp::Eq,
            TokenKind::NotEq => BinaryOp::Ne,
            TokenKind::AndAnd => BinaryOp::And,
            TokenKind::OrOr => BinaryOp::Or,
            _ => return None,
        };
        Some(op)
    }

    /// Binding strength: higher binds tighter.
    pub fn precedence(&self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq | BinaryOp::Ne => 3,
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => 6,
            BinaryOp::Pow => 7,
        }
    }

    pub fn is_right_assoc(&self) -> bool {
        matches!(self, BinaryOp::Pow)
    }

    pub fn symbol(&self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
            BinaryOp::Pow => "^",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind<'a> {
    Int(i64),
    Bool(bool),
    Var(&'a str),
    Unary {
        op: UnaryOp,
        operand: Box<Expr<'a>>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr<'a>>,
        rhs: Box<Expr<'a>>,
    },
    If {
        cond: Box<Expr<'a>>,
        then_branch: Box<Expr<'a>>,
        else_branch: Box<Expr<'a>>,
    },
    Let {
        name: &'a str,
        value: Box<Expr<'a>>,
        body: Box<Expr<'a>>,
    },
    Call {
        name: &'a str,
        args: Vec<Expr<'a>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr<'a> {
    pub kind: ExprKind<'a>,
    pub span: Span,
}

impl<'a> Expr<'a> {
    pub fn new(kind: ExprKind<'a>, span: Span) -> Expr<'a> {
        Expr { kind, span }
    }

    /// The direct children, left to right.
    pub fn children(&self) -> Vec<&Expr<'a>> {
        match &self.kind {
            ExprKind::Int(_) | ExprKind::Bool(_) | ExprKind::Var(_) => Vec::new(),
            ExprKind::Unary { operand, .. } => vec![operand],
            ExprKind::Binary { lhs, rhs, .. } => vec![lhs, rhs],
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => vec![cond, then_branch, else_branch],
            ExprKind::Let { value, body, .. } => vec![value, body],
            ExprKind::Call { args, .. } => args.iter().collect(),
        }
    }

    /// The height of the tree: a leaf has depth 1.
    pub fn depth(&self) -> usize {
        1 + self
            .children()
            .into_iter()
            .map(|c| c.depth())
            .max()
            .unwrap_or(0)
    }

    pub fn node_count(&self) -> usize {
        1 + self
            .children()
            .into_iter()
            .map(|c| c.node_count())
            .sum::<usize>()
    }

    /// Variables used but not bound by an enclosing `let`.
    pub fn free_vars(&self) -> BTreeSet<&'a str> {
        let mut bound = Vec::new();
        let mut out = BTreeSet::new();
        self.collect_free(&mut bound, &mut out);
        out
    }

    fn collect_free(&self, bound: &mut Vec<&'a str>, out: &mut BTreeSet<&'a str>) {
        match &self.kind {
            ExprKind::Var(name) => {
                if !bound.contains(name) {
                    out.insert(name);
                }
            }
            ExprKind::Let { name, value, body } => {
                value.collect_free(bound, out);
                bound.push(name);
                body.collect_free(bound, out);
                bound.pop();
            }
            _ => {
                for child in self.children() {
                    child.collect_free(bound, out);
                }
            }
        }
    }

    /// Replaces every free occurrence of the variable `name` by `value`.
    pub fn substitute(&self, name: &str, value: &Expr<'a>) -> Expr<'a> {
        let kind = match &self.kind {
            ExprKind::Var(var) if *var == name => return value.clone(),
            ExprKind::Int(_) | ExprKind::Bool(_) | ExprKind::Var(_) => return self.clone(),
            ExprKind::Unary { op, operand } => ExprKind::Unary {
                op: *op,
                operand: Box::new(operand.substitute(name, value)),
            },
            ExprKind::Binary { op, lhs, rhs } => ExprKind::Binary {
                op: *op,
                lhs: Box::new(lhs.substitute(name, value)),
                rhs: Box::new(rhs.substitute(name, value)),
            },
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => ExprKind::If {
                cond: Box::new(cond.substitute(name, value)),
                then_branch: Box::new(then_branch.substitute(name, value)),
                else_branch: Box::new(else_branch.substitute(name, value)),
            },
            ExprKind::Let {
                name: bound,
                value: bound_value,
                body,
            } => ExprKind::Let {
                name: bound,
                value: Box::new(bound_value.substitute(name, value)),
                // A `let` of the same name shadows it: the body keeps its own binding.
                body: if *bound == name {
                    body.clone()
                } else {
                    Box::new(body.substitute(name, value))
                },
            },
            ExprKind::Call { name: callee, args } => ExprKind::Call {
                name: callee,
                args: args.iter().map(|a| a.substitute(name, value)).collect(),
            },
        };
        Expr::new(kind, self.span)
    }

    /// Names of every function called anywhere in the tree, in order of first use.
    pub fn called_functions(&self) -> Vec<&'a str> {
        let mut names = Vec::new();
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            if let ExprKind::Call { name, .. } = &expr.kind {
                if !names.contains(name) {
                    names.push(*name);
                }
            }
            let mut children = expr.children();
            children.reverse();
            stack.extend(children);
        }
        names
    }
}

impl fmt::Display for Expr<'_> {
    /// Prints the tree fully parenthesized, so precedence is visible.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Int(n) => write!(f, "{n}"),
            ExprKind::Bool(b) => write!(f, "{b}"),
            ExprKind::Var(name) => f.write_str(name),
            ExprKind::Unary { op, operand } => {
                let symbol = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Not => "!",
                };
                write!(f, "({symbol}{operand})")
            }
            ExprKind::Binary { op, lhs, rhs } => write!(f, "({lhs} {} {rhs})", op.symbol()),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => write!(f, "(if {cond} then {then_branch} else {else_branch})"),
            ExprKind::Let { name, value, body } => write!(f, "(let {name} = {value} in {body})"),
            ExprKind::Call { name, args } => {
                write!(f, "{name}(")?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(")")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str) -> Expr<'_> {
        Expr::new(ExprKind::Var(name), Span::default())
    }

    fn int(n: i64) -> Expr<'static> {
        Expr::new(ExprKind::Int(n), Span::default())
    }

    fn bin<'a>(op: BinaryOp, lhs: Expr<'a>, rhs: Expr<'a>) -> Expr<'a> {
        Expr::new(
            ExprKind::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
            Span::default(),
        )
    }

    #[test]
    fn precedence_orders_operators() {
        assert!(BinaryOp::Mul.precedence() > BinaryOp::Add.precedence());
        assert!(BinaryOp::Add.precedence() > BinaryOp::Lt.precedence());
        assert!(BinaryOp::And.precedence() > BinaryOp::Or.precedence());
        assert!(BinaryOp::Pow.is_right_assoc());
        assert_eq!(BinaryOp::from_token(TokenKind::NotEq), Some(BinaryOp::Ne));
        assert_eq!(BinaryOp::from_token(TokenKind::Comma), None);
    }

    #[test]
    fn display_parenthesizes() {
        let e = bin(BinaryOp::Add, int(1), bin(BinaryOp::Mul, var("x"), int(2)));
        assert_eq!(e.to_string(), "(1 + (x * 2))");
        assert_eq!(e.depth(), 3);
        assert_eq!(e.node_count(), 5);
    }

    #[test]
    fn free_vars_respect_let_scopes() {
        let body = bin(BinaryOp::Add, var("x"), var("y"));
        let e = Expr::new(
            ExprKind::Let {
                name: "x",
                value: Box::new(var("x")),
                body: Box::new(body),
            },
            Span::default(),
        );
        let free: Vec<&str> = e.free_vars().into_iter().collect();
        assert_eq!(free, vec!["x", "y"]);
        let inner_only = Expr::new(
            ExprKind::Let {
                name: "x",
                value: Box::new(int(1)),
                body: Box::new(var("x")),
            },
            Span::default(),
        );
        assert!(inner_only.free_vars().is_empty());
    }

    #[test]
    fn substitute_respects_shadowing() {
        let body = bin(BinaryOp::Mul, var("x"), var("y"));
        let e = Expr::new(
            ExprKind::Let {
                name: "y",
                value: Box::new(var("x")),
                body: Box::new(body.clone()),
            },
            Span::default(),
        );
        assert_eq!(e.substitute("x", &int(3)).to_string(), "(let y = 3 in (3 * y))");
        assert_eq!(e.substitute("y", &int(3)).to_string(), "(let y = x in (x * y))");
        assert_eq!(body.substitute("z", &int(1)), body);
    }

    #[test]
    fn called_functions_in_order() {
        let call = |name, args| Expr::new(ExprKind::Call { name, args }, Span::default());
        let e = call("max", vec![call("abs", vec![int(1)]), call("min", vec![int(2), call("abs", vec![])])]);
        assert_eq!(e.called_functions(), vec!["max", "abs", "min"]);
        assert_eq!(e.to_string(), "max(abs(1), min(2, abs()))");
    }
}
