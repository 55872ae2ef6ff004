//! Lengths, durations and speeds for a route planner.
//!
//! Every length is a `Meters`, built with `Meters::new`, which keeps whole
//! micrometres: two routes measured along different paths compare equal,
//! lengths can be map keys, and a report never prints `0.30000000000000004`.
//! The tuple field is private to this crate's arithmetic; code that has a raw
//! `f64` turns it into a length with `Meters::new(..)` and nothing else.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Sub};

/// Micrometres per metre: the resolution every length is kept to.
const MICROS_PER_METER: f64 = 1_000_000.0;
/// International foot, exactly.
const METERS_PER_FOOT: f64 = 0.3048;
/// International mile, exactly.
const METERS_PER_MILE: f64 = 1609.344;

/// What can go wrong when reading lengths from people.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitError {
    /// A number we could not read, e.g. `"12,5 km"`.
    BadNumber(String),
    /// A unit suffix we do not know, e.g. `"3 furlongs"`.
    UnknownUnit(String),
    /// A length below zero where only distances make sense.
    Negative(f64),
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitError::BadNumber(text) => write!(f, "not a number: `{text}`"),
            UnitError::UnknownUnit(unit) => write!(f, "unknown unit `{unit}` (use m, km, ft or mi)"),
            UnitError::Negative(value) => write!(f, "a length cannot be negative ({value})"),
        }
    }
}

impl std::error::Error for UnitError {}

fn quantize(value: f64) -> f64 {
    assert!(value.is_finite(), "a length must be finite, got {value}");
    let rounded = (value * MICROS_PER_METER).round() / MICROS_PER_METER;
    if rounded == 0.0 {
        0.0 // no negative zero
    } else {
        rounded
    }
}

/// A length in metres, kept to the micrometre.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Meters(f64);

impl Meters {
    pub const ZERO: Meters = Meters(0.0);

    /// The length `value` metres, rounded to the micrometre.
    pub fn new(value: f64) -> Meters {
        Meters(quantize(value))
    }

    pub fn value(self) -> f64 {
        self.0
    }

    pub fn from_km(km: f64) -> Meters {
        Meters::new(km * 1000.0)
    }

    pub fn from_feet(feet: f64) -> Meters {
        Meters::new(feet * METERS_PER_FOOT)
    }

    pub fn from_miles(miles: f64) -> Meters {
        Meters::new(miles * METERS_PER_MILE)
    }

    pub fn km(self) -> f64 {
        self.0 / 1000.0
    }

    pub fn feet(self) -> f64 {
        self.0 / METERS_PER_FOOT
    }

    /// Total order for sorting: lengths are always finite.
    pub fn total_cmp(&self, other: &Meters) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Add for Meters {
    type Output = Meters;

    fn add(self, rhs: Meters) -> Meters {
        Meters::new(self.0 + rhs.0)
    }
}

impl Sub for Meters {
    type Output = Meters;

    fn sub(self, rhs: Meters) -> Meters {
        Meters::new(self.0 - rhs.0)
    }
}

impl fmt::Display for Meters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.abs() >= 1000.0 {
            write!(f, "{:.2} km", self.km())
        } else {
            write!(f, "{} m", self.0)
        }
    }
}

/// A duration in seconds.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Seconds(pub f64);

impl Seconds {
    pub fn from_minutes(minutes: f64) -> Seconds {
        Seconds(minutes * 60.0)
    }
}

/// A speed in metres per second.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct MetersPerSecond(pub f64);

impl MetersPerSecond {
    pub fn from_kmh(kmh: f64) -> MetersPerSecond {
        MetersPerSecond(kmh / 3.6)
    }

    /// How far this speed carries in `time`.
    pub fn distance_in(self, time: Seconds) -> Meters {
        Meters::new(self.0 * time.0)
    }

    /// How long `length` takes at this speed.
    pub fn time_for(self, length: Meters) -> Seconds {
        Seconds(length.value() / self.0)
    }
}

/// A point on a local planar grid, in metres east and north of the origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub east: f64,
    pub north: f64,
}

impl Point {
    pub fn new(east: f64, north: f64) -> Point {
        Point { east, north }
    }

    /// Straight-line distance.
    pub fn distance_to(&self, other: &Point) -> Meters {
        let (dx, dy) = (other.east - self.east, other.north - self.north);
        Meters::new((dx * dx + dy * dy).sqrt())
    }
}

/// One named stretch of a route.
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    pub name: String,
    pub length: Meters,
}

/// A route: legs in riding order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Route {
    legs: Vec<Leg>,
}

impl Route {
    pub fn new() -> Route {
        Route::default()
    }

    pub fn push(&mut self, name: &str, length: Meters) {
        self.legs.push(Leg { name: name.to_string(), length });
    }

    /// A leg given in kilometres, as route sheets print them.
    pub fn push_km(&mut self, name: &str, km: f64) {
        self.push(name, Meters::new(km * 1000.0));
    }

    /// A straight leg between two grid points.
    pub fn push_straight(&mut self, name: &str, from: Point, to: Point) {
        self.push(name, from.distance_to(&to));
    }

    pub fn legs(&self) -> &[Leg] {
        &self.legs
    }

    /// The whole route's length.
    pub fn total(&self) -> Meters {
        Meters::new(self.legs.iter().map(|leg| leg.length.value()).sum::<f64>())
    }

    /// The longest leg, if any.
    pub fn longest(&self) -> Option<&Leg> {
        self.legs.iter().max_by(|a, b| a.length.total_cmp(&b.length))
    }

    /// Time to ride the route at a steady speed.
    pub fn riding_time(&self, speed: MetersPerSecond) -> Seconds {
        speed.time_for(self.total())
    }
}

/// Reads `"12.5 km"`, `"300m"`, `"5280 ft"` or `"2 mi"`.
pub fn parse_length(text: &str) -> Result<Meters, UnitError> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number.trim().parse().map_err(|_| UnitError::BadNumber(number.trim().to_string()))?;
    if value < 0.0 {
        return Err(UnitError::Negative(value));
    }
    match unit.trim() {
        "" | "m" => Ok(Meters::new(value)),
        "km" => Ok(Meters::from_km(value)),
        "ft" => Ok(Meters::from_feet(value)),
        "mi" => Ok(Meters::from_miles(value)),
        other => Err(UnitError::UnknownUnit(other.to_string())),
    }
}
