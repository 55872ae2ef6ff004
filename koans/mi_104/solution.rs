pub mod units {
    pub fn to_celsius(f: f64) -> f64 {
        (f - 32.0) * 5.0 / 9.0
    }

    pub fn to_fahrenheit(c: f64) -> f64 {
        c * 9.0 / 5.0 + 32.0
    }
}

use units::{to_celsius, to_fahrenheit};

/// Converts a reading like `21.5C` or `70F` into the other scale, rounded to one decimal.
pub fn convert(reading: &str) -> Option<String> {
    let reading = reading.trim();
    let (number, scale) = reading.split_at(reading.len().checked_sub(1)?);
    let value: f64 = number.parse().ok()?;
    let (out, unit) = match scale {
        "C" | "c" => (to_fahrenheit(value), 'F'),
        "F" | "f" => (to_celsius(value), 'C'),
        _ => return None,
    };
    Some(format!("{:.1}{}", out, unit))
}

pub fn convert_all(readings: &[&str]) -> Vec<String> {
    readings.iter().filter_map(|r| convert(r)).collect()
}
