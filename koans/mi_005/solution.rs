pub struct Item {
    pub name: String,
    pub unit_cents: u32,
    pub qty: u32,
}

pub struct Cart {
    items: Vec<Item>,
    coupon_pct: u32,
}

impl Cart {
    pub fn new() -> Self {
        Cart { items: Vec::new(), coupon_pct: 0 }
    }

    pub fn add(&mut self, name: &str, unit_cents: u32, qty: u32) {
        self.items.push(Item { name: name.to_string(), unit_cents, qty });
    }

    pub fn apply_coupon(&mut self, pct: u32) {
        self.coupon_pct = pct.min(100);
    }

    /// Sum of unit price times quantity over all items.
    pub fn subtotal(&self) -> u32 {
        self.items.iter().map(|i| i.unit_cents * i.qty).sum()
    }

    /// Subtotal minus the coupon discount (rounded down to whole cents).
    pub fn total(&self) -> u32 {
        let sub = self.subtotal();
        sub - sub * self.coupon_pct / 100
    }
}

pub fn receipt(cart: &Cart) -> String {
    format!("items: {} | subtotal: {} | total: {}", cart.items.len(), cart.subtotal(), cart.total())
}
