use std::collections::HashMap;

/// A bank ledger: balances in cents by account, and a journal of every posting.
pub struct Ledger {
    balances: Vec<i64>,
    owners: HashMap<String, usize>,
    journal: Vec<String>,
}

impl Ledger {
    pub fn open(owners: &[&str]) -> Ledger {
        Ledger {
            balances: vec![0; owners.len()],
            owners: owners.iter().enumerate().map(|(i, o)| (o.to_string(), i)).collect(),
            journal: Vec::new(),
        }
    }

    fn post(&mut self, idx: usize, cents: i64) {
        self.balances[idx] += cents;
        self.journal.push(format!("#{} {:+}", idx, cents));
    }

    /// Posts a deposit (or a withdrawal when negative) and describes the balance before and after.
    pub fn apply(&mut self, owner: &str, cents: i64) -> Option<String> {
        let idx = *self.owners.get(owner)?;
        let before = self.balances[idx];
        self.post(idx, cents);
        Some(format!("{}: {} -> {}", owner, before, self.balances[idx]))
    }

    pub fn journal(&self) -> &[String] {
        &self.journal
    }
}
