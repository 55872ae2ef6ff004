use std::collections::HashMap;

pub struct Warehouse {
    levels: HashMap<String, u32>,
}

impl Warehouse {
    pub fn new(levels: &[(&str, u32)]) -> Warehouse {
        Warehouse { levels: levels.iter().map(|&(s, n)| (s.to_string(), n)).collect() }
    }

    /// Units on hand; unknown SKUs have none.
    pub fn stock(&self, sku: &str) -> u32 {
        self.levels.get(sku).unwrap_or(0)
    }

    /// The SKUs of an order that cannot be filled from stock, in order.
    pub fn shortfalls(&self, order: &[(&str, u32)]) -> Vec<String> {
        order
            .iter()
            .filter(|&&(sku, qty)| self.stock(sku) < qty)
            .map(|&(sku, qty)| format!("{} short by {}", sku, qty - self.stock(sku)))
            .collect()
    }
}
