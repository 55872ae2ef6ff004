#[derive(Debug, PartialEq)]
pub struct ServerConfig {
    pub host: String,
    pub port: u16,
    pub workers: usize,
}

fn lookup<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Parses `key = value` lines. Missing or invalid values fall back to the
/// defaults: host 127.0.0.1, port 8080, 4 workers.
pub fn parse_config(text: &str) -> ServerConfig {
    let pairs: Vec<(String, String)> = text
        .lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    ServerConfig {
        host: lookup(&pairs, "host").unwrap_or("127.0.0.1").to_string(),
        port: lookup(&pairs, "port").and_then(|v| v.parse().ok()).unwrap_or(8080),
        workers: lookup(&pairs, "workers").and_then(|v| v.parse().ok()).unwrap_or(4),
    }
}
