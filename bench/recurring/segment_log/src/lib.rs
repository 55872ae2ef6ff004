//! An append-only event log kept as numbered segment files in a directory:
//! `00000001.seg`, `00000002.seg`, ..., one event per line as
//! `<timestamp> <level> <message>`, plus a `HEAD` file naming the active
//! segment.
//!
//! House rule: an I/O error never travels without the file it happened to.
//! `LogError` has no `From<io::Error>`; every file-system call ends in
//! `.with_path(&path)?` (the `IoContext` extension trait below), with the
//! path the call was given, so a log reader can say "segment 00000003.seg:
//! permission denied" instead of "permission denied".

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// What reading or writing the log can fail with.
#[derive(Debug)]
pub enum LogError {
    /// The file system refused, for this path.
    Io { path: PathBuf, source: io::Error },
    /// A line that is not `<timestamp> <level> <message>`.
    BadLine { segment: u32, line: usize },
    /// A level other than DEBUG, INFO, WARN or ERROR.
    UnknownLevel(String),
}

impl fmt::Display for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            LogError::BadLine { segment, line } => write!(f, "segment {segment}, line {line}: not an event"),
            LogError::UnknownLevel(level) => write!(f, "unknown level `{level}`"),
        }
    }
}

impl std::error::Error for LogError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LogError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Attaches the path an I/O call was about to its error.
pub trait IoContext<T> {
    fn with_path(self, path: &Path) -> Result<T, LogError>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn with_path(self, path: &Path) -> Result<T, LogError> {
        self.map_err(|source| LogError::Io { path: path.to_path_buf(), source })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    Warn,
    Error,
}

impl Level {
    pub fn parse(text: &str) -> Result<Level, LogError> {
        match text {
            "DEBUG" => Ok(Level::Debug),
            "INFO" => Ok(Level::Info),
            "WARN" => Ok(Level::Warn),
            "ERROR" => Ok(Level::Error),
            other => Err(LogError::UnknownLevel(other.to_string())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
        }
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub timestamp: u64,
    pub level: Level,
    pub message: String,
}

impl Event {
    pub fn new(timestamp: u64, level: Level, message: &str) -> Event {
        Event { timestamp, level, message: message.replace('\n', " ") }
    }

    fn to_line(&self) -> String {
        format!("{} {} {}\n", self.timestamp, self.level.as_str(), self.message)
    }

    fn from_line(line: &str, segment: u32, number: usize) -> Result<Event, LogError> {
        let bad = || LogError::BadLine { segment, line: number };
        let mut parts = line.splitn(3, ' ');
        let timestamp = parts.next().and_then(|t| t.parse().ok()).ok_or_else(bad)?;
        let level = Level::parse(parts.next().ok_or_else(bad)?)?;
        let message = parts.next().unwrap_or("").to_string();
        Ok(Event { timestamp, level, message })
    }
}

/// The file name of segment `n`.
pub fn segment_name(n: u32) -> String {
    format!("{n:08}.seg")
}

/// A log directory.
#[derive(Debug, Clone)]
pub struct SegmentLog {
    dir: PathBuf,
}

impl SegmentLog {
    /// Opens (creating if needed) the log in `dir`.
    pub fn open(dir: &Path) -> Result<SegmentLog, LogError> {
        fs::create_dir_all(dir).with_path(dir)?;
        Ok(SegmentLog { dir: dir.to_path_buf() })
    }

    pub fn segment_path(&self, n: u32) -> PathBuf {
        self.dir.join(segment_name(n))
    }

    /// The active segment named in HEAD; 1 when there is no HEAD yet.
    pub fn head(&self) -> Result<u32, LogError> {
        let path = self.dir.join("HEAD");
        if !path.exists() {
            return Ok(1);
        }
        let text = fs::read_to_string(&path).with_path(&path)?;
        text.trim().parse().map_err(|_| LogError::BadLine { segment: 0, line: 1 })
    }

    fn set_head(&self, n: u32) -> Result<(), LogError> {
        let path = self.dir.join("HEAD");
        fs::write(&path, format!("{n}\n")).with_path(&path)
    }

    /// Appends one event to the active segment.
    pub fn append(&self, event: &Event) -> Result<(), LogError> {
        let path = self.segment_path(self.head()?);
        let mut file = OpenOptions::new().create(true).append(true).open(&path).with_path(&path)?;
        file.write_all(event.to_line().as_bytes()).with_path(&path)?;
        Ok(())
    }

    /// Starts a new segment; returns its number.
    pub fn rotate(&self) -> Result<u32, LogError> {
        let next = self.head()? + 1;
        let path = self.segment_path(next);
        File::create(&path).with_path(&path)?;
        self.set_head(next)?;
        Ok(next)
    }

    /// Every event of segment `n`, in order.
    pub fn read_segment(&self, n: u32) -> Result<Vec<Event>, LogError> {
        let path = self.segment_path(n);
        let file = File::open(&path).with_path(&path)?;
        let mut events = Vec::new();
        for (number, line) in BufReader::new(file).lines().enumerate() {
            let line = line.with_path(&path)?;
            events.push(Event::from_line(&line, n, number + 1)?);
        }
        Ok(events)
    }

    /// Segment numbers present in the directory, sorted.
    pub fn segments(&self) -> Result<Vec<u32>, LogError> {
        let mut found = Vec::new();
        for entry in fs::read_dir(&self.dir).with_path(&self.dir)? {
            let name = entry.with_path(&self.dir)?.file_name();
            let name = name.to_string_lossy();
            if let Some(n) = name.strip_suffix(".seg").and_then(|stem| stem.parse().ok()) {
                found.push(n);
            }
        }
        found.sort_unstable();
        Ok(found)
    }

    /// Deletes the segments older than `keep_from`; returns how many went.
    pub fn drop_before(&self, keep_from: u32) -> Result<usize, LogError> {
        let mut dropped = 0;
        for n in self.segments()?.into_iter().filter(|&n| n < keep_from) {
            let path = self.segment_path(n);
            fs::remove_file(&path).with_path(&path)?;
            dropped += 1;
        }
        Ok(dropped)
    }

    /// Size of segment `n` in bytes.
    pub fn segment_size(&self, n: u32) -> Result<u64, LogError> {
        let path = self.segment_path(n);
        let meta = fs::metadata(&path).with_path(&path)?;
        Ok(meta.len())
    }

    /// Every event at or above `level`, across all segments.
    pub fn events_at_least(&self, level: Level) -> Result<Vec<Event>, LogError> {
        let mut out = Vec::new();
        for n in self.segments()? {
            out.extend(self.read_segment(n)?.into_iter().filter(|e| e.level >= level));
        }
        Ok(out)
    }
}
