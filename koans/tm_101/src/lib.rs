pub struct Column {
    pub name: String,
    pub values: Vec<i64>,
}

/// One CSV row of stats for a column: name, count, min, max ("-" when empty).
pub fn stats_row(col: &Column) -> Vec<String> {
    let min = col.values.iter().min();
    let max = col.values.iter().max();
    let show = |v: Option<&i64>| v.map_or("-".to_string(), |n| n.to_string());
    vec![col.name.clone(), col.values.len().to_string(), show(min), show(max)]
}

/// A CSV table: a header, then one stats row per column.
pub fn to_csv(columns: &[Column]) -> String {
    let mut rows: Vec<Vec<String>> = vec![vec!["column", "count", "min", "max"]];
    for col in columns {
        rows.push(stats_row(col));
    }
    rows.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n")
}
