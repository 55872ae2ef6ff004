use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses "YYYY-MM-DD".
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.split('-').map(|p| p.parse::<u16>().ok());
        let (year, month, day) = (it.next()??, it.next()??, it.next()??);
        if it.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        Some(Date { year, month: month as u8, day: day as u8 })
    }
}

#[derive(Default)]
pub struct Journal {
    entries: BTreeMap<Date, Vec<String>>,
}

impl Journal {
    pub fn write(&mut self, date: &str, text: &str) -> bool {
        let Some(date) = Date::parse(date) else { return false };
        match self.entries.get_mut(&date) {
            Some(texts) => texts.push(text.to_string()),
            None => {
                self.entries.insert(date, vec![text.to_string()]);
            }
        }
        true
    }

    /// Every entry in chronological order as "YYYY-MM-DD: text".
    pub fn timeline(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (d, texts) in &self.entries {
            for t in texts {
                out.push(format!("{:04}-{:02}-{:02}: {}", d.year, d.month, d.day, t));
            }
        }
        out
    }
}
