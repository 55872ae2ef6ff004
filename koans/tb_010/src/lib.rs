use std::fmt;

/// An amount of money in cents. Shown to users as `$D.CC`, e.g. `$4.05` or `$120.00`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Money {
    cents: u64,
}

impl Money {
    pub fn from_cents(cents: u64) -> Self {
        Money { cents }
    }

    pub fn times(self, qty: u32) -> Money {
        Money { cents: self.cents * qty as u64 }
    }
}

pub struct LineItem {
    pub name: String,
    pub unit_price: Money,
    pub qty: u32,
}

pub fn receipt(items: &[LineItem]) -> String {
    let mut out = String::new();
    let mut total = 0;
    for item in items {
        let cost = item.unit_price.times(item.qty);
        total += cost.cents;
        out.push_str(&format!("{} x{} @ {} = {}\n", item.name, item.qty, item.unit_price, cost));
    }
    out.push_str(&format!("TOTAL {}\n", Money::from_cents(total)));
    out
}
