use std::fmt::Write;

pub struct Expense {
    pub category: String,
    pub cents: u64,
}

fn euros(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A fixed-width expense report: one line per expense, then a total line.
pub fn monthly_report(month: &str, expenses: &[Expense]) -> String {
    let mut out = String::new();
    writeln!(out, "== {month} ==").unwrap();
    let mut total = 0;
    for e in expenses {
        writeln!(out, "{:<10}{:>9}", e.category, euros(e.cents)).unwrap();
        total += e.cents;
    }
    write!(out, "{:<10}{:>9}", "TOTAL", euros(total)).unwrap();
    out
}
