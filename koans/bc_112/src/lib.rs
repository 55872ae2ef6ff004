pub struct Member {
    pub handle: String,
    pub nickname: Option<String>,
    pub karma: i32,
}

/// The welcome line for a member: nickname when set, handle otherwise.
pub fn welcome(handle: &str, nickname: Option<String>, karma: i32) -> String {
    let mut line = String::from("Welcome back, ");
    if let Some(nick) = nickname {
        line.push_str(&nick);
    } else {
        line.push_str(handle);
    }
    if karma >= 100 {
        line.push_str(" *");
    }
    if nickname.is_none() && karma < 0 {
        line.push_str(" (pick a nickname to start fresh)");
    }
    line
}

pub fn welcome_all(members: Vec<Member>) -> Vec<String> {
    members
        .into_iter()
        .map(|m| welcome(&m.handle, m.nickname, m.karma))
        .collect()
}
