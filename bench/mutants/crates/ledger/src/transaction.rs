//! Transactions: a date, a description and postings that sum to zero.

use std::collections::BTreeMap;

use crate::account::AccountName;
use crate::amount::{Amount, Currency};
use crate::date::Date;
use crate::error::{LedgerError, Result};

/// One leg of a transaction. The amount may be left out on one posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub account: AccountName,
    pub amount: Option<Amount>,
}

impl Posting {
    pub fn new(account: AccountName, amount: Amount) -> Posting {
        Posting {
            account,
            amount: Some(amount),
        }
    }

    pub fn elided(account: AccountName) -> Posting {
        Posting {
            account,
            amount: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub date: Date,
    pub description: String,
    pub postings: Vec<Posting>,
    pub tags: Vec<String>,
}

impl Transaction {
    pub fn new(date: Date, description: &str) -> Transaction {
        Transaction {
            date,
            description: description.to_string(),
            postings: Vec::new(),
            tags: Vec::new(),
        }
    }

    pub fn post(mut self, account: AccountName, amount: Amount) -> Transaction {
        self.postings.push(Posting::new(account, amount));
        self
    }

    pub fn post_rest(mut self, account: AccountName) -> Transaction {
        self.postings.push(Posting::elided(account));
        self
    }

    pub fn tag(&mut self, tag: &str) {
        if !self.tags.iter().any(|t| t == tag) {
            self.tags.push(tag.to_string());
        }
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// The sum of the explicit amounts, per currency.
    pub fn residuals(&self) -> Result<BTreeMap<Currency, i64>> {
        let mut sums: BTreeMap<Currency, i64> = BTreeMap::new();
        for posting in &self.postings {
            if let Some(amount) = posting.amount {
                let entry = sums.entry(amount.currency()).or_insert(0);
                *entry = entry
                    .checked_add(amount.cents())
                    .ok_or(LedgerError::Overflow)?;
            }
        }
        Ok(sums)
    }

    /// Fills in the elided posting (if any) and checks that every currency sums to zero.
    ///
    /// An elided posting takes the opposite of the residual; when several currencies
    /// are left over, the elided posting is split into one posting per currency.
    pub fn balance(&mut self) -> Result<()> {
        let elided: Vec<usize> = self
            .postings
            .iter()
            .enumerate()
            .filter(|(_, p)| p.amount.is_none())
            .map(|(i, _)| i)
            .collect();
        if elided.len() > 1 {
            return Err(LedgerError::AmbiguousPosting);
        }
        let residuals = self.residuals()?;
        let open: Vec<(Currency, i64)> = residuals
            .into_iter()
            .filter(|(_, cents)| *cents != 0)
            .collect();
        match elided.first() {
            Some(&index) => {
                let account = self.postings[index].account.clone();
                self.postings.remove(index);
                for (offset, (currency, cents)) in open.iter().enumerate() {
                    let posting = Posting::new(account.clone(), Amount::new(-cents, *currency));
                    self.postings.insert(index + offset, posting);
                }
                Ok(())
            }
            None => match open.first() {
                Some(&(currency, residual)) => Err(LedgerError::Unbalanced { currency, residual }),
                None => Ok(()),
            },
        }
    }

    /// Postings to accounts at or below `account`.
    pub fn postings_under<'t>(
        &'t self,
        account: &'t AccountName,
    ) -> impl Iterator<Item = &'t Posting> + 't {
        self.postings
            .iter()
            .filter(move |p| p.account.is_under(account))
    }

    /// The total amount of this transaction that moves into `account` (or its children).
    pub fn flow_into(&self, account: &AccountName, currency: Currency) -> i64 {
        self.postings_under(account)
            .filter_map(|p| p.amount)
            .filter(|a| a.currency() == currency)
            .map(|a| a.cents())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(cents: i64) -> Amount {
        Amount::new(cents, Currency::new("EUR").unwrap())
    }

    fn usd(cents: i64) -> Amount {
        Amount::new(cents, Currency::new("USD").unwrap())
    }

    fn acct(text: &str) -> AccountName {
        AccountName::parse(text).unwrap()
    }

    fn day() -> Date {
        Date::new(2024, 3, 1).unwrap()
    }

    #[test]
    fn balanced_transaction_is_accepted() {
        let mut tx = Transaction::new(day(), "rent")
            .post(acct("Expenses:Rent"), eur(90_000))
            .post(acct("Assets:Bank"), eur(-90_000));
        assert_eq!(tx.balance(), Ok(()));
        assert_eq!(tx.postings.len(), 2);
    }

    #[test]
    fn unbalanced_transaction_reports_residual() {
        let mut tx = Transaction::new(day(), "oops")
            .post(acct("Expenses:Food"), eur(1_000))
            .post(acct("Assets:Bank"), eur(-900));
        let err = tx.balance().unwrap_err();
        assert_eq!(
            err,
            LedgerError::Unbalanced {
                currency: Currency::new("EUR").unwrap(),
                residual: 100
            }
        );
    }

    #[test]
    fn elided_posting_is_filled_per_currency() {
        let mut tx = Transaction::new(day(), "trip")
            .post(acct("Expenses:Travel"), eur(500))
            .post(acct("Expenses:Travel"), usd(700))
            .post_rest(acct("Assets:Cash"));
        tx.balance().unwrap();
        assert_eq!(tx.postings.len(), 4);
        assert_eq!(tx.postings[2].amount, Some(eur(-500)));
        assert_eq!(tx.postings[3].amount, Some(usd(-700)));
        assert!(tx.residuals().unwrap().values().all(|c| *c == 0));
    }

    #[test]
    fn two_elided_postings_are_ambiguous() {
        let mut tx = Transaction::new(day(), "?")
            .post(acct("Expenses:Food"), eur(1))
            .post_rest(acct("Assets:Cash"))
            .post_rest(acct("Assets:Bank"));
        assert_eq!(tx.balance(), Err(LedgerError::AmbiguousPosting));
    }

    #[test]
    fn tags_are_unique_and_flow_sums_children() {
        let mut tx = Transaction::new(day(), "groceries")
            .post(acct("Expenses:Food:Market"), eur(300))
            .post(acct("Expenses:Food:Bakery"), eur(200))
            .post(acct("Assets:Bank"), eur(-500));
        tx.tag("food");
        tx.tag("food");
        assert_eq!(tx.tags, vec!["food".to_string()]);
        assert!(tx.has_tag("food"));
        let food = acct("Expenses:Food");
        assert_eq!(tx.flow_into(&food, Currency::new("EUR").unwrap()), 500);
        assert_eq!(tx.postings_under(&food).count(), 2);
    }
}
