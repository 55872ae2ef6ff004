/// Parses `HH:MM` into minutes after midnight.
pub fn parse_clock(s: &str) -> Result<u32, String> {
    let (h, m) = s.trim().split_once(':').ok_or(format!("no colon in {:?}", s))?;
    let hours = h.parse::<u32>().map_err(|e| e.to_string())?;
    let minutes = m.parse::<u32>().map_err(|e| e.to_string())?;
    if hours > 23 || minutes > 59 {
        return Err(format!("{} is not a time of day", s));
    }
    Ok(hours * 60 + minutes)
}

/// Minutes between two clock times on the same day, or across midnight when `end` is earlier.
pub fn span(start: &str, end: &str) -> Result<u32, String> {
    let a = parse_clock(start)?;
    let b = parse_clock(end)?;
    Ok(if b >= a { b - a } else { 24 * 60 - a + b })
}
