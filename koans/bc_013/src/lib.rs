pub struct Calculator {
    history: Vec<(String, i64)>,
}

impl Calculator {
    pub fn new() -> Self {
        Calculator { history: Vec::new() }
    }

    /// Evaluates a reverse-polish expression such as "3 4 + 2 *" and records it.
    pub fn eval(&self, expr: &str) -> Option<i64> {
        let mut stack: Vec<i64> = Vec::new();
        for token in expr.split_whitespace() {
            match token {
                "+" | "-" | "*" => {
                    let b = stack.pop()?;
                    let a = stack.pop()?;
                    stack.push(match token {
                        "+" => a + b,
                        "-" => a - b,
                        _ => a * b,
                    });
                }
                number => stack.push(number.parse().ok()?),
            }
        }
        let result = stack.pop()?;
        if !stack.is_empty() {
            return None;
        }
        self.history.push((expr.to_string(), result));
        Some(result)
    }

    pub fn last(&self) -> Option<&(String, i64)> {
        self.history.last()
    }

    pub fn history_len(&self) -> usize {
        self.history.len()
    }
}
