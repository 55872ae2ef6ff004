use std::collections::VecDeque;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Key { code: u32, shift: bool },
    Click { x: i32, y: i32, button: u8 },
    Resize(u32, u32),
}

/// Decodes raw input records like `k 65 1`, `c 10 20 2`, `r 800 600`; bad records are dropped.
pub fn decode(record: &str) -> Option<Event> {
    let f: Vec<&str> = record.split_whitespace().collect();
    match f.as_slice() {
        ["k", code, shift] => Some(Event::Key { code: code.parse().ok()?, shift: *shift == "1" }),
        ["c", x, y, b] => {
            let (x, y, button) = (x.parse().ok()?, y.parse().ok()?, b.parse().ok()?);
            Some(Event::Click { x, y })
        }
        ["r", w, h] => Some(Event::Resize(w.parse().ok()?, h.parse().ok()?)),
        _ => None,
    }
}

/// Queues every decodable record, keeping only the last resize.
pub fn queue(records: &[&str]) -> VecDeque<Event> {
    let mut q: VecDeque<Event> = VecDeque::new();
    for ev in records.iter().filter_map(|r| decode(r)) {
        if matches!(ev, Event::Resize(..)) {
            q.retain(|e| !matches!(e, Event::Resize(..)));
        }
        q.push_back(ev);
    }
    q
}
