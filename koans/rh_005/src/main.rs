use std::env;
use std::num::ParseFloatError;

/// Parses every command-line argument as a Celsius temperature.
fn parse_temps(args: &[String]) -> Result<Vec<f64>, ParseFloatError> {
    let mut temps = Vec::new();
    for arg in args {
        temps.push(arg.trim().parse::<f64>()?);
    }
    Ok(temps)
}

fn to_fahrenheit(celsius: f64) -> f64 {
    celsius * 9.0 / 5.0 + 32.0
}

fn summary(temps: &[f64]) -> String {
    if temps.is_empty() {
        return String::from("no readings");
    }
    let min = temps.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = temps.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mean = temps.iter().sum::<f64>() / temps.len() as f64;
    format!("min {:.1} / max {:.1} / mean {:.1}", min, max, mean)
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let temps = parse_temps(&args)?;
    for t in &temps {
        println!("{:>6.1}C = {:>6.1}F", t, to_fahrenheit(*t));
    }
    println!("{}", summary(&temps));
}
