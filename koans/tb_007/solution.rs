use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cell {
    pub row: i32,
    pub col: i32,
}

/// Parses shots like "B3" (column letter, row number) and counts hits per cell.
pub fn count_shots(shots: &[&str]) -> HashMap<Cell, u32> {
    let mut counts: HashMap<Cell, u32> = HashMap::new();
    for shot in shots {
        let mut chars = shot.chars();
        let col = match chars.next() {
            Some(c) if c.is_ascii_uppercase() => c as i32 - 'A' as i32,
            _ => continue,
        };
        let row: i32 = match chars.as_str().parse() {
            Ok(r) => r,
            Err(_) => continue,
        };
        *counts.entry(Cell { row, col }).or_insert(0) += 1;
    }
    counts
}

pub fn hits_at(counts: &HashMap<Cell, u32>, row: i32, col: i32) -> u32 {
    counts.get(&Cell { row, col }).copied().unwrap_or(0)
}
