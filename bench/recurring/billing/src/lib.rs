//! Invoices for a hosting company: line items, bulk orders, subscriptions,
//! metered storage and bandwidth, all in integer cents.
//!
//! Quantities and unit prices are `u32` (that is what the order forms and
//! the price list hold); every amount of money is a `u64` of cents.
//! House rule: operands are widened *before* they are multiplied,
//! `u64::from(a) * u64::from(b)`, because a product of two `u32`s overflows
//! at 42 million dollars' worth of cents, and big customers get there.

use std::fmt;

/// Basis points in one whole (100% = 10_000 bp).
pub const BASIS_POINTS: u64 = 10_000;

/// Why an invoice cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillingError {
    /// A discount above 100%.
    DiscountTooLarge { bp: u32 },
    /// A line with a quantity of zero.
    EmptyLine(String),
    /// An invoice with no lines at all.
    NoLines,
    /// The total does not fit the ledger's i64 column.
    TooLarge,
}

impl fmt::Display for BillingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BillingError::DiscountTooLarge { bp } => write!(f, "discount of {bp} bp is above 100%"),
            BillingError::EmptyLine(sku) => write!(f, "line `{sku}` has quantity 0"),
            BillingError::NoLines => write!(f, "an invoice needs at least one line"),
            BillingError::TooLarge => write!(f, "total does not fit the ledger"),
        }
    }
}

impl std::error::Error for BillingError {}

/// An amount of money in cents, printed as dollars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Cents(pub u64);

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dollars = self.0 / 100;
        let cents = self.0 % 100;
        let digits = dollars.to_string();
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        f.pad(&format!("${grouped}.{cents:02}"))
    }
}

/// One line of an order: `quantity` units of `sku` at `unit_cents` each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineItem {
    pub sku: String,
    pub quantity: u32,
    pub unit_cents: u32,
}

impl LineItem {
    pub fn new(sku: &str, quantity: u32, unit_cents: u32) -> LineItem {
        LineItem { sku: sku.to_string(), quantity, unit_cents }
    }

    /// Quantity times unit price.
    pub fn subtotal(&self) -> u64 {
        u64::from(self.quantity) * u64::from(self.unit_cents)
    }
}

/// Pallets of boxes of units, priced per unit.
pub fn bulk_order_cents(pallets: u32, units_per_pallet: u32, unit_cents: u32) -> u64 {
    u64::from(pallets) * u64::from(units_per_pallet) * u64::from(unit_cents)
}

/// A monthly plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub plan: String,
    pub seats: u32,
    pub seat_cents: u32,
    pub months: u32,
}

impl Subscription {
    /// What one month costs for all seats.
    pub fn monthly_cents(&self) -> u64 {
        u64::from(self.seats) * u64::from(self.seat_cents)
    }

    /// Seat-months sold, for the usage report.
    pub fn seat_months(&self) -> u64 {
        u64::from(self.seats) * u64::from(self.months)
    }

    /// What the whole term costs.
    pub fn term_cents(&self) -> u64 {
        self.monthly_cents() * u64::from(self.months)
    }
}

/// Metered usage: `units` of something at `cents_per_unit` each.
pub fn metered(units: u64, cents_per_unit: u32) -> u64 {
    units * u64::from(cents_per_unit)
}

/// Storage billed per gigabyte-day.
pub fn storage_cents(gigabytes: u32, days: u32, cents_per_gb_day: u32) -> u64 {
    let gb_days: u64 = u64::from(gigabytes) * u64::from(days);
    metered(gb_days, cents_per_gb_day)
}

/// Bandwidth billed per started megabyte, per region rate.
pub fn bandwidth_cents(bytes: u64, cents_per_mb: u32) -> u64 {
    metered(bytes.div_ceil(1_000_000), cents_per_mb)
}

/// Compute time: instance-hours at an hourly rate.
pub fn compute_cents(instances: u32, hours: u32, hourly_cents: u32) -> u64 {
    metered(u64::from(instances) * u64::from(hours), hourly_cents)
}

/// `amount` less `bp` basis points, rounded down to the cent.
pub fn apply_discount(amount: u64, bp: u32) -> Result<u64, BillingError> {
    if u64::from(bp) > BASIS_POINTS {
        return Err(BillingError::DiscountTooLarge { bp });
    }
    Ok(amount - amount * u64::from(bp) / BASIS_POINTS)
}

/// A finished invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub customer: String,
    pub lines: Vec<LineItem>,
    pub discount_bp: u32,
}

impl Invoice {
    pub fn new(customer: &str) -> Invoice {
        Invoice { customer: customer.to_string(), lines: Vec::new(), discount_bp: 0 }
    }

    pub fn add(&mut self, line: LineItem) -> Result<(), BillingError> {
        if line.quantity == 0 {
            return Err(BillingError::EmptyLine(line.sku));
        }
        self.lines.push(line);
        Ok(())
    }

    /// Sum of the lines before the discount.
    pub fn gross_cents(&self) -> u64 {
        self.lines.iter().map(LineItem::subtotal).sum()
    }

    /// What the customer pays, checked against the ledger's i64 column.
    pub fn total(&self) -> Result<Cents, BillingError> {
        if self.lines.is_empty() {
            return Err(BillingError::NoLines);
        }
        let net = apply_discount(self.gross_cents(), self.discount_bp)?;
        i64::try_from(net).map_err(|_| BillingError::TooLarge)?;
        Ok(Cents(net))
    }

    /// One printed line per item.
    pub fn render(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|line| {
                format!(
                    "{:<12} {:>8} x {:>10} = {}",
                    line.sku,
                    line.quantity,
                    Cents(u64::from(line.unit_cents)),
                    Cents(line.subtotal())
                )
            })
            .collect()
    }
}
