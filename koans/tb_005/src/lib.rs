#[derive(Debug)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub backoff_ms: u64,
}

#[derive(Debug, Default)]
pub struct ClientConfig {
    pub base_url: String,
    pub timeout_secs: u64,
    pub verbose: bool,
    pub retry: RetryPolicy,
}

/// Parses `key = value` lines on top of the default configuration.
/// Unknown keys and malformed lines are returned as errors.
pub fn parse_config(text: &str) -> Result<ClientConfig, String> {
    let mut config = ClientConfig::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("missing '=' in: {}", line))?;
        let (key, value) = (key.trim(), value.trim());
        let bad = |_| format!("bad value for {}: {}", key, value);
        match key {
            "base_url" => config.base_url = value.to_string(),
            "timeout_secs" => config.timeout_secs = value.parse().map_err(bad)?,
            "verbose" => config.verbose = value == "true",
            "max_attempts" => config.retry.max_attempts = value.parse().map_err(bad)?,
            "backoff_ms" => config.retry.backoff_ms = value.parse().map_err(bad)?,
            _ => return Err(format!("unknown key: {}", key)),
        }
    }
    Ok(config)
}
