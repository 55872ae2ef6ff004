#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tier {
    Free,
    Pro,
    Enterprise,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quota {
    pub per_minute: u32,
    pub burst: u32,
}

pub const DEFAULT_QUOTA: Quota = Quota { per_minute: 10, burst: 5 };

pub fn parse_tier(name: &str) -> Option<Tier> {
    match name.to_ascii_lowercase().as_str() {
        "free" => Some(Tier::Free),
        "pro" => Some(Tier::Pro),
        "enterprise" => Some(Tier::Enterprise),
        _ => None,
    }
}

/// Looks the tier up in the override table; tiers not listed get DEFAULT_QUOTA.
pub fn quota_for(tier: Tier, table: &[(Tier, Quota)]) -> Quota {
    let found = table.iter().find(|(t, _)| *t == tier).map(|(_, q)| q);
    found.copied().unwrap_or(DEFAULT_QUOTA)
}

/// Replays a burst of requests; returns (accepted, rejected).
pub fn simulate(tier_name: &str, table: &[(Tier, Quota)], requests: u32) -> (u32, u32) {
    let tier = parse_tier(tier_name).unwrap_or(Tier::Free);
    let quota = quota_for(tier, table);
    let accepted = requests.min(quota.per_minute + quota.burst);
    (accepted, requests - accepted)
}
