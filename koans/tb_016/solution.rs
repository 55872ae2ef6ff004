use std::ops::Add;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Minutes(u32);

impl Add for Minutes {
    type Output = Minutes;
    fn add(self, other: Minutes) -> Minutes {
        Minutes(self.0 + other.0)
    }
}

impl std::iter::Sum for Minutes {
    fn sum<I: Iterator<Item = Minutes>>(iter: I) -> Minutes {
        iter.fold(Minutes(0), |acc, m| acc + m)
    }
}

struct Workout {
    kind: String,
    duration: Minutes,
}

/// Reads lines like "run 30"; lines that do not parse are skipped.
fn parse_log(text: &str) -> Vec<Workout> {
    text.lines()
        .filter_map(|line| {
            let (kind, mins) = line.trim().split_once(' ')?;
            let mins = mins.trim().parse().ok()?;
            Some(Workout { kind: kind.to_string(), duration: Minutes(mins) })
        })
        .collect()
}

fn total_for(log: &[Workout], kind: &str) -> Minutes {
    log.iter().filter(|w| w.kind == kind).map(|w| w.duration).sum()
}

fn as_hours(m: Minutes) -> String {
    format!("{}h{:02}m", m.0 / 60, m.0 % 60)
}

fn main() {
    let log = parse_log("run 30\nswim 45\nrun 55\nyoga sixty\nrun 20");
    for kind in ["run", "swim", "bike"] {
        println!("{}: {}", kind, as_hours(total_for(&log, kind)));
    }
}
