//! Currency codes and amounts held as integer cents.

use std::fmt;
use std::iter::Sum;
use std::ops::Neg;

use crate::error::{LedgerError, Result};

/// A three-letter ISO-style currency code such as `EUR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Reads a code of exactly three upper-case ASCII letters.
    pub fn new(code: &str) -> Result<Currency> {
        let bytes = code.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(|b| b.is_ascii_uppercase()) {
            return Err(LedgerError::InvalidCurrency(code.to_string()));
        }
        let mut out = [0u8; 3];
        out.copy_from_slice(bytes);
        Ok(Currency(out))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of money: a signed number of cents in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Amount {
    cents: i64,
    currency: Currency,
}

impl Amount {
    pub fn new(cents: i64, currency: Currency) -> Amount {
        Amount { cents, currency }
    }

    pub fn zero(currency: Currency) -> Amount {
        Amount::new(0, currency)
    }

    pub fn cents(&self) -> i64 {
        self.cents
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn is_zero(&self) -> bool {
        self.cents == 0
    }

    /// Parses `"12.50 EUR"`, `"-3 USD"` or `"0.5 GBP"`.
    pub fn parse(text: &str) -> Result<Amount> {
        let mut words = text.split_whitespace();
        let number = words
            .next()
            .ok_or_else(|| LedgerError::InvalidAmount(text.to_string()))?;
        let code = words
            .next()
            .ok_or_else(|| LedgerError::InvalidAmount(text.to_string()))?;
        if words.next().is_some() {
            return Err(LedgerError::InvalidAmount(text.to_string()));
        }
        let cents = parse_cents(number)?;
        let currency = Currency::new(code)?;
        Ok(Amount::new(cents, currency))
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(self, other: Amount) -> Result<Amount> {
        self.same_currency(&other)?;
        let cents = self
            .cents
            .checked_add(other.cents)
            .ok_or(LedgerError::Overflow)?;
        Ok(Amount::new(cents, self.currency))
    }

    /// Subtracts `other` from `self`; both must share a currency.
    pub fn checked_sub(self, other: Amount) -> Result<Amount> {
        self.checked_add(-other)
    }

    /// Multiplies by a whole quantity.
    pub fn times(self, quantity: u32) -> Result<Amount> {
        let cents = self
            .cents
            .checked_mul(quantity as i64)
            .ok_or(LedgerError::Overflow)?;
        Ok(Amount::new(cents, self.currency))
    }

    /// Takes a share in basis points (1/100 of a percent), rounding half away from zero.
    pub fn basis_points(self, bp: u32) -> Amount {
        let scaled = self.cents as i128 * bp as i128;
        let half = if scaled < 0 { -5_000 } else { 5_000 };
        let cents = (scaled + half) / 10_000;
        Amount::new(cents as i64, self.currency)
    }

    /// Splits into `parts` amounts that differ by at most one cent and sum to `self`.
    pub fn split(self, parts: usize) -> Vec<Amount> {
        if parts == 0 {
            return Vec::new();
        }
        let base = self.cents / parts as i64;
        let remainder = (self.cents % parts as i64).unsigned_abs() as usize;
        let step = if self.cents < 0 { -1 } else { 1 };
        (0..parts)
            .map(|i| {
                let extra = if i < remainder { step } else { 0 };
                Amount::new(base + extra, self.currency)
            })
            .collect()
    }

    fn same_currency(&self, other: &Amount) -> Result<()> {
        if self.currency != other.currency {
            return Err(LedgerError::CurrencyMismatch {
                expected: self.currency,
                found: other.currency,
            });
        }
        Ok(())
    }
}

impl Neg for Amount {
    type Output = Amount;

    fn neg(self) -> Amount {
        Amount::new(-self.cents, self.currency)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        write!(f, "{sign}{}.{:02} {}", abs / 100, abs % 100, self.currency)
    }
}

/// Sums amounts that all share `currency`; the iterator may be empty.
pub fn total<'a, I>(currency: Currency, amounts: I) -> Result<Amount>
where
    I: IntoIterator<Item = &'a Amount>,
{
    let mut sum = Amount::zero(currency);
    for amount in amounts {
        sum = sum.checked_add(*amount)?;
    }
    Ok(sum)
}

/// A running total per currency, for amounts that do not need to match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    per_currency: Vec<Amount>,
}

impl Totals {
    pub fn add(&mut self, amount: Amount) -> Result<()> {
        match self
            .per_currency
            .iter_mut()
            .find(|a| a.currency() == amount.currency())
        {
            Some(slot) => *slot = slot.checked_add(amount)?,
            None => self.per_currency.push(amount),
        }
        Ok(())
    }

    pub fn get(&self, currency: Currency) -> i64 {
        self.per_currency
            .iter()
            .find(|a| a.currency() == currency)
            .map_or(0, |a| a.cents())
    }

    pub fn is_balanced(&self) -> bool {
        self.per_currency.iter().all(|a| a.is_zero())
    }

    pub fn non_zero(&self) -> impl Iterator<Item = &Amount> + '_ {
        self.per_currency.iter().filter(|a| !a.is_zero())
    }
}

impl<'a> Sum<&'a Amount> for Totals {
    fn sum<I: Iterator<Item = &'a Amount>>(iter: I) -> Totals {
        let mut totals = Totals::default();
        for amount in iter {
            // Overflow in a sum is reported by `add`; here it saturates to the old value.
            let _ = totals.add(*amount);
        }
        totals
    }
}

/// Reads `"12"`, `"12.5"`, `"-0.05"` as cents. At most two decimals.
pub fn parse_cents(text: &str) -> Result<i64> {
    let invalid = || LedgerError::InvalidAmount(text.to_string());
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let whole: i64 = whole.parse()?;
    let mut frac_cents: i64 = if frac.is_empty() { 0 } else { frac.parse()? };
    if frac.len() == 1 {
        frac_cents *= 10;
    }
    let cents = whole
        .checked_mul(100)
        .and_then(|c| c.checked_add(frac_cents))
        .ok_or(LedgerError::Overflow)?;
    Ok(if negative { -cents } else { cents })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::new("EUR").unwrap()
    }

    #[test]
    fn currency_requires_three_upper_letters() {
        assert!(Currency::new("EUR").is_ok());
        assert!(Currency::new("eur").is_err());
        assert!(Currency::new("EURO").is_err());
        assert_eq!(eur().to_string(), "EUR");
    }

    #[test]
    fn parse_cents_handles_decimals_and_sign() {
        assert_eq!(parse_cents("12").unwrap(), 1200);
        assert_eq!(parse_cents("12.5").unwrap(), 1250);
        assert_eq!(parse_cents("12.05").unwrap(), 1205);
        assert_eq!(parse_cents("-0.05").unwrap(), -5);
        assert!(parse_cents("1.234").is_err());
        assert!(parse_cents(".5").is_err());
        assert!(parse_cents("1,5").is_err());
    }

    #[test]
    fn parse_cents_reports_overflow() {
        assert_eq!(parse_cents("99999999999999999"), Err(LedgerError::Overflow));
    }

    #[test]
    fn amount_parse_and_display_round_trip() {
        let a = Amount::parse("-3.07 EUR").unwrap();
        assert_eq!(a.cents(), -307);
        assert_eq!(a.to_string(), "-3.07 EUR");
        assert_eq!(Amount::parse("0.5 USD").unwrap().to_string(), "0.50 USD");
        assert!(Amount::parse("1 EUR extra").is_err());
        assert!(Amount::parse("1").is_err());
    }

    #[test]
    fn add_refuses_mixed_currencies() {
        let a = Amount::new(100, eur());
        let b = Amount::new(100, Currency::new("USD").unwrap());
        assert!(matches!(
            a.checked_add(b),
            Err(LedgerError::CurrencyMismatch { .. })
        ));
        assert_eq!(a.checked_sub(a).unwrap(), Amount::zero(eur()));
    }

    #[test]
    fn split_distributes_the_remainder() {
        let parts = Amount::new(1000, eur()).split(3);
        let cents: Vec<i64> = parts.iter().map(|a| a.cents()).collect();
        assert_eq!(cents, vec![334, 333, 333]);
        let negative = Amount::new(-1000, eur()).split(3);
        assert_eq!(negative[0].cents(), -334);
        assert_eq!(total(eur(), &negative).unwrap().cents(), -1000);
        assert!(Amount::new(5, eur()).split(0).is_empty());
    }

    #[test]
    fn basis_points_round_half_away_from_zero() {
        assert_eq!(Amount::new(1000, eur()).basis_points(1250).cents(), 125);
        assert_eq!(Amount::new(5, eur()).basis_points(5000).cents(), 3);
        assert_eq!(Amount::new(-5, eur()).basis_points(5000).cents(), -3);
    }

    #[test]
    fn times_detects_overflow() {
        assert_eq!(Amount::new(250, eur()).times(4).unwrap().cents(), 1000);
        assert_eq!(
            Amount::new(i64::MAX / 2, eur()).times(3),
            Err(LedgerError::Overflow)
        );
    }

    #[test]
    fn totals_track_each_currency() {
        let usd = Currency::new("USD").unwrap();
        let amounts = [
            Amount::new(100, eur()),
            Amount::new(-40, usd),
            Amount::new(-100, eur()),
        ];
        let totals: Totals = amounts.iter().sum();
        assert_eq!(totals.get(eur()), 0);
        assert_eq!(totals.get(usd), -40);
        assert!(!totals.is_balanced());
        assert_eq!(totals.non_zero().count(), 1);
    }
}
