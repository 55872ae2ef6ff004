mod money {
    /// Parses `12`, `12.5` or `12.05` (optionally with a leading `$`) into cents.
    fn parse_cents(text: &str) -> Option<i64> {
        let t = text.trim().trim_start_matches('$');
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty() || frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let units: i64 = whole.parse().ok()?;
        let cents = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse::<i64>().ok()?,
        };
        Some(units * 100 + cents)
    }

    pub fn show(cents: i64) -> String {
        format!("${}.{:02}", cents / 100, cents % 100)
    }
}

/// Adds up a receipt's prices; the lines that are not prices are returned too.
pub fn receipt_total(lines: &[&str]) -> (String, Vec<String>) {
    let mut total = 0;
    let mut rejected = Vec::new();
    for line in lines {
        match money::parse_cents(line) {
            Some(c) => total += c,
            None => rejected.push(line.to_string()),
        }
    }
    (money::show(total), rejected)
}
