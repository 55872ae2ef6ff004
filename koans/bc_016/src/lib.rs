pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Parses comma-separated text whose first line is a header; column names are lower-cased.
/// Returns None for empty input or a row with the wrong number of cells.
pub fn parse_csv(text: &str) -> Option<Table> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines.next()?.to_lowercase().split(',').map(str::trim).collect();
    let mut rows = Vec::new();
    for line in lines {
        let cells: Vec<String> = line.split(',').map(|c| c.trim().to_string()).collect();
        if cells.len() != header.len() {
            return None;
        }
        rows.push(cells);
    }
    let columns = header.iter().map(|h| h.to_string()).collect();
    Some(Table { columns, rows })
}

impl Table {
    pub fn column(&self, name: &str) -> Option<Vec<&str>> {
        let idx = self.columns.iter().position(|c| c == name)?;
        Some(self.rows.iter().map(|r| r[idx].as_str()).collect())
    }
}
