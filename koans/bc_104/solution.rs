pub struct Entry {
    pub key: String,
    pub stamp: u64,
    pub bytes: usize,
}

pub struct Cache {
    entries: Vec<Entry>,
    limit: usize,
}

pub struct Snapshot {
    pub entries: Vec<Entry>,
    pub label: String,
    pub total_bytes: usize,
}

impl Cache {
    pub fn new(limit: usize) -> Self {
        Cache { entries: Vec::new(), limit }
    }

    /// Stores an entry, evicting the oldest insertions while over the byte limit.
    pub fn put(&mut self, key: &str, stamp: u64, bytes: usize) {
        self.entries.retain(|e| e.key != key);
        self.entries.push(Entry { key: key.to_string(), stamp, bytes });
        while self.entries.iter().map(|e| e.bytes).sum::<usize>() > self.limit {
            self.entries.remove(0);
        }
    }

    /// Consumes the cache into a snapshot labelled with its most recent key.
    pub fn freeze(self) -> Snapshot {
        let newest = self.entries.iter().max_by_key(|e| e.stamp);
        let total_bytes = self.entries.iter().map(|e| e.bytes).sum();
        let label = match newest {
            Some(e) => format!("up to {}", e.key),
            None => "empty".to_string(),
        };
        let entries = self.entries;
        Snapshot { entries, label, total_bytes }
    }
}
