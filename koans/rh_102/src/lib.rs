/// Parses a sample like `12.5ms` or `2s` into milliseconds.
fn millis(sample: &str) -> Result<f64, String> {
    let s = sample.trim();
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return Err(format!("no unit in {:?}", s));
    };
    let v: f64 = num.parse().map_err(|_| format!("bad number in {:?}", s))?;
    Ok(v * scale)
}

/// The mean latency of the samples in milliseconds.
pub fn mean_latency(samples: &[&str]) -> Result<f64, String> {
    if samples.is_empty() {
        return Err("no samples".to_string());
    }
    let mut total = 0.0;
    for s in samples {
        total += millis(s)?;
    }
    total / samples.len() as f64
}
