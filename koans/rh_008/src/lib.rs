#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    Celsius,
    Fahrenheit,
}

#[derive(Debug, PartialEq)]
pub struct Reading {
    pub value: f64,
    pub unit: Unit,
}

impl Reading {
    pub fn celsius(&self) -> f64 {
        match self.unit {
            Unit::Celsius => self.value,
            Unit::Fahrenheit => (self.value - 32.0) * 5.0 / 9.0,
        }
    }
}

/// Parses a thermometer reading such as "21.5C" or "70F".
pub fn parse_reading(text: &str) -> Reading {
    let text = text.trim();
    let unit = match text.chars().last() {
        Some('C') | Some('c') => Unit::Celsius,
        Some('F') | Some('f') => Unit::Fahrenheit,
        _ => return Err(format!("missing unit in {:?}", text)),
    };
    let number = &text[..text.len() - 1];
    let value: f64 = match number.trim().parse() {
        Ok(v) => v,
        Err(_) => return Err(format!("bad number {:?}", number)),
    };
    Ok(Reading { value, unit })
}
