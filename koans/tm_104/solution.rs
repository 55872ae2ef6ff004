pub struct Review {
    pub author: String,
    pub stars: u8,
    pub verified: bool,
}

/// The mean star rating, or None without reviews.
pub fn average(reviews: &[Review]) -> Option<f64> {
    if reviews.is_empty() {
        return None;
    }
    let total: f64 = reviews.iter().map(|r| f64::from(r.stars)).sum();
    Some(total / reviews.len() as f64)
}

/// The rating shown on a product page: verified reviews only, one decimal.
pub fn badge(reviews: &[Review]) -> String {
    let verified: Vec<Review> = reviews
        .iter()
        .filter(|r| r.verified)
        .map(|r| Review { author: r.author.clone(), stars: r.stars, verified: true })
        .collect();
    match average(&verified) {
        Some(avg) => format!("{:.1} from {} verified", avg, verified.len()),
        None => "no verified reviews".to_string(),
    }
}
