/// The median of the samples; the mean of the middle two for an even count.
pub fn median(samples: &[f64]) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let mut v = samples.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 0 { (v[mid - 1] + v[mid]) / 2.0 } else { v[mid] })
}

/// Median absolute deviation: how far samples typically sit from the median.
pub fn mad(samples: &[f64]) -> Option<f64> {
    let m = median(samples)?;
    let deviations: Vec<f64> = samples.iter().map(|x| (x - m).abs()).collect();
    median(&deviations)
}

/// Samples more than `k` MADs from the median.
pub fn outliers(samples: &[f64], k: f64) -> Vec<f64> {
    match (median(samples), mad(samples)) {
        (Some(m), Some(d)) => samples.iter().copied().filter(|x| (x - m).abs() > k * d).collect(),
        _ => Vec::new(),
    }
}
