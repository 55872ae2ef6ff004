//! The ledger itself: opened accounts and posted transactions.

use std::collections::HashMap;

use crate::account::{Account, AccountName};
use crate::amount::Currency;
use crate::date::Date;
use crate::error::{LedgerError, Result};
use crate::parser::{self, Directive};
use crate::transaction::Transaction;

#[derive(Debug, Clone, Default)]
pub struct Ledger {
    accounts: HashMap<AccountName, Account>,
    transactions: Vec<Transaction>,
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Reads a ledger in the text format and applies every directive in order.
    pub fn from_text(input: &str) -> Result<Ledger> {
        let mut ledger = Ledger::new();
        for directive in parser::parse(input)? {
            ledger.apply(directive)?;
        }
        Ok(ledger)
    }

    pub fn apply(&mut self, directive: Directive) -> Result<()> {
        match directive {
            Directive::Open {
                date,
                account,
                currencies,
            } => self.open(account, date, &currencies),
            Directive::Close { date, account } => self.close(&account, date),
            Directive::Transaction(tx) => self.post(tx),
        }
    }

    pub fn open(&mut self, name: AccountName, date: Date, currencies: &[Currency]) -> Result<()> {
        if self.accounts.contains_key(&name) {
            return Err(LedgerError::DuplicateAccount(name.to_string()));
        }
        let account = Account::new(name.clone(), date).with_currencies(currencies);
        self.accounts.insert(name, account);
        Ok(())
    }

    pub fn close(&mut self, name: &AccountName, date: Date) -> Result<()> {
        let account = self
            .accounts
            .get_mut(name)
            .ok_or_else(|| LedgerError::UnknownAccount(name.to_string()))?;
        account.close(date)
    }

    /// Balances the transaction, checks every posting against its account and records it.
    pub fn post(&mut self, mut tx: Transaction) -> Result<()> {
        tx.balance()?;
        for posting in &tx.postings {
            let account = self.account(&posting.account)?;
            if let Some(amount) = posting.amount {
                account.check_posting(amount.currency(), tx.date)?;
            }
        }
        let at = self
            .transactions
            .partition_point(|existing| existing.date <= tx.date);
        self.transactions.insert(at, tx);
        Ok(())
    }

    pub fn account(&self, name: &AccountName) -> Result<&Account> {
        self.accounts
            .get(name)
            .ok_or_else(|| LedgerError::UnknownAccount(name.to_string()))
    }

    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    pub fn transactions(&self) -> &[Transaction] {
        &self.transactions
    }

    /// Transactions dated in `[from, to)`.
    pub fn between(&self, from: Date, to: Date) -> impl Iterator<Item = &Transaction> + '_ {
        self.transactions
            .iter()
            .filter(move |tx| tx.date >= from && tx.date < to)
    }

    /// The balance of exactly `name` (children excluded) in `currency`, up to and including `until`.
    pub fn balance_of(&self, name: &AccountName, currency: Currency, until: Option<Date>) -> i64 {
        self.transactions
            .iter()
            .filter(|tx| until.is_none_or(|d| tx.date <= d))
            .flat_map(|tx| tx.postings.iter())
            .filter(|p| &p.account == name)
            .filter_map(|p| p.amount)
            .filter(|a| a.currency() == currency)
            .map(|a| a.cents())
            .sum()
    }

    /// The balance of `name` together with all of its children.
    pub fn rolled_up(&self, name: &AccountName, currency: Currency) -> i64 {
        self.transactions
            .iter()
            .map(|tx| tx.flow_into(name, currency))
            .sum()
    }

    /// Removes every transaction tagged `tag` and returns how many went.
    pub fn drop_tagged(&mut self, tag: &str) -> usize {
        let before = self.transactions.len();
        self.transactions.retain(|tx| !tx.has_tag(tag));
        before - self.transactions.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
2024-01-01 open Assets:Bank EUR
2024-01-01 open Expenses:Food EUR
2024-01-01 open Expenses:Rent
2024-01-01 open Equity:Opening
2024-01-01 \"opening\"
  Assets:Bank 1000 EUR
  Equity:Opening
2024-02-01 \"rent\" #fixed
  Expenses:Rent 600 EUR
  Assets:Bank
2024-01-10 \"food\"
  Expenses:Food 45.20 EUR
  Assets:Bank
";

    fn eur() -> Currency {
        Currency::new("EUR").unwrap()
    }

    fn name(text: &str) -> AccountName {
        AccountName::parse(text).unwrap()
    }

    #[test]
    fn from_text_posts_in_date_order() {
        let ledger = Ledger::from_text(TEXT).unwrap();
        let descriptions: Vec<&str> = ledger
            .transactions()
            .iter()
            .map(|t| t.description.as_str())
            .collect();
        assert_eq!(descriptions, vec!["opening", "food", "rent"]);
        assert_eq!(ledger.accounts().count(), 4);
    }

    #[test]
    fn balances_respect_dates_and_children() {
        let ledger = Ledger::from_text(TEXT).unwrap();
        let bank = name("Assets:Bank");
        assert_eq!(ledger.balance_of(&bank, eur(), None), 100_000 - 60_000 - 4_520);
        let jan = Date::new(2024, 1, 31).unwrap();
        assert_eq!(ledger.balance_of(&bank, eur(), Some(jan)), 100_000 - 4_520);
        assert_eq!(ledger.rolled_up(&name("Expenses"), eur()), 64_520);
    }

    #[test]
    fn unknown_and_duplicate_accounts_are_errors() {
        let mut ledger = Ledger::from_text(TEXT).unwrap();
        let day = Date::new(2024, 3, 1).unwrap();
        assert_eq!(
            ledger.open(name("Assets:Bank"), day, &[]),
            Err(LedgerError::DuplicateAccount("Assets:Bank".into()))
        );
        let tx = Transaction::new(day, "x")
            .post(name("Assets:Cash"), crate::amount::Amount::new(5, eur()))
            .post_rest(name("Assets:Bank"));
        assert_eq!(
            ledger.post(tx),
            Err(LedgerError::UnknownAccount("Assets:Cash".into()))
        );
    }

    #[test]
    fn closed_accounts_refuse_postings() {
        let text = format!("{TEXT}2024-03-01 close Expenses:Food\n2024-03-05 \"late\"\n  Expenses:Food 1 EUR\n  Assets:Bank\n");
        let err = Ledger::from_text(&text).unwrap_err();
        assert!(matches!(err, LedgerError::AccountClosed { .. }), "{err}");
        assert_eq!(err.to_string(), "account `Expenses:Food` is not open on 2024-03-05");
    }

    #[test]
    fn between_and_drop_tagged() {
        let mut ledger = Ledger::from_text(TEXT).unwrap();
        let from = Date::new(2024, 1, 2).unwrap();
        let to = Date::new(2024, 2, 1).unwrap();
        assert_eq!(ledger.between(from, to).count(), 1);
        assert_eq!(ledger.drop_tagged("fixed"), 1);
        assert_eq!(ledger.transactions().len(), 2);
    }
}
