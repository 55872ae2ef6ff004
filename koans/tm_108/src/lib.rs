/// Indices of the readings above the limit.
pub fn over_limit(readings: &[u32], limit: u32) -> Vec<usize> {
    let mut hits = Vec::new();
    for (i, r) in readings.iter().enumerate() {
        if r > limit {
            hits.push(i);
        }
    }
    hits
}

/// The length of the longest run of consecutive readings above the limit.
pub fn longest_breach(readings: &[u32], limit: u32) -> usize {
    let hits = over_limit(readings, limit);
    let mut best = 0;
    let mut run = 0;
    let mut prev: Option<usize> = None;
    for i in hits {
        run = if prev == Some(i.wrapping_sub(1)) { run + 1 } else { 1 };
        best = best.max(run);
        prev = Some(i);
    }
    best
}
