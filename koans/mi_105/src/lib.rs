/// Plays a guessing game against a secret and returns the hints given.
pub fn hints(secret: u32, guesses: &[u32]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for &guess in guesses {
        match guess.cmp(&secret) {
            Ordering::Less => out.push("higher"),
            Ordering::Greater => out.push("lower"),
            Ordering::Equal => {
                out.push("correct");
                break;
            }
        }
    }
    out
}

/// The guesses a binary search makes in 1..=max before finding the secret.
pub fn bisect(secret: u32, max: u32) -> Vec<u32> {
    let (mut lo, mut hi) = (1, max);
    let mut tried = Vec::new();
    while lo <= hi {
        let mid = lo + (hi - lo) / 2;
        tried.push(mid);
        match mid.cmp(&secret) {
            Ordering::Less => lo = mid + 1,
            Ordering::Greater => hi = mid - 1,
            Ordering::Equal => break,
        }
    }
    tried
}
