struct Order {
    id: u32,
    currency: String,
    lines: Vec<(String, u32, u64)>,
}

fn format_price(cents: u64, currency: &str) -> String {
    format!("{}.{:02} {}", cents / 100, cents % 100, currency)
}

fn order_total(order: &Order) -> u64 {
    order.lines.iter().map(|(_, qty, unit)| *qty as u64 * unit).sum()
}

fn invoice_lines(order: &Order) -> Vec<String> {
    let mut out = vec![format!("Invoice #{}", order.id)];
    for (name, qty, unit) in &order.lines {
        out.push(format!("{qty} x {name} @ {}", format_price(*unit, &order.currency)));
    }
    out.push(format!("Total: {}", format_price(order_total(order))));
    out
}

fn main() {
    let order = Order {
        id: 42,
        currency: "EUR".to_string(),
        lines: vec![("coffee".to_string(), 2, 350), ("bagel".to_string(), 1, 275)],
    };
    for line in invoice_lines(&order) {
        println!("{line}");
    }
}
