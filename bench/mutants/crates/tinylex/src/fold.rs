//! Constant folding: rewrites sub-trees that need no variables into literals.

use crate::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::eval::{Env, Evaluator, Value};

/// Statistics of one folding pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FoldStats {
    pub folded: usize,
    pub branches_pruned: usize,
}

/// Folds `expr` bottom-up. Sub-trees whose evaluation fails are left untouched,
/// so the error still happens (with its span) when the whole tree is evaluated.
pub fn fold<'a>(expr: &Expr<'a>, stats: &mut FoldStats) -> Expr<'a> {
    let span = expr.span;
    let kind = match &expr.kind {
        ExprKind::Int(_) | ExprKind::Bool(_) | ExprKind::Var(_) => return expr.clone(),
        ExprKind::Unary { op, operand } => ExprKind::Unary {
            op: *op,
            operand: Box::new(fold(operand, stats)),
        },
        ExprKind::Binary { op, lhs, rhs } => ExprKind::Binary {
            op: *op,
            lhs: Box::new(fold(lhs, stats)),
            rhs: Box::new(fold(rhs, stats)),
        },
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            let cond = fold(cond, stats);
            match cond.kind {
                ExprKind::Bool(true) => {
                    stats.branches_pruned += 1;
                    return fold(then_branch, stats);
                }
                ExprKind::Bool(false) => {
                    stats.branches_pruned += 1;
                    return fold(else_branch, stats);
                }
                _ => ExprKind::If {
                    cond: Box::new(cond),
                    then_branch: Box::new(fold(then_branch, stats)),
                    else_branch: Box::new(fold(else_branch, stats)),
                },
            }
        }
        ExprKind::Let { name, value, body } => ExprKind::Let {
            name,
            value: Box::new(fold(value, stats)),
            body: Box::new(fold(body, stats)),
        },
        ExprKind::Call { name, args } => ExprKind::Call {
            name,
            args: args.iter().map(|a| fold(a, stats)).collect(),
        },
    };
    let rebuilt = Expr::new(kind, span);
    if is_constant(&rebuilt) {
        if let Some(literal) = evaluate_constant(&rebuilt) {
            stats.folded += 1;
            return literal;
        }
    }
    rebuilt
}

/// Whether every child is already a literal (so evaluation needs no environment).
fn is_constant(expr: &Expr<'_>) -> bool {
    let literal = |e: &Expr<'_>| matches!(e.kind, ExprKind::Int(_) | ExprKind::Bool(_));
    match &expr.kind {
        ExprKind::Unary { operand, .. } => literal(operand),
        ExprKind::Binary { lhs, rhs, .. } => literal(lhs) && literal(rhs),
        ExprKind::Call { args, .. } => args.iter().all(literal),
        _ => false,
    }
}

fn evaluate_constant<'a>(expr: &Expr<'a>) -> Option<Expr<'a>> {
    let mut env = Env::new();
    let mut evaluator = Evaluator::new(&mut env).with_limit(64);
    let value = evaluator.eval(expr).ok()?;
    let kind = match value {
        Value::Int(n) => ExprKind::Int(n),
        Value::Bool(b) => ExprKind::Bool(b),
    };
    Some(Expr::new(kind, expr.span))
}

/// Algebraic identities that hold for every integer: `x + 0`, `x * 1`, `x * 0`, `!!b`.
pub fn simplify<'a>(expr: Expr<'a>) -> Expr<'a> {
    let span = expr.span;
    match expr.kind {
        ExprKind::Binary { op, lhs, rhs } => {
            let lhs = simplify(*lhs);
            let rhs = simplify(*rhs);
            match (op, &lhs.kind, &rhs.kind) {
                (BinaryOp::Add, _, ExprKind::Int(0)) | (BinaryOp::Mul, _, ExprKind::Int(1)) => lhs,
                (BinaryOp::Add, ExprKind::Int(0), _) | (BinaryOp::Mul, ExprKind::Int(1), _) => rhs,
                (BinaryOp::Sub, _, ExprKind::Int(0)) => lhs,
                _ => Expr::new(
                    ExprKind::Binary {
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span,
                ),
            }
        }
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => match operand.kind {
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand: inner,
            } => simplify(*inner),
            other => Expr::new(
                ExprKind::Unary {
                    op: UnaryOp::Not,
                    operand: Box::new(simplify(Expr::new(other, operand.span))),
                },
                span,
            ),
        },
        kind => Expr::new(kind, span),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse;

    fn folded(src: &str) -> (String, FoldStats) {
        let mut stats = FoldStats::default();
        let expr = fold(&parse(src).unwrap(), &mut stats);
        (expr.to_string(), stats)
    }

    #[test]
    fn folds_constant_sub_trees() {
        let (text, stats) = folded("x + 2 * 3");
        assert_eq!(text, "(x + 6)");
        assert_eq!(stats.folded, 1);
        let (text, _) = folded("max(1 + 1, 3) * y");
        assert_eq!(text, "(3 * y)");
    }

    #[test]
    fn prunes_constant_branches() {
        let (text, stats) = folded("if 1 < 2 then a else b");
        assert_eq!(text, "a");
        assert_eq!(stats.branches_pruned, 1);
        assert_eq!(stats.folded, 1);
    }

    #[test]
    fn leaves_failing_sub_trees_alone() {
        let (text, stats) = folded("x + 1 / 0");
        assert_eq!(text, "(x + (1 / 0))");
        assert_eq!(stats.folded, 0);
    }

    #[test]
    fn simplify_applies_identities() {
        let e = simplify(parse("(x + 0) * 1 - 0").unwrap());
        assert_eq!(e.to_string(), "x");
        let e = simplify(parse("!!(0 + b)").unwrap());
        assert_eq!(e.to_string(), "b");
        let e = simplify(parse("!(y * 1)").unwrap());
        assert_eq!(e.to_string(), "(!y)");
    }
}
