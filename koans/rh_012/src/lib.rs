use std::num::ParseFloatError;
use std::str::FromStr;

#[derive(Debug, PartialEq)]
pub enum SensorError {
    MissingField(&'static str),
    BadNumber(ParseFloatError),
    NoSamples,
}

#[derive(Debug, PartialEq)]
pub struct Sample {
    pub station: String,
    pub celsius: f64,
    pub humidity: f64,
}

impl FromStr for Sample {
    type Err = SensorError;

    /// Parses "station;celsius;humidity", e.g. "roof;18.5;62".
    fn from_str(line: &str) -> Result<Self, Self::Err> {
        let mut parts = line.split(';').map(str::trim);
        let station = parts.next().filter(|s| !s.is_empty());
        let station = station.ok_or(SensorError::MissingField("station"))?;
        let celsius = parts.next().ok_or(SensorError::MissingField("celsius"))?;
        let humidity = parts.next().ok_or(SensorError::MissingField("humidity"))?;
        Ok(Sample {
            station: station.to_string(),
            celsius: celsius.parse::<f64>()?,
            humidity: humidity.parse::<f64>()?,
        })
    }
}

pub fn mean_humidity(lines: &[&str]) -> Result<f64, SensorError> {
    let mut readings = Vec::new();
    for line in lines {
        readings.push(line.parse::<Sample>()?.humidity);
    }
    match readings.len() {
        0 => Err(SensorError::NoSamples),
        n => Ok(readings.iter().sum::<f64>() / n as f64),
    }
}
