use std::collections::HashMap;

/// Maps a user name to the timestamp (in seconds) at which their session expires.
pub type Sessions = HashMap<String, u64>;

/// Logs a user in; an existing session is extended, never shortened.
pub fn login(sessions: &mut Sessions, user: &str, now: u64, ttl: u64) {
    let expiry = sessions.entry(user.to_string()).or_insert(0);
    *expiry = (*expiry).max(now + ttl);
}

/// Drops every expired session and returns the affected users, sorted.
pub fn expire(sessions: &mut Sessions, now: u64) -> Vec<String> {
    let mut logged_out = Vec::new();
    sessions.retain(|user, expires_at| {
        if *expires_at <= now {
            logged_out.push(user.clone());
            return false;
        }
        true
    });
    logged_out.sort();
    logged_out
}
