use std::collections::HashMap;

pub struct Item {
    pub name: String,
    pub quantity: u32,
    pub price_cents: u64,
}

pub struct Inventory {
    items: HashMap<String, Item>,
}

impl Inventory {
    pub fn new() -> Self {
        Inventory { items: HashMap::new() }
    }

    pub fn restock(&mut self, name: &str, quantity: u32, price_cents: u64) {
        let item = self.items.entry(name.to_string()).or_insert(Item {
            name: name.to_string(),
            quantity: 0,
            price_cents,
        });
        item.quantity += quantity;
        item.price_cents = price_cents;
    }

    pub fn sell(&mut self, name: &str, quantity: u32) -> bool {
        match self.items.get_mut(name) {
            Some(item) if item.quantity >= quantity => {
                item.quantity -= quantity;
                true
            }
            _ => false,
        }
    }

    /// One debug line per item whose stock is below `threshold`, sorted by name.
    pub fn low_stock_report(&self, threshold: u32) -> Vec<String> {
        let mut low: Vec<&Item> = self.items.values().filter(|i| i.quantity < threshold).collect();
        low.sort_by(|a, b| a.name.cmp(&b.name));
        low.iter().map(|item| format!("LOW {:?}", item)).collect()
    }
}
