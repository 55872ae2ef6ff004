/// The numbers in one CSV column, skipping the header and cells that do not parse.
pub fn column(csv: &str, index: usize) -> Vec<f64> {
    csv.lines()
        .skip(1)
        .filter_map(|row| row.split(',').nth(index))
        .filter_map(|cell| cell.trim().parse().ok())
        .collect()
}

/// (count, mean, max) of a CSV column, or None when it has no numbers.
pub fn summarise(csv: &str, index: usize) -> Option<(usize, f64, f64)> {
    let values = column(csv, index);
    if values.is_empty() {
        return None;
    }
    let mut total = 0.0;
    let mut max = f64::MIN;
    for v in values {
        total += v;
        if v > max {
            max = v;
        }
    }
    Some((values.len(), total / values.len() as f64, max))
}
