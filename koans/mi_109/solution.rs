use std::f64::consts::PI;

#[derive(Debug, Clone, Copy)]
pub struct Sector {
    pub radius: f64,
    pub degrees: f64,
}

impl Sector {
    fn radians(&self) -> f64 {
        self.degrees * PI / 180.0
    }

    pub fn area(&self) -> f64 {
        0.5 * self.radius * self.radius * self.radians()
    }

    /// Arc length plus both radii.
    pub fn perimeter(&self) -> f64 {
        self.radius * self.radians() + 2.0 * self.radius
    }
}

/// Splits a pie chart of the given radius into sectors proportional to the values.
pub fn pie(radius: f64, values: &[f64]) -> Vec<Sector> {
    let total: f64 = values.iter().sum();
    values.iter().map(|v| Sector { radius, degrees: 360.0 * v / total }).collect()
}

pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
