/// Sliding-window rate limiter: at most `max_requests` in any `window_secs`.
pub struct RateLimiter {
    max_requests: usize,
    window_secs: u64,
    hits: Vec<u64>,
}

impl RateLimiter {
    pub fn new(max_requests: usize, window_secs: u64) -> Self {
        RateLimiter { max_requests, window_secs, hits: Vec::new() }
    }

    fn forget_old(&mut self, now: u64) {
        self.hits.retain(|&t| now - t < window_secs);
    }

    pub fn allow(&mut self, now: u64) -> bool {
        self.forget_old(now);
        if self.hits.len() >= self.max_requests {
            return false;
        }
        self.hits.push(now);
        true
    }

    pub fn remaining(&mut self, now: u64) -> usize {
        self.forget_old(now);
        self.max_requests - self.hits.len()
    }
}
