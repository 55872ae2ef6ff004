/// Converts a length with a unit to metres.
macro_rules! metres {
    ($n:expr, km) => {
        $n * 1000.0
    };
    ($n:expr, m) => {
        $n
    };
    ($n:expr, cm) => {
        $n / 100.0
    };
}

/// Total length of a hiking route's legs, in metres.
pub fn route_length(legs_km: &[f64], detour_m: f64, stairs_cm: f64) -> f64 {
    let legs: f64 = legs_km.iter().map(|&l| metres!(l, km)).sum();
    legs + metres!(detour_m, m) + metres!(stairs_cm, cm)
}

/// Minutes to walk a route at `kmh`, rounded up.
pub fn walking_minutes(metres: f64, kmh: f64) -> u32 {
    (metres / metres!(kmh, km) * 60.0).ceil() as u32
}
