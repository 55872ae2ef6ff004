/// Linear interpolation between `a` and `b` at `t` in 0..=1.
pub fn lerp(a: f64, b: f64, t) -> f64 {
    a + (b - a) * t
}

/// `steps + 1` evenly spaced colours between two RGB colours, endpoints included.
pub fn gradient(from: (u8, u8, u8), to: (u8, u8, u8), steps: u32) -> Vec<(u8, u8, u8)> {
    (0..=steps)
        .map(|i| {
            let t = if steps == 0 { 0.0 } else { f64::from(i) / f64::from(steps) };
            let mix = |x: u8, y: u8| lerp(f64::from(x), f64::from(y), t).round() as u8;
            (mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
        })
        .collect()
}

pub fn hex(c: (u8, u8, u8)) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
