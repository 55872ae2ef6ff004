use std::collections::HashMap;

/// A tiny ledger: account name -> balance in cents.
#[derive(Debug, Default)]
pub struct Ledger {
    balances: HashMap<String, i64>,
}

impl Ledger {
    pub fn new() -> Self {
        Ledger::default()
    }

    pub fn balance(&self, account: &str) -> i64 {
        match self.balances.get(account) {
            Some(cents) => *cents,
            None => 0,
        }
    }

    pub fn accounts(&self) -> usize {
        self.balances.len()
    }

    /// Applies lines of the form "account amount", e.g. "alice -250".
    /// Blank lines are skipped.
    pub fn apply(&mut self, lines: &[&str]) {
        for line in lines {
            let mut parts = line.split_whitespace();
            let account = match parts.next() {
                Some(name) => name,
                None => continue,
            };
            let amount: i64 = parts.next().unwrap_or("").parse()?;
            *self.balances.entry(account.to_string()).or_insert(0) += amount;
        }
    }
}
