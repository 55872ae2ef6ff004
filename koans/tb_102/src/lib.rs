use std::fmt::Display;

/// One table row: each cell right-aligned to `width`, separated by `|`.
pub fn render_row<T>(cells: &[T], width: usize) -> String {
    cells
        .iter()
        .map(|c| format!("{:>w$}", c.to_string(), w = width))
        .collect::<Vec<_>>()
        .join("|")
}

/// A header row, a rule of dashes, then one row per record.
pub fn render_table(header: &[&str], rows: &[Vec<f64>]) -> String {
    let width = header.iter().map(|h| h.len()).max().unwrap_or(0).max(6);
    let mut lines = vec![render_row(header, width)];
    lines.push(vec!["-".repeat(width); header.len()].join("+"));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|v| format!("{:.2}", v)).collect();
        lines.push(render_row(&cells, width));
    }
    lines.join("\n")
}
