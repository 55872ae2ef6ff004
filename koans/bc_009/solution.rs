#[derive(Debug, PartialEq)]
pub struct ServerConfig {
    pub host: String,
    pub port: u16,
    pub workers: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig { host: "127.0.0.1".to_string(), port: 8080, workers: 4 }
    }
}

/// Parses `key = value` lines; unknown keys, comments and bad values are ignored.
pub fn parse_config(text: &str) -> ServerConfig {
    let mut config = ServerConfig::default();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        let value = value.trim();
        match key.trim() {
            "host" => config.host = value.to_string(),
            "port" => config.port = value.parse().unwrap_or(config.port),
            "workers" => config.workers = value.parse().unwrap_or(config.workers),
            _ => {}
        }
    }
    config
}
