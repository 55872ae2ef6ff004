//! Layered configuration for a small service.
//!
//! A service reads `service.ini`, then every `*.ini` drop-in of its
//! `conf.d/` directory in name order; later files win. Keys are
//! `section.key`; values stay strings until a typed getter reads them.
//!
//! House rule: `ConfigError` has no `From<io::Error>`. Every call that
//! touches the file system says `.map_err(ConfigError::Io)?`, so a bare `?`
//! can never hide where the disk was involved, and a parse error can never
//! be confused with an I/O one.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Everything that can go wrong while loading or saving configuration.
#[derive(Debug)]
pub enum ConfigError {
    /// The file system refused: a missing file, a directory that is not one, ...
    Io(io::Error),
    /// A line that is neither `key = value`, a `[section]` nor a comment.
    Syntax { line: usize, text: String },
    /// A key the caller requires is absent from every layer.
    MissingKey(String),
    /// A value that cannot be read as the type asked for.
    BadValue { key: String, value: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Io(err) => write!(f, "config file: {err}"),
            ConfigError::Syntax { line, text } => write!(f, "line {line}: cannot read `{text}`"),
            ConfigError::MissingKey(key) => write!(f, "missing key `{key}`"),
            ConfigError::BadValue { key, value } => write!(f, "key `{key}`: bad value `{value}`"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Io(err) => Some(err),
            _ => None,
        }
    }
}

/// The merged configuration and the files it came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    values: BTreeMap<String, String>,
    sources: Vec<PathBuf>,
}

impl Config {
    pub fn new() -> Config {
        Config::default()
    }

    /// The raw value of `section.key`, if any layer set it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    /// Like `get`, but a missing key is an error.
    pub fn require(&self, key: &str) -> Result<&str, ConfigError> {
        self.get(key).ok_or_else(|| ConfigError::MissingKey(key.to_string()))
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.values.insert(key.to_string(), value.to_string());
    }

    /// A port number, e.g. `server.port = 8080`.
    pub fn get_port(&self, key: &str) -> Result<u16, ConfigError> {
        let raw = self.require(key)?;
        raw.parse().map_err(|_| bad_value(key, raw))
    }

    /// `true/false`, `yes/no`, `on/off` or `1/0`.
    pub fn get_bool(&self, key: &str) -> Result<bool, ConfigError> {
        let raw = self.require(key)?;
        match raw.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok(true),
            "false" | "no" | "off" | "0" => Ok(false),
            _ => Err(bad_value(key, raw)),
        }
    }

    /// The files that contributed, in the order they were read.
    pub fn sources(&self) -> &[PathBuf] {
        &self.sources
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Lays `other` over `self`: its keys win, its sources come after ours.
    pub fn merge(&mut self, other: Config) {
        self.values.extend(other.values);
        self.sources.extend(other.sources);
    }

    /// The configuration as INI text, one section after another.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut current: Option<&str> = None;
        for (full_key, value) in &self.values {
            let (section, key) = split_key(full_key);
            if current != Some(section) {
                if current.is_some() {
                    out.push('\n');
                }
                out.push_str(&format!("[{section}]\n"));
                current = Some(section);
            }
            out.push_str(&format!("{key} = {value}\n"));
        }
        out
    }
}

fn bad_value(key: &str, value: &str) -> ConfigError {
    ConfigError::BadValue { key: key.to_string(), value: value.to_string() }
}

/// `server.port` -> (`server`, `port`); a key without a section lives in `general`.
fn split_key(full_key: &str) -> (&str, &str) {
    full_key.split_once('.').unwrap_or(("general", full_key))
}

/// Reads INI text; keys come out as `section.key`.
pub fn parse_ini(text: &str) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut values = BTreeMap::new();
    let mut section = String::from("general");
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            section = name.trim().to_string();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(ConfigError::Syntax { line: number + 1, text: line.to_string() });
        };
        values.insert(format!("{section}.{}", key.trim()), value.trim().to_string());
    }
    Ok(values)
}

/// Loads one INI file as a configuration layer.
pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
    let text = fs::read_to_string(path).map_err(ConfigError::Io)?;
    let values = parse_ini(&text)?;
    Ok(Config { values, sources: vec![path.to_path_buf()] })
}

/// The `*.ini` files of a drop-in directory, sorted by name.
pub fn list_dropins(dir: &Path) -> Result<Vec<PathBuf>, ConfigError> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).map_err(ConfigError::Io)? {
        let path = entry.map_err(ConfigError::Io)?.path();
        if path.extension().is_some_and(|ext| ext == "ini") {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// `service.ini` under `root`, then its `conf.d/*.ini` drop-ins, if the directory exists.
pub fn load_layered(root: &Path) -> Result<Config, ConfigError> {
    let mut config = load_file(&root.join("service.ini"))?;
    let dropins = root.join("conf.d");
    if dropins.is_dir() {
        for path in list_dropins(&dropins)? {
            config.merge(load_file(&path)?);
        }
    }
    Ok(config)
}

/// Writes the configuration as INI text.
pub fn save(config: &Config, path: &Path) -> Result<(), ConfigError> {
    fs::write(path, config.render()).map_err(ConfigError::Io)?;
    Ok(())
}

/// Copies `path` to `path.bak` before it is overwritten; returns the backup's path.
pub fn backup(path: &Path) -> Result<PathBuf, ConfigError> {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    let target = PathBuf::from(name);
    fs::copy(path, &target).map_err(ConfigError::Io)?;
    Ok(target)
}

/// Creates `<root>/state` (and its parents) for the service's runtime files.
pub fn ensure_state_dir(root: &Path) -> Result<PathBuf, ConfigError> {
    let dir = root.join("state");
    fs::create_dir_all(&dir).map_err(ConfigError::Io)?;
    Ok(dir)
}

/// Size in bytes of a configuration file, to refuse absurdly large ones.
pub fn file_size(path: &Path) -> Result<u64, ConfigError> {
    let meta = fs::metadata(path).map_err(ConfigError::Io)?;
    Ok(meta.len())
}

/// Saves `config` over `path`, keeping a backup when the file already exists.
pub fn save_with_backup(config: &Config, path: &Path) -> Result<Option<PathBuf>, ConfigError> {
    let kept = if path.exists() { Some(backup(path)?) } else { None };
    save(config, path)?;
    Ok(kept)
}
