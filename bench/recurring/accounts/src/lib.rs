//! Users and teams of a small collaboration app, and the text the app shows
//! about them.
//!
//! `model` owns the records. Their fields are private so that its invariants
//! hold (logins are validated, nicknames trimmed, emails lower-cased). A user
//! has a login, `name()`, used in URLs, mentions and audit trails, and may
//! choose a nickname. House rule: outside `model`, anything shown to a person
//! names a user by `display_name()` (the nickname, or the login when there is
//! none), never by the login.

use std::fmt;

/// What account operations can refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountError {
    /// A login that is empty, too long or has characters other than `a-z0-9_-`.
    InvalidLogin(String),
    /// An email without exactly one `@`.
    InvalidEmail(String),
    /// A login already taken in this team.
    Duplicate(String),
    /// No member with this login.
    UnknownUser(String),
}

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountError::InvalidLogin(login) => write!(f, "`{login}` is not a valid login"),
            AccountError::InvalidEmail(email) => write!(f, "`{email}` is not an email address"),
            AccountError::Duplicate(login) => write!(f, "login `{login}` is taken"),
            AccountError::UnknownUser(login) => write!(f, "no user `{login}`"),
        }
    }
}

impl std::error::Error for AccountError {}

pub mod model {
    use super::AccountError;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Role {
        Owner,
        Admin,
        Member,
        Guest,
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct User {
        id: u32,
        name: String,
        nickname: Option<String>,
        email: Option<String>,
        role: Role,
        active: bool,
    }

    fn valid_login(login: &str) -> bool {
        !login.is_empty()
            && login.len() <= 32
            && login.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    }

    impl User {
        pub fn new(id: u32, login: &str) -> Result<User, AccountError> {
            if !valid_login(login) {
                return Err(AccountError::InvalidLogin(login.to_string()));
            }
            Ok(User { id, name: login.to_string(), nickname: None, email: None, role: Role::Member, active: true })
        }

        /// Sets the nickname, trimmed; a blank one clears it.
        pub fn with_nickname(mut self, nickname: &str) -> User {
            let nickname = nickname.trim();
            self.nickname = if nickname.is_empty() { None } else { Some(nickname.to_string()) };
            self
        }

        pub fn with_email(mut self, email: &str) -> Result<User, AccountError> {
            if email.matches('@').count() != 1 || email.starts_with('@') || email.ends_with('@') {
                return Err(AccountError::InvalidEmail(email.to_string()));
            }
            self.email = Some(email.trim().to_lowercase());
            Ok(self)
        }

        pub fn with_role(mut self, role: Role) -> User {
            self.role = role;
            self
        }

        pub fn id(&self) -> u32 {
            self.id
        }

        /// The login: stable, unique, for URLs, mentions and logs.
        pub fn name(&self) -> &str {
            &self.name
        }

        pub fn nickname(&self) -> Option<&str> {
            self.nickname.as_deref()
        }

        /// How the app shows this user to people.
        pub fn display_name(&self) -> &str {
            self.nickname.as_deref().unwrap_or(&self.name)
        }

        pub fn email(&self) -> Option<&str> {
            self.email.as_deref()
        }

        pub fn role(&self) -> Role {
            self.role
        }

        pub fn is_active(&self) -> bool {
            self.active
        }

        pub fn deactivate(&mut self) {
            self.active = false;
        }
    }

    /// A team: members in the order they joined.
    #[derive(Debug, Clone, Default)]
    pub struct Team {
        title: String,
        members: Vec<User>,
    }

    impl Team {
        pub fn new(title: &str) -> Team {
            Team { title: title.to_string(), members: Vec::new() }
        }

        pub fn title(&self) -> &str {
            &self.title
        }

        pub fn add(&mut self, user: User) -> Result<(), AccountError> {
            if self.members.iter().any(|m| m.name() == user.name()) {
                return Err(AccountError::Duplicate(user.name().to_string()));
            }
            self.members.push(user);
            Ok(())
        }

        pub fn member(&self, login: &str) -> Result<&User, AccountError> {
            self.members.iter().find(|m| m.name() == login).ok_or_else(|| AccountError::UnknownUser(login.to_string()))
        }

        pub fn members(&self) -> &[User] {
            &self.members
        }

        pub fn active_members(&self) -> impl Iterator<Item = &User> {
            self.members.iter().filter(|m| m.is_active())
        }
    }
}

use model::{Role, Team, User};

/// The banner shown once after sign-up.
pub fn welcome_message(user: &User) -> String {
    format!("Welcome aboard, {}!", user.display_name())
}

/// The mention that links to a profile: always the login.
pub fn mention(user: &User) -> String {
    format!("@{}", user.name())
}

/// One line of the team page: name, then role.
pub fn roster_line(user: &User) -> String {
    let role = match user.role() {
        Role::Owner => "owner",
        Role::Admin => "admin",
        Role::Member => "member",
        Role::Guest => "guest",
    };
    format!("{:<16}{role}", user.display_name())
}

/// Sorts users as the member list shows them: by display name, ignoring case.
pub fn sort_for_display(users: &mut [User]) {
    users.sort_by_key(|u| u.display_name().to_lowercase());
}

/// Up to two initials for an avatar, from the displayed name.
pub fn initials(user: &User) -> String {
    let shown = user.display_name();
    shown.split_whitespace().filter_map(|word| word.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

/// The subject of a notification email, e.g. "Ada commented on Roadmap".
pub fn notification_subject(actor: &User, action: &str, target: &str) -> String {
    let who = actor.display_name();
    format!("{who} {action} {target}")
}

/// "Ada, Bob and 2 others" for a team card.
pub fn team_card(team: &Team) -> String {
    let names: Vec<&str> = team.active_members().map(|u| u.display_name()).collect();
    match names.len() {
        0 => format!("{}: nobody yet", team.title()),
        1 => format!("{}: {}", team.title(), names[0]),
        2 => format!("{}: {} and {}", team.title(), names[0], names[1]),
        n => format!("{}: {}, {} and {} others", team.title(), names[0], names[1], n - 2),
    }
}

/// The audit trail records logins, which never change.
pub fn audit_entry(actor: &User, action: &str) -> String {
    format!("user={} id={} action={action}", actor.name(), actor.id())
}
