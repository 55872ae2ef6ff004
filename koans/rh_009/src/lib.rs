pub struct Member {
    pub first: String,
    pub last: String,
    pub nickname: Option<String>,
    pub active: bool,
}

impl Member {
    pub fn new(first: &str, last: &str, nickname: Option<&str>) -> Self {
        Member {
            first: first.to_string(),
            last: last.to_string(),
            nickname: nickname.map(|n| n.to_string()),
            active: true,
        }
    }

    /// The nickname if the member chose one, otherwise "First Last".
    pub fn display_name(&self) -> String {
        self.nickname.clone()
    }

    pub fn initials(&self) -> String {
        self.first.chars().take(1).chain(self.last.chars().take(1)).collect()
    }
}

/// Builds the roll-call list for active members, sorted by display name.
pub fn roll_call(members: &[Member]) -> Vec<String> {
    let mut names: Vec<String> = members
        .iter()
        .filter(|m| m.active)
        .map(|m| format!("{} ({})", m.display_name(), m.initials()))
        .collect();
    names.sort();
    names
}
