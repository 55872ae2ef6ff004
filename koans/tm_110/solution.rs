#[derive(Debug, PartialEq)]
pub struct Reading {
    pub sensor: String,
    pub celsius: f64,
}

/// Sensors report tenths of a degree as a signed 16-bit sample.
pub fn decode(sensor: &str, raw: i16) -> Reading {
    let tenths: f64 = f64::from(raw);
    Reading { sensor: sensor.to_string(), celsius: tenths / 10.0 }
}

/// Decodes `name=sample` pairs, skipping malformed ones, and returns the warmest reading.
pub fn warmest(frames: &[&str]) -> Option<Reading> {
    frames
        .iter()
        .filter_map(|f| f.split_once('='))
        .filter_map(|(name, raw)| raw.parse::<i16>().ok().map(|r| decode(name, r)))
        .max_by(|a, b| a.celsius.total_cmp(&b.celsius))
}

pub fn fahrenheit(r: &Reading) -> f64 {
    r.celsius * 9.0 / 5.0 + 32.0
}
