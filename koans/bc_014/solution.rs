use std::fmt::Write;

pub struct Report {
    pub title: String,
    pub rows: Vec<(String, f64)>,
}

/// Renders a plain-text table: title, underline, one padded row per entry, then the total.
pub fn render(report: &Report) -> String {
    let mut out = report.title.clone();
    let underline = "=".repeat(report.title.len());
    writeln!(out).unwrap();
    writeln!(out, "{underline}").unwrap();
    let mut total = 0.0;
    for (label, amount) in &report.rows {
        writeln!(out, "{:<8}{:>9.2}", label, amount).unwrap();
        total += amount;
    }
    writeln!(out, "{:<8}{:>9.2}", "TOTAL", total).unwrap();
    out
}
