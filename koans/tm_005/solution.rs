pub enum Zone {
    Local,
    National,
    International,
}

pub enum Delivery {
    Pickup,
    Standard(Zone),
    Express(Zone),
}

fn rate_per_kg(zone: &Zone) -> f64 {
    match zone {
        Zone::Local => 0.5,
        Zone::National => 1.0,
        Zone::International => 2.5,
    }
}

/// Shipping cost in euros for a parcel of the given weight.
pub fn shipping_cost(delivery: &Delivery, weight_kg: f64) -> f64 {
    match delivery {
        Delivery::Pickup => 0.0,
        Delivery::Standard(zone) => 4.0 + weight_kg * rate_per_kg(zone),
        Delivery::Express(zone) => 2.0 * (4.0 + weight_kg * rate_per_kg(zone)) + 5.0,
    }
}

pub fn cheapest(options: &[Delivery], weight_kg: f64) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, d) in options.iter().enumerate() {
        let cost = shipping_cost(d, weight_kg);
        if best.map_or(true, |(_, c)| cost < c) {
            best = Some((i, cost));
        }
    }
    best.map(|(i, _)| i)
}
