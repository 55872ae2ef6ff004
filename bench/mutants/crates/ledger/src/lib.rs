//! A small double-entry ledger: integer-cent amounts, accounts with open periods,
//! balanced transactions, a text format and balance reports.

pub mod account;
pub mod amount;
pub mod book;
pub mod date;
pub mod error;
pub mod parser;
pub mod report;
pub mod transaction;

pub use account::{Account, AccountKind, AccountName};
pub use amount::{Amount, Currency};
pub use book::Ledger;
pub use date::Date;
pub use error::{LedgerError, Result};
pub use report::BalanceReport;
pub use transaction::{Posting, Transaction};

/// Reads a ledger and returns its rolled-up balance report rendered as text.
pub fn summarize(input: &str) -> Result<String> {
    let ledger = Ledger::from_text(input)?;
    let report = BalanceReport::build(&ledger, None).rolled_up();
    Ok(report.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarize_renders_rolled_up_balances() {
        let text = "\
2024-01-01 open Assets:Cash
2024-01-01 open Income:Salary
2024-01-31 \"pay\"
  Assets:Cash 10 EUR
  Income:Salary
";
        let out = summarize(text).unwrap();
        assert!(out.contains("Assets:Cash"));
        assert!(out.contains("-10.00 EUR"));
        assert_eq!(out.lines().count(), 4);
    }

    #[test]
    fn summarize_reports_parse_errors() {
        assert!(summarize("2024-01-01 open Nowhere:Cash\n").is_err());
    }
}
