use std::thread;

pub struct Job {
    pub id: u32,
    pub payload: Vec<u8>,
}

pub fn checksum(bytes: &[u8]) -> u32 {
    bytes.iter().fold(7u32, |acc, b| acc.wrapping_mul(31).wrapping_add(*b as u32))
}

/// Checksums every job on a background thread and returns a summary line with the sums.
pub fn process_in_background(jobs: Vec<Job>) -> (String, Vec<u32>) {
    let worker = thread::spawn(move || {
        jobs.iter().map(|j| checksum(&j.payload)).collect::<Vec<u32>>()
    });
    let first = jobs.first().map_or(0, |j| j.id);
    let summary = format!("queued {} jobs, first id {}", jobs.len(), first);
    let sums = worker.join().expect("worker panicked");
    (summary, sums)
}
