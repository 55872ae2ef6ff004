/// Parses a clock time "HH:MM" into minutes since midnight.
pub fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    let hours = h.parse::<u32>().ok()?;
    let minutes = m.parse::<u32>().ok()?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(hours * 60 + minutes)
}

#[derive(Debug, PartialEq)]
pub struct Shift {
    pub start: u32,
    pub end: u32,
}

impl Shift {
    pub fn minutes(&self) -> u32 {
        self.end - self.start
    }
}

/// Parses "09:00-17:30"; shifts must end after they start.
pub fn parse_shift(text: &str) -> Option<Shift> {
    let (from, to) = text.split_once('-')?;
    let shift = Shift { start: parse_clock(from)?, end: parse_clock(to)? };
    if shift.end <= shift.start {
        return None;
    }
    Some(shift)
}

/// Total minutes worked over a timesheet, ignoring unreadable entries.
pub fn timesheet_total(entries: &[&str]) -> u32 {
    entries.iter().filter_map(|e| parse_shift(e)).map(|s| s.minutes()).sum()
}
