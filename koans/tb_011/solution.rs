use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Email {
    user: String,
    domain: String,
}

struct MailingList {
    members: HashSet<Email>,
    rejected: Vec<String>,
}

impl MailingList {
    fn new() -> Self {
        MailingList { members: HashSet::new(), rejected: Vec::new() }
    }

    /// Lowercases the address and strips a "+tag" from the user part before adding it.
    /// Returns true only when a new person joined.
    fn subscribe(&mut self, raw: &str) -> bool {
        let lower = raw.trim().to_lowercase();
        if let Some((user, domain)) = lower.split_once('@') {
            let user = user.split('+').next().unwrap_or("");
            if !user.is_empty() && domain.contains('.') {
                let email = Email { user: user.to_string(), domain: domain.to_string() };
                return self.members.insert(email);
            }
        }
        self.rejected.push(raw.to_string());
        false
    }
}

fn main() {
    let mut list = MailingList::new();
    for raw in ["Ann@Example.com", "ann+news@example.com", "bob@mail.org", "nobody"] {
        let joined = list.subscribe(raw);
        println!("{:<24} joined: {}", raw, joined);
    }
    println!("{} members, {} rejected", list.members.len(), list.rejected.len());
}
