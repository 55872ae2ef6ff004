/// Evaluates a reverse-Polish expression such as "3 4 + 2 *".
pub fn eval_rpn(expr: &str) -> Result<i64, String> {
    let mut stack: Vec<i64> = Vec::new();
    for tok in expr.split_whitespace() {
        if let Ok(n) = tok.parse::<i64>() {
            stack.push(n);
            continue;
        }
        let rhs = stack.pop()?;
        let lhs = stack.pop()?;
        let value = match tok {
            "+" => lhs + rhs,
            "-" => lhs - rhs,
            "*" => lhs * rhs,
            "/" if rhs == 0 => return Err("division by zero".to_string()),
            "/" => lhs / rhs,
            other => return Err(format!("unknown operator '{}'", other)),
        };
        stack.push(value);
    }
    match stack.as_slice() {
        [single] => Ok(*single),
        [] => Err("empty expression".to_string()),
        rest => Err(format!("{} values left on the stack", rest.len())),
    }
}
