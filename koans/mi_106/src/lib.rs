#[derive(Debug, PartialEq)]
pub enum ConfigError {
    MissingKey(String),
    BadNumber(ParseIntError),
}

impl From<ParseIntError> for ConfigError {
    fn from(e: ParseIntError) -> Self {
        ConfigError::BadNumber(e)
    }
}

fn value<'a>(text: &'a str, key: &str) -> Result<&'a str, ConfigError> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim())
        .ok_or_else(|| ConfigError::MissingKey(key.to_string()))
}

/// Reads `workers` and `port` from `key = value` lines.
pub fn load(text: &str) -> Result<(u8, u16), ConfigError> {
    let workers = value(text, "workers")?.parse()?;
    let port = value(text, "port")?.parse()?;
    Ok((workers, port))
}
