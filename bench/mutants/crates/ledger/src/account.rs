//! Account names, kinds and the open/close period of an account.

use std::fmt;

use crate::amount::Currency;
use crate::date::Date;
use crate::error::{LedgerError, Result};

/// The five roots of a double-entry chart of accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountKind {
    Assets,
    Liabilities,
    Equity,
    Income,
    Expenses,
}

impl AccountKind {
    pub fn from_root(root: &str) -> Option<AccountKind> {
        match root {
            "Assets" => Some(AccountKind::Assets),
            "Liabilities" => Some(AccountKind::Liabilities),
            "Equity" => Some(AccountKind::Equity),
            "Income" => Some(AccountKind::Income),
            "Expenses" => Some(AccountKind::Expenses),
            _ => None,
        }
    }

    /// Whether a positive balance is the normal state (debit-normal accounts).
    pub fn is_debit_normal(&self) -> bool {
        matches!(self, AccountKind::Assets | AccountKind::Expenses)
    }

    /// Whether the account belongs on a balance sheet.
    pub fn is_balance_sheet(&self) -> bool {
        matches!(
            self,
            AccountKind::Assets | AccountKind::Liabilities | AccountKind::Equity
        )
    }
}

/// A colon-separated account path such as `Assets:Bank:Checking`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountName {
    path: String,
    kind: AccountKind,
}

impl AccountName {
    pub fn parse(text: &str) -> Result<AccountName> {
        let invalid = || LedgerError::InvalidAccount(text.to_string());
        let root = text.split(':').next().ok_or_else(invalid)?;
        let kind = AccountKind::from_root(root).ok_or_else(invalid)?;
        for segment in text.split(':') {
            let valid = !segment.is_empty()
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid {
                return Err(invalid());
            }
        }
        Ok(AccountName {
            path: text.to_string(),
            kind,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.path
    }

    pub fn kind(&self) -> AccountKind {
        self.kind
    }

    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.path.split(':')
    }

    pub fn depth(&self) -> usize {
        self.segments().count()
    }

    /// The last segment (`Checking` for `Assets:Bank:Checking`).
    pub fn leaf(&self) -> &str {
        self.segments().last().unwrap_or(&self.path)
    }

    /// The account one level up, if any.
    pub fn parent(&self) -> Option<AccountName> {
        let (head, _) = self.path.rsplit_once(':')?;
        Some(AccountName {
            path: head.to_string(),
            kind: self.kind,
        })
    }

    /// Every proper ancestor, nearest first.
    pub fn ancestors(&self) -> Vec<AccountName> {
        let mut out = Vec::new();
        let mut current = self.parent();
        while let Some(name) = current {
            current = name.parent();
            out.push(name);
        }
        out
    }

    /// Whether `self` is `other` or lies below it.
    pub fn is_under(&self, other: &AccountName) -> bool {
        self.path == other.path
            || (self.path.starts_with(&other.path)
                && self.path.as_bytes().get(other.path.len()) == Some(&b':'))
    }
}

impl fmt::Display for AccountName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)
    }
}

/// An account with the currencies it accepts and the days it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: AccountName,
    pub currencies: Vec<Currency>,
    pub opened: Date,
    pub closed: Option<Date>,
}

impl Account {
    pub fn new(name: AccountName, opened: Date) -> Account {
        Account {
            name,
            currencies: Vec::new(),
            opened,
            closed: None,
        }
    }

    pub fn with_currencies(mut self, currencies: &[Currency]) -> Account {
        self.currencies.extend_from_slice(currencies);
        self.currencies.sort();
        self.currencies.dedup();
        self
    }

    /// An account with no currency list accepts any currency.
    pub fn accepts(&self, currency: Currency) -> bool {
        self.currencies.is_empty() || self.currencies.contains(&currency)
    }

    pub fn is_open_on(&self, date: Date) -> bool {
        date >= self.opened && self.closed.is_none_or(|closed| date < closed)
    }

    pub fn close(&mut self, date: Date) -> Result<()> {
        if date < self.opened {
            return Err(LedgerError::AccountClosed {
                account: self.name.to_string(),
                date: date.to_string(),
            });
        }
        self.closed = Some(date);
        Ok(())
    }

    /// Checks that a posting in `currency` on `date` is allowed.
    pub fn check_posting(&self, currency: Currency, date: Date) -> Result<()> {
        if !self.is_open_on(date) {
            return Err(LedgerError::AccountClosed {
                account: self.name.to_string(),
                date: date.to_string(),
            });
        }
        if !self.accepts(currency) {
            return Err(LedgerError::CurrencyNotAllowed {
                account: self.name.to_string(),
                currency,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> AccountName {
        AccountName::parse(text).unwrap()
    }

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn parse_checks_root_and_segments() {
        assert_eq!(name("Assets:Bank").kind(), AccountKind::Assets);
        assert!(AccountName::parse("Stuff:Bank").is_err());
        assert!(AccountName::parse("Assets::Bank").is_err());
        assert!(AccountName::parse("Assets:Bank Account").is_err());
        assert!(AccountName::parse("").is_err());
    }

    #[test]
    fn parent_leaf_and_ancestors() {
        let n = name("Expenses:Food:Groceries");
        assert_eq!(n.leaf(), "Groceries");
        assert_eq!(n.depth(), 3);
        assert_eq!(n.parent(), Some(name("Expenses:Food")));
        let ancestors: Vec<String> = n.ancestors().iter().map(|a| a.to_string()).collect();
        assert_eq!(ancestors, vec!["Expenses:Food", "Expenses"]);
        assert_eq!(name("Expenses").parent(), None);
    }

    #[test]
    fn is_under_respects_segment_boundaries() {
        assert!(name("Assets:Bank:Checking").is_under(&name("Assets:Bank")));
        assert!(name("Assets:Bank").is_under(&name("Assets:Bank")));
        assert!(!name("Assets:Banking").is_under(&name("Assets:Bank")));
    }

    #[test]
    fn open_period_and_currencies() {
        let eur = Currency::new("EUR").unwrap();
        let usd = Currency::new("USD").unwrap();
        let mut acct = Account::new(name("Assets:Cash"), day("2024-01-01")).with_currencies(&[eur, eur]);
        assert_eq!(acct.currencies.len(), 1);
        assert!(acct.check_posting(eur, day("2024-06-01")).is_ok());
        assert!(matches!(
            acct.check_posting(usd, day("2024-06-01")),
            Err(LedgerError::CurrencyNotAllowed { .. })
        ));
        assert!(acct.check_posting(eur, day("2023-12-31")).is_err());
        acct.close(day("2024-07-01")).unwrap();
        assert!(!acct.is_open_on(day("2024-07-01")));
        assert!(acct.is_open_on(day("2024-06-30")));
        assert!(acct.close(day("2020-01-01")).is_err());
    }

    #[test]
    fn kinds_know_their_side() {
        assert!(AccountKind::Assets.is_debit_normal());
        assert!(!AccountKind::Income.is_debit_normal());
        assert!(AccountKind::Equity.is_balance_sheet());
        assert!(!AccountKind::Expenses.is_balance_sheet());
    }
}
