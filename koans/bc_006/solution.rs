pub struct User {
    pub name: String,
    pub muted: bool,
}

#[derive(Debug, PartialEq)]
pub struct Notification {
    pub to: String,
    pub body: String,
}

/// Sends the same announcement to every user who has not muted notifications.
pub fn broadcast(users: &[User], subject: &str) -> Vec<Notification> {
    let body = format!("[announcement] {}", subject);
    let mut out = Vec::new();
    for user in users {
        if user.muted {
            continue;
        }
        out.push(Notification { to: user.name.clone(), body: body.clone() });
    }
    out
}

pub fn recipients(sent: &[Notification]) -> String {
    sent.iter().map(|n| n.to.as_str()).collect::<Vec<_>>().join(", ")
}
