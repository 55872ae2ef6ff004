use std::collections::HashMap;

pub struct Promo {
    pub percent: u32,
    pub min_subtotal: u32,
}

/// A shopping cart; all prices are in cents.
pub struct Cart {
    items: Vec<(String, u32)>,
    promos: HashMap<String, Promo>,
    discount: u32,
}

impl Cart {
    pub fn new() -> Self {
        Cart { items: Vec::new(), promos: HashMap::new(), discount: 0 }
    }

    pub fn add_promo(&mut self, code: &str, percent: u32, min_subtotal: u32) {
        self.promos.insert(code.to_string(), Promo { percent, min_subtotal });
    }

    pub fn add_item(&mut self, name: &str, cents: u32) {
        self.items.push((name.to_string(), cents));
    }

    pub fn subtotal(&self) -> u32 {
        self.items.iter().map(|(_, cents)| cents).sum()
    }

    /// Applies a promo code. Unknown codes are ignored.
    /// Returns whether a discount was applied.
    pub fn apply_code(&mut self, code: &str) -> bool {
        let subtotal = self.subtotal();
        if let Some(promo) = self.promos.get(code) {
            if subtotal >= promo.min_subtotal {
                self.discount = subtotal * promo.percent / 100;
                return true;
            }
        }
        false
    }

    pub fn total(&self) -> u32 {
        self.subtotal() - self.discount
    }
}
