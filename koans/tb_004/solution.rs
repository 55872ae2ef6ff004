/// Renders a numbered list, one `{:?}`-formatted item per line.
pub fn format_list<T: std::fmt::Debug>(label: &str, items: &[T]) -> String {
    let mut out = format!("{} ({} items)\n", label, items.len());
    for (i, item) in items.iter().enumerate() {
        out.push_str(&format!("  {}. {:?}\n", i + 1, item));
    }
    out
}

#[derive(Debug)]
pub enum Severity {
    Low,
    High,
}

#[derive(Debug)]
pub struct Ticket {
    pub id: u32,
    pub severity: Severity,
}

pub fn triage(tickets: &[Ticket]) -> String {
    let high: Vec<u32> = tickets
        .iter()
        .filter(|t| matches!(t.severity, Severity::High))
        .map(|t| t.id)
        .collect();
    let mut report = format_list("open tickets", tickets);
    report.push_str(&format_list("urgent ids", &high));
    report
}
