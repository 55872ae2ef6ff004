//! Balance reports: per-account totals, roll-ups to parents, and a text rendering.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::account::{AccountKind, AccountName};
use crate::amount::{Amount, Currency};
use crate::book::Ledger;
use crate::date::Date;

/// Balances per account and currency, in cents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BalanceReport {
    rows: BTreeMap<AccountName, BTreeMap<Currency, i64>>,
}

impl BalanceReport {
    /// Builds a report of every posting dated up to `until` (all of them when `None`).
    pub fn build(ledger: &Ledger, until: Option<Date>) -> BalanceReport {
        let mut report = BalanceReport::default();
        for tx in ledger.transactions() {
            if until.is_some_and(|d| tx.date > d) {
                continue;
            }
            for posting in &tx.postings {
                if let Some(amount) = posting.amount {
                    report.add(&posting.account, amount);
                }
            }
        }
        report
    }

    pub fn add(&mut self, account: &AccountName, amount: Amount) {
        let row = self.rows.entry(account.clone()).or_default();
        *row.entry(amount.currency()).or_insert(0) += amount.cents();
    }

    pub fn get(&self, account: &AccountName, currency: Currency) -> i64 {
        self.rows
            .get(account)
            .and_then(|row| row.get(&currency))
            .copied()
            .unwrap_or(0)
    }

    pub fn accounts(&self) -> impl Iterator<Item = &AccountName> {
        self.rows.keys()
    }

    pub fn currencies(&self) -> BTreeSet<Currency> {
        self.rows
            .values()
            .flat_map(|row| row.keys().copied())
            .collect()
    }

    /// Adds every account's balance to each of its ancestors as well.
    pub fn rolled_up(&self) -> BalanceReport {
        let mut out = BalanceReport::default();
        for (account, row) in &self.rows {
            let mut targets = account.ancestors();
            targets.push(account.clone());
            for target in targets {
                let entry = out.rows.entry(target).or_default();
                for (currency, cents) in row {
                    *entry.entry(*currency).or_insert(0) += *cents;
                }
            }
        }
        out
    }

    /// Sum of all rows per currency; zero everywhere for a consistent ledger.
    pub fn trial_balance(&self) -> BTreeMap<Currency, i64> {
        let mut sums = BTreeMap::new();
        for row in self.rows.values() {
            for (currency, cents) in row {
                *sums.entry(*currency).or_insert(0) += cents;
            }
        }
        sums
    }

    /// Assets minus liabilities in `currency` (liabilities are held negative).
    pub fn net_worth(&self, currency: Currency) -> i64 {
        self.rows
            .iter()
            .filter(|(account, _)| {
                matches!(account.kind(), AccountKind::Assets | AccountKind::Liabilities)
            })
            .filter_map(|(_, row)| row.get(&currency))
            .sum()
    }

    /// Keeps only the rows of one kind.
    pub fn of_kind(&self, kind: AccountKind) -> BalanceReport {
        let rows = self
            .rows
            .iter()
            .filter(|(account, _)| account.kind() == kind)
            .map(|(account, row)| (account.clone(), row.clone()))
            .collect();
        BalanceReport { rows }
    }

    /// Renders one line per account and currency, amounts right-aligned.
    pub fn render(&self) -> String {
        let width = self
            .rows
            .keys()
            .map(|a| a.as_str().len())
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        for (account, row) in &self.rows {
            for (currency, cents) in row {
                let amount = Amount::new(*cents, *currency);
                let _ = writeln!(out, "{:<width$}  {:>14}", account.as_str(), amount.to_string());
            }
        }
        out
    }
}

/// The share of each expense account in the total, in basis points, largest first.
pub fn expense_shares(report: &BalanceReport, currency: Currency) -> Vec<(AccountName, u32)> {
    let expenses = report.of_kind(AccountKind::Expenses);
    let total: i64 = expenses
        .rows
        .values()
        .filter_map(|row| row.get(&currency))
        .sum();
    if total <= 0 {
        return Vec::new();
    }
    let mut shares: Vec<(AccountName, u32)> = expenses
        .rows
        .iter()
        .filter_map(|(account, row)| {
            let cents = *row.get(&currency)?;
            let bp = (cents as i128 * 10_000 / total as i128) as u32;
            Some((account.clone(), bp))
        })
        .collect();
    shares.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
2024-01-01 open Assets:Bank:Checking
2024-01-01 open Assets:Bank:Savings
2024-01-01 open Liabilities:Card
2024-01-01 open Expenses:Food
2024-01-01 open Expenses:Rent
2024-01-01 open Equity:Opening
2024-01-01 \"opening\"
  Assets:Bank:Checking 2000 EUR
  Assets:Bank:Savings 500 EUR
  Equity:Opening
2024-01-03 \"card\"
  Expenses:Food 100 EUR
  Liabilities:Card
2024-02-01 \"rent\"
  Expenses:Rent 300 EUR
  Assets:Bank:Checking
";

    fn eur() -> Currency {
        Currency::new("EUR").unwrap()
    }

    fn name(text: &str) -> AccountName {
        AccountName::parse(text).unwrap()
    }

    fn report() -> BalanceReport {
        BalanceReport::build(&Ledger::from_text(TEXT).unwrap(), None)
    }

    #[test]
    fn build_sums_postings_per_account() {
        let r = report();
        assert_eq!(r.get(&name("Assets:Bank:Checking"), eur()), 170_000);
        assert_eq!(r.get(&name("Liabilities:Card"), eur()), -10_000);
        assert_eq!(r.get(&name("Assets:Bank"), eur()), 0);
        assert_eq!(r.currencies().len(), 1);
    }

    #[test]
    fn build_until_a_date() {
        let ledger = Ledger::from_text(TEXT).unwrap();
        let r = BalanceReport::build(&ledger, Some(Date::new(2024, 1, 31).unwrap()));
        assert_eq!(r.get(&name("Expenses:Rent"), eur()), 0);
        assert_eq!(r.accounts().count(), 5);
    }

    #[test]
    fn roll_up_and_trial_balance() {
        let r = report();
        let up = r.rolled_up();
        assert_eq!(up.get(&name("Assets:Bank"), eur()), 220_000);
        assert_eq!(up.get(&name("Assets"), eur()), 220_000);
        assert_eq!(up.get(&name("Expenses"), eur()), 40_000);
        assert!(r.trial_balance().values().all(|c| *c == 0));
        assert_eq!(r.net_worth(eur()), 210_000);
    }

    #[test]
    fn render_aligns_columns() {
        let text = report().of_kind(AccountKind::Expenses).render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "Expenses:Food      100.00 EUR");
        assert_eq!(lines[1], "Expenses:Rent      300.00 EUR");
    }

    #[test]
    fn expense_shares_in_basis_points() {
        let shares = expense_shares(&report(), eur());
        assert_eq!(shares[0], (name("Expenses:Rent"), 7_500));
        assert_eq!(shares[1], (name("Expenses:Food"), 2_500));
        let usd = Currency::new("USD").unwrap();
        assert!(expense_shares(&report(), usd).is_empty());
    }
}
