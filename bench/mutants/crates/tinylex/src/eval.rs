//! A tree-walking evaluator over integers and booleans with checked arithmetic.

use std::collections::HashMap;
use std::fmt;

use crate::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::error::{Error, EvalError};
use crate::parser::parse;
use crate::span::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Value {
    Int(i64),
    Bool(bool),
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Bool(_) => "bool",
        }
    }

    pub fn as_int(&self, span: Span) -> Result<i64, EvalError> {
        match self {
            Value::Int(n) => Ok(*n),
            other => Err(EvalError::TypeMismatch {
                expected: "int",
                found: other.type_name(),
                span,
            }),
        }
    }

    pub fn as_bool(&self, span: Span) -> Result<bool, EvalError> {
        match self {
            Value::Bool(b) => Ok(*b),
            other => Err(EvalError::TypeMismatch {
                expected: "bool",
                found: other.type_name(),
                span,
            }),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Nested scopes of variables; names borrow from the source or the caller.
#[derive(Debug, Clone, Default)]
pub struct Env<'a> {
    scopes: Vec<HashMap<&'a str, Value>>,
}

impl<'a> Env<'a> {
    pub fn new() -> Env<'a> {
        Env {
            scopes: vec![HashMap::new()],
        }
    }

    pub fn with_vars(vars: &[(&'a str, Value)]) -> Env<'a> {
        let mut env = Env::new();
        for (name, value) in vars {
            env.define(name, *value);
        }
        env
    }

    pub fn define(&mut self, name: &'a str, value: Value) {
        if self.scopes.is_empty() {
            self.scopes.push(HashMap::new());
        }
        let last = self.scopes.len() - 1;
        self.scopes[last].insert(name, value);
    }

    pub fn push(&mut self) {
        self.scopes.push(HashMap::new());
    }

    pub fn pop(&mut self) {
        self.scopes.pop();
    }

    /// The innermost binding of `name`.
    pub fn lookup(&self, name: &str) -> Option<Value> {
        self.scopes
            .iter()
            .rev()
            .find_map(|scope| scope.get(name).copied())
    }

    pub fn depth(&self) -> usize {
        self.scopes.len()
    }
}

/// Evaluates expressions against an environment, counting steps against a limit.
pub struct Evaluator<'e, 'a> {
    env: &'e mut Env<'a>,
    steps: u64,
    limit: u64,
}

impl<'e, 'a> Evaluator<'e, 'a> {
    pub fn new(env: &'e mut Env<'a>) -> Evaluator<'e, 'a> {
        Evaluator {
            env,
            steps: 0,
            limit: 1_000_000,
        }
    }

    pub fn with_limit(mut self, limit: u64) -> Evaluator<'e, 'a> {
        self.limit = limit;
        self
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    pub fn eval(&mut self, expr: &Expr<'a>) -> Result<Value, EvalError> {
        self.steps += 1;
        if self.steps > self.limit {
            return Err(EvalError::StepLimit(self.limit));
        }
        match &expr.kind {
            ExprKind::Int(n) => Ok(Value::Int(*n)),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Var(name) => self.env.lookup(name).ok_or_else(|| EvalError::UnknownVariable {
                name: name.to_string(),
                span: expr.span,
            }),
            ExprKind::Unary { op, operand } => {
                let value = self.eval(operand)?;
                match op {
                    UnaryOp::Neg => {
                        let n = value.as_int(operand.span)?;
                        let negated = n.checked_neg().ok_or(EvalError::Overflow { span: expr.span })?;
                        Ok(Value::Int(negated))
                    }
                    UnaryOp::Not => Ok(Value::Bool(!value.as_bool(operand.span)?)),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, expr.span),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                if self.eval(cond)?.as_bool(cond.span)? {
                    self.eval(then_branch)
                } else {
                    self.eval(else_branch)
                }
            }
            ExprKind::Let { name, value, body } => {
                let bound = self.eval(value)?;
                self.env.push();
                self.env.define(name, bound);
                let result = self.eval(body);
                self.env.pop();
                result
            }
            ExprKind::Call { name, args } => self.call(name, args, expr.span),
        }
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        lhs: &Expr<'a>,
        rhs: &Expr<'a>,
        span: Span,
    ) -> Result<Value, EvalError> {
        // The boolean operators short-circuit: the right side may never run.
        match op {
            BinaryOp::And => {
                let left = self.eval(lhs)?.as_bool(lhs.span)?;
                return Ok(Value::Bool(left && self.eval(rhs)?.as_bool(rhs.span)?));
            }
            BinaryOp::Or => {
                let left = self.eval(lhs)?.as_bool(lhs.span)?;
                return Ok(Value::Bool(left || self.eval(rhs)?.as_bool(rhs.span)?));
            }
            _ => {}
        }
        let left = self.eval(lhs)?;
        let right = self.eval(rhs)?;
        if let BinaryOp::Eq | BinaryOp::Ne = op {
            if left.type_name() != right.type_name() {
                return Err(EvalError::TypeMismatch {
                    expected: left.type_name(),
                    found: right.type_name(),
                    span: rhs.span,
                });
            }
            let equal = left == right;
            return Ok(Value::Bool(if op == BinaryOp::Eq { equal } else { !equal }));
        }
        let a = left.as_int(lhs.span)?;
        let b = right.as_int(rhs.span)?;
        let overflow = EvalError::Overflow { span };
        let value = match op {
            BinaryOp::Add => Value::Int(a.checked_add(b).ok_or(overflow)?),
            BinaryOp::Sub => Value::Int(a.checked_sub(b).ok_or(overflow)?),
            BinaryOp::Mul => Value::Int(a.checked_mul(b).ok_or(overflow)?),
            BinaryOp::Div | BinaryOp::Rem if b == 0 => {
                return Err(EvalError::DivisionByZero { span })
            }
            BinaryOp::Div => Value::Int(a.checked_div(b).ok_or(overflow)?),
            BinaryOp::Rem => Value::Int(a.checked_rem(b).ok_or(overflow)?),
            BinaryOp::Pow => Value::Int(pow(a, b, span)?),
            BinaryOp::Lt => Value::Bool(a < b),
            BinaryOp::Le => Value::Bool(a <= b),
            BinaryOp::Gt => Value::Bool(a > b),
            BinaryOp::Ge => Value::Bool(a >= b),
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::And | BinaryOp::Or => {
                unreachable!("handled above")
            }
        };
        Ok(value)
    }

    fn call(&mut self, name: &str, args: &[Expr<'a>], span: Span) -> Result<Value, EvalError> {
        let arity = match name {
            "abs" | "sign" => 1,
            "min" | "max" | "gcd" => 2,
            "clamp" => 3,
            _ => {
                return Err(EvalError::UnknownFunction {
                    name: name.to_string(),
                    span,
                })
            }
        };
        if args.len() != arity {
            return Err(EvalError::Arity {
                name: name.to_string(),
                expected: arity,
                found: args.len(),
            });
        }
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            values.push(self.eval(arg)?.as_int(arg.span)?);
        }
        let overflow = EvalError::Overflow { span };
        let result = match (name, values.as_slice()) {
            ("abs", [x]) => x.checked_abs().ok_or(overflow)?,
            ("sign", [x]) => x.signum(),
            ("min", [x, y]) => *x.min(y),
            ("max", [x, y]) => *x.max(y),
            ("gcd", [x, y]) => gcd(x.unsigned_abs(), y.unsigned_abs()) as i64,
            ("clamp", [x, lo, hi]) => (*x).clamp(*lo, (*hi).max(*lo)),
            _ => unreachable!("arity checked above"),
        };
        Ok(Value::Int(result))
    }
}

/// `base ^ exp` for a non-negative exponent that fits in `u32`.
fn pow(base: i64, exp: i64, span: Span) -> Result<i64, EvalError> {
    if exp < 0 {
        return Err(EvalError::NegativeExponent { span });
    }
    if exp > u32::MAX as i64 {
        return Err(EvalError::Overflow { span });
    }
    base.checked_pow(exp as u32)
        .ok_or(EvalError::Overflow { span })
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

/// Parses and evaluates `src` with integer variables.
pub fn eval_str(src: &str, vars: &[(&str, i64)]) -> Result<Value, Error> {
    let expr = parse(src)?;
    let mut env = Env::new();
    for (name, value) in vars {
        env.define(name, Value::Int(*value));
    }
    let mut evaluator = Evaluator::new(&mut env);
    let value = evaluator.eval(&expr)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> Result<Value, Error> {
        eval_str(src, &[])
    }

    #[test]
    fn arithmetic_and_comparisons() {
        assert_eq!(run("1 + 2 * 3 - 4"), Ok(Value::Int(3)));
        assert_eq!(run("7 / 2"), Ok(Value::Int(3)));
        assert_eq!(run("-7 % 3"), Ok(Value::Int(-1)));
        assert_eq!(run("2 ^ 10"), Ok(Value::Int(1024)));
        assert_eq!(run("3 <= 3 && 4 > 5"), Ok(Value::Bool(false)));
        assert_eq!(run("1 == 1 && true != false"), Ok(Value::Bool(true)));
    }

    #[test]
    fn variables_and_let_shadowing() {
        assert_eq!(eval_str("x * y", &[("x", 6), ("y", 7)]), Ok(Value::Int(42)));
        assert_eq!(run("let x = 1 in let x = x + 1 in x * 10"), Ok(Value::Int(20)));
        let err = run("let x = 1 in y").unwrap_err();
        assert_eq!(err.to_string(), "eval error: unknown variable `y`");
        assert_eq!(err.span(), Some(Span::new(13, 14)));
    }

    #[test]
    fn checked_arithmetic_errors() {
        assert!(matches!(
            run("1 / (2 - 2)"),
            Err(Error::Eval(EvalError::DivisionByZero { .. }))
        ));
        assert!(matches!(
            run("9223372036854775807 + 1"),
            Err(Error::Eval(EvalError::Overflow { .. }))
        ));
        assert!(matches!(
            run("2 ^ -1"),
            Err(Error::Eval(EvalError::NegativeExponent { .. }))
        ));
        assert!(matches!(
            run("2 ^ 4294967296"),
            Err(Error::Eval(EvalError::Overflow { .. }))
        ));
    }

    #[test]
    fn type_errors_point_at_the_operand() {
        let src = "1 + true";
        let err = run(src).unwrap_err();
        assert_eq!(err.to_string(), "eval error: expected int, found bool");
        assert_eq!(err.span().unwrap().slice(src), "true");
        assert!(run("if 1 then 2 else 3").is_err());
        assert!(run("1 == true").is_err());
    }

    #[test]
    fn short_circuit_skips_the_right_side() {
        assert_eq!(run("false && 1 / 0 == 0"), Ok(Value::Bool(false)));
        assert_eq!(run("true || missing"), Ok(Value::Bool(true)));
        assert_eq!(run("if false then 1 / 0 else 5"), Ok(Value::Int(5)));
    }

    #[test]
    fn builtin_functions() {
        assert_eq!(run("abs(-5) + sign(-3)"), Ok(Value::Int(4)));
        assert_eq!(run("min(3, 9) * max(3, 9)"), Ok(Value::Int(27)));
        assert_eq!(run("gcd(-12, 18)"), Ok(Value::Int(6)));
        assert_eq!(run("clamp(15, 0, 10)"), Ok(Value::Int(10)));
        assert!(matches!(
            run("max(1)"),
            Err(Error::Eval(EvalError::Arity { expected: 2, found: 1, .. }))
        ));
        assert!(matches!(
            run("sqrt(4)"),
            Err(Error::Eval(EvalError::UnknownFunction { .. }))
        ));
    }

    #[test]
    fn step_limit_stops_evaluation() {
        let expr = parse("1 + 2 + 3 + 4").unwrap();
        let mut env = Env::new();
        let mut evaluator = Evaluator::new(&mut env).with_limit(3);
        assert_eq!(evaluator.eval(&expr), Err(EvalError::StepLimit(3)));
        let mut env = Env::with_vars(&[("a", Value::Bool(true))]);
        let mut evaluator = Evaluator::new(&mut env);
        assert_eq!(evaluator.eval(&parse("!a").unwrap()), Ok(Value::Bool(false)));
        assert_eq!(evaluator.steps(), 2);
    }

    #[test]
    fn env_scopes_nest() {
        let mut env = Env::new();
        env.define("x", Value::Int(1));
        env.push();
        env.define("x", Value::Int(2));
        assert_eq!(env.lookup("x"), Some(Value::Int(2)));
        assert_eq!(env.depth(), 2);
        env.pop();
        assert_eq!(env.lookup("x"), Some(Value::Int(1)));
        assert_eq!(env.lookup("y"), None);
    }
}
