#[derive(Debug, Clone)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

pub fn parse_version(s: &str) -> Option<Version> {
    let mut parts = s.trim().trim_start_matches('v').split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some(Version { major, minor, patch })
}

pub fn render(v: &Version) -> String {
    format!("{}.{}.{}", v.major, v.minor, v.patch)
}

/// Parses release tags, drops the invalid ones and returns them oldest first.
pub fn release_order(tags: &[&str]) -> Vec<String> {
    let mut versions: Vec<Version> = tags.iter().filter_map(|t| parse_version(t)).collect();
    versions.sort();
    versions.dedup_by(|a, b| render(a) == render(b));
    versions.iter().map(render).collect()
}

pub fn latest(tags: &[&str]) -> Option<String> {
    tags.iter().filter_map(|t| parse_version(t)).max().map(|v| render(&v))
}
