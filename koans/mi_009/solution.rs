enum Txn {
    Deposit(i64),
    Withdraw(i64),
    Fee(i64),
}

fn parse_txn(line: &str) -> Option<Txn> {
    let (kind, amount) = line.split_once(' ')?;
    let amount: i64 = amount.trim().parse().ok()?;
    match kind {
        "dep" => Some(Txn::Deposit(amount)),
        "wd" => Some(Txn::Withdraw(amount)),
        "fee" => Some(Txn::Fee(amount)),
        _ => None,
    }
}

/// Applies transactions in order. Withdrawals that would overdraw the
/// account are rejected; fees are always charged.
fn settle(lines: &[&str]) -> (i64, usize) {
    let mut balance: i64 = 0;
    let mut rejected = 0;
    for line in lines {
        match parse_txn(line) {
            Some(Txn::Deposit(a)) => balance += a,
            Some(Txn::Withdraw(a)) if a <= balance => balance -= a,
            Some(Txn::Fee(a)) => balance -= a,
            _ => rejected += 1,
        }
    }
    (balance, rejected)
}

fn main() {
    let (balance, rejected) = settle(&["dep 100", "wd 30", "wd 500", "fee 2", "oops"]);
    println!("balance {balance}, rejected {rejected}");
}
