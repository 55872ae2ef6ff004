use std::rc::Rc;
use std::thread;

/// Splits the lines between `workers` threads; each counts lines containing `needle`.
/// Returns the per-worker counts (worker w takes lines w, w + workers, ...).
fn count_matches(lines: Vec<String>, needle: &str, workers: usize) -> Vec<usize> {
    let shared = Rc::new(lines);
    let mut handles = Vec::new();
    for w in 0..workers {
        let lines = Rc::clone(&shared);
        let needle = needle.to_string();
        handles.push(thread::spawn(move || {
            lines
                .iter()
                .skip(w)
                .step_by(workers)
                .filter(|line| line.contains(&needle))
                .count()
        }));
    }
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn main() {
    let log = "INFO start\nERROR disk full\nINFO retry\nERROR disk full\nWARN slow\nERROR timeout";
    let lines: Vec<String> = log.lines().map(String::from).collect();
    let per_worker = count_matches(lines, "ERROR", 3);
    println!("per worker: {:?}", per_worker);
    println!("total errors: {}", per_worker.iter().sum::<usize>());
}
