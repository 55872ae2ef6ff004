/// Standard gravity in m/s^2.
const GRAVITY = 9.81;

/// Seconds for an object dropped from `height` metres to hit the ground.
pub fn fall_time(height: f64) -> f64 {
    (2.0 * height / GRAVITY).sqrt()
}

/// Speed in m/s at impact after falling `height` metres.
pub fn impact_speed(height: f64) -> f64 {
    GRAVITY * fall_time(height)
}

/// Height in metres reached by a ball thrown straight up at `speed` m/s.
pub fn apex(speed: f64) -> f64 {
    speed * speed / (2.0 * GRAVITY)
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
