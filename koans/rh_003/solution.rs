use std::env;
use std::fmt;

#[derive(Debug, PartialEq)]
pub enum ConfigError {
    Missing(String),
    BadPort(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ConfigError::Missing(key) => write!(f, "environment variable {} is not set", key),
            ConfigError::BadPort(text) => write!(f, "invalid port: {}", text),
        }
    }
}

#[derive(Debug, PartialEq)]
pub struct ServerConfig {
    pub host: String,
    pub port: u16,
}

/// Reads `<PREFIX>_HOST` (required) and `<PREFIX>_PORT` (default 8080).
pub fn load_config(prefix: &str) -> Result<ServerConfig, ConfigError> {
    let host_key = format!("{}_HOST", prefix);
    let port_key = format!("{}_PORT", prefix);

    let host = env::var(&host_key).map_err(|_| ConfigError::Missing(host_key.clone()))?;
    let port_text = match env::var(&port_key) {
        Ok(text) => text,
        Err(_) => String::from("8080"),
    };
    let port = match port_text.parse::<u16>() {
        Ok(port) => port,
        Err(_) => return Err(ConfigError::BadPort(port_text)),
    };
    Ok(ServerConfig { host, port })
}
