/// Keeps the most recent `capacity` log lines and counts the ones it dropped.
pub struct RingLog {
    lines: Vec<String>,
    capacity: usize,
    dropped: usize,
}

impl RingLog {
    pub fn with_capacity(capacity: usize) -> RingLog {
        RingLog { lines: Vec::with_capacity(capacity), capacity, dropped: 0 }
    }

    pub fn push(&mut self, line: &str) {
        if self.lines.len() == self.capacity {
            self.lines.remove(0);
            self.dropped += 1;
        }
        self.lines.push(line.to_string());
    }

    /// The kept lines, oldest first, with a note when some were dropped.
    pub fn dump(&self) -> String {
        let mut out = self.lines.join("\n");
        if self.dropped > 0 {
            out = format!("({} earlier lines dropped)\n{}", self.dropped, out);
        }
        out
    }
}
