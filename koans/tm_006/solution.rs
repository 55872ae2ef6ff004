struct SensorLog {
    name: String,
    readings: Vec<f32>,
}

impl SensorLog {
    fn new(name: &str) -> Self {
        SensorLog { name: name.to_string(), readings: Vec::new() }
    }

    fn record(&mut self, celsius: f32) {
        self.readings.push(celsius);
    }

    fn peak(&self) -> Option<f32> {
        self.readings.iter().copied().reduce(f32::max)
    }

    fn mean(&self) -> Option<f32> {
        if self.readings.is_empty() {
            return None;
        }
        Some(self.readings.iter().sum::<f32>() / self.readings.len() as f32)
    }
}

/// Loads comma separated readings, returning how many tokens were rejected.
fn load(log: &mut SensorLog, input: &str) -> usize {
    let mut rejected = 0;
    for token in input.split(',') {
        match token.trim().parse::<f32>() {
            Ok(value) => log.record(value),
            Err(_) => rejected += 1,
        }
    }
    rejected
}

fn main() {
    let mut log = SensorLog::new("greenhouse");
    let rejected = load(&mut log, "21.5, 22.0, oops, 23.25");
    println!("{}: peak {:?}, mean {:?}, {} rejected", log.name, log.peak(), log.mean(), rejected);
}
