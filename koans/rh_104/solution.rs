/// Applies an inventory command (`add N`, `take N`, `count N`) to a stock level.
/// Returns false and leaves the stock alone for anything it cannot apply.
pub fn apply(stock: &mut i64, command: &str) -> bool {
    let (verb, amount) = match command.trim().split_once(' ') {
        Some(parts) => parts,
        None => return false,
    };
    if let Ok(n) = amount.trim().parse::<i64>() {
        match verb {
            "add" if n >= 0 => *stock += n,
            "take" if n >= 0 && n <= *stock => *stock -= n,
            "count" if n >= 0 => *stock = n,
            _ => return false,
        }
        return true;
    }
    false
}

/// Replays a day's commands and returns the final stock and the rejected commands.
pub fn replay(start: i64, commands: &[&str]) -> (i64, Vec<String>) {
    let mut stock = start;
    let rejected = commands
        .iter()
        .filter(|c| !apply(&mut stock, c))
        .map(|c| c.to_string())
        .collect();
    (stock, rejected)
}
