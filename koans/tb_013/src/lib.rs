/// Clamps every value into [lo, hi] in place and returns how many values changed.
pub fn clamp_all<T: Copy>(values: &mut [T], lo: T, hi: T) -> usize {
    let mut changed = 0;
    for v in values.iter_mut() {
        if *v < lo {
            *v = lo;
            changed += 1;
        } else if *v > hi {
            *v = hi;
            changed += 1;
        }
    }
    changed
}

pub struct SensorLog {
    pub temperatures: Vec<f64>,
    pub humidity: Vec<u8>,
}

impl SensorLog {
    /// Removes physically impossible spikes; returns the number of fixed readings.
    pub fn sanitize(&mut self) -> usize {
        let t = clamp_all(&mut self.temperatures, -40.0, 85.0);
        let h = clamp_all(&mut self.humidity, 0, 100);
        t + h
    }
}
