pub struct LineItem {
    pub name: String,
    pub qty: u32,
    pub unit_cents: u32,
}

pub struct Order {
    pub id: u32,
    pub items: Vec<LineItem>,
}

impl Order {
    pub fn total(&self) -> u32 {
        self.items.iter().map(|i| i.qty * i.unit_cents).sum()
    }
}

pub struct Ledger {
    pub archived: Vec<Order>,
    pub log: Vec<String>,
}

impl Ledger {
    pub fn new() -> Self {
        Ledger { archived: Vec::new(), log: Vec::new() }
    }

    pub fn close(&mut self, order: Order) {
        self.log.push(format!("closed order {} for {} cents", order.id, order.total()));
        self.archived.push(order);
    }

    pub fn revenue(&self) -> u32 {
        self.archived.iter().map(|o| o.total()).sum()
    }
}
