use std::collections::BTreeMap;

/// Chat groups and their members.
#[derive(Default)]
pub struct Groups {
    members: BTreeMap<String, Vec<String>>,
}

impl Groups {
    pub fn join(&mut self, group: &str, user: &str) {
        let list = self.members.entry(group.to_string()).or_default();
        if !list.iter().any(|u| u == user) {
            list.push(user.to_string());
        }
    }

    /// Whoever joined the group first; None for an unknown group.
    pub fn owner(&self, group: &str) -> Option<&str> {
        self.members.get(group).and_then(|m| m.first()).map(|u| u.as_str())
    }

    /// How many members a group has; an unknown group has none.
    pub fn size(&self, group: &str) -> usize {
        self.members.get(group).map_or(0, |m| m.len())
    }

    /// Groups with at least `min` members, largest first, then by name.
    pub fn busiest(&self, min: usize) -> Vec<(&str, usize)> {
        let mut out: Vec<(&str, usize)> = self
            .members
            .keys()
            .map(|g| (g.as_str(), self.size(g)))
            .filter(|&(_, n)| n >= min)
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out
    }
}
