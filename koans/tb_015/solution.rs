pub trait Labeled {
    fn label(&self) -> String;
}

pub trait Sensor: Labeled {
    fn read(&self) -> f64;
    fn unit(&self) -> &'static str;
}

pub struct Thermometer {
    pub room: String,
    pub celsius: f64,
}

pub struct Hygrometer {
    pub room: String,
    pub percent: f64,
}

impl Labeled for Thermometer {
    fn label(&self) -> String {
        format!("{} temperature", self.room)
    }
}

impl Sensor for Thermometer {
    fn read(&self) -> f64 {
        self.celsius
    }
    fn unit(&self) -> &'static str {
        "C"
    }
}

impl Labeled for Hygrometer {
    fn label(&self) -> String {
        format!("{} humidity", self.room)
    }
}

impl Sensor for Hygrometer {
    fn read(&self) -> f64 {
        self.percent
    }
    fn unit(&self) -> &'static str {
        "%"
    }
}

/// One line per sensor, e.g. "kitchen temperature: 21.5 C".
pub fn dashboard(sensors: &[Box<dyn Sensor>]) -> Vec<String> {
    sensors.iter().map(|s| format!("{}: {:.1} {}", s.label(), s.read(), s.unit())).collect()
}

pub fn over_limit(sensors: &[Box<dyn Sensor>], limit: f64) -> Vec<String> {
    sensors.iter().filter(|s| s.read() > limit).map(|s| s.label()).collect()
}
