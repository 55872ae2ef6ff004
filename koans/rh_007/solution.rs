/// Summary of an access log with lines like "GET /index.html 200 5120".
#[derive(Debug, PartialEq, Default)]
pub struct Stats {
    pub requests: usize,
    pub errors: usize,
    pub total_bytes: u64,
    pub malformed: usize,
}

pub fn summarize(log: &str) -> Stats {
    let mut stats = Stats::default();
    for line in log.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() != 4 {
            stats.malformed += 1;
            continue;
        }
        let bytes = match fields[3].parse::<u64>() {
            Ok(bytes) => bytes,
            Err(_) => {
                stats.malformed += 1;
                continue;
            }
        };
        stats.requests += 1;
        stats.total_bytes += bytes;
        if fields[2].starts_with('4') || fields[2].starts_with('5') {
            stats.errors += 1;
        }
    }
    stats
}

pub fn average_bytes(stats: &Stats) -> Option<u64> {
    if stats.requests == 0 {
        None
    } else {
        Some(stats.total_bytes / stats.requests as u64)
    }
}
