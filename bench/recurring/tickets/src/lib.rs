//! The core of a small ticket tracker: tickets with ids like `OPS-0042`,
//! their states, assignees, comments and links, and the text commands a
//! chat bot and a command line send to it.
//!
//! House rule: an id typed by a person (a command argument, a URL segment,
//! a word of a commit message) enters the typed world only through
//! `TicketId::parse(raw)?`. It accepts `ops-42`, ` OPS-0042 ` and `#OPS-42`
//! alike and rejects anything else as `TrackerError::BadId` with the text
//! the person typed; the `Tracker` itself only ever takes a `&TicketId`.

use std::collections::BTreeMap;
use std::fmt;

/// What the tracker refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackerError {
    /// Text that is not a ticket id; holds what was typed.
    BadId(String),
    /// A well-formed id with no ticket behind it.
    NotFound(TicketId),
    /// A state change the workflow does not allow.
    BadTransition { id: TicketId, from: State, to: State },
    /// A ticket cannot be linked to itself.
    SelfLink(TicketId),
}

impl fmt::Display for TrackerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrackerError::BadId(raw) => write!(f, "`{raw}` is not a ticket id (expected e.g. OPS-42)"),
            TrackerError::NotFound(id) => write!(f, "no ticket {id}"),
            TrackerError::BadTransition { id, from, to } => write!(f, "{id}: cannot go from {from:?} to {to:?}"),
            TrackerError::SelfLink(id) => write!(f, "{id} cannot be linked to itself"),
        }
    }
}

impl std::error::Error for TrackerError {}

/// A ticket id: a project key (2 to 5 capital letters) and a number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TicketId {
    project: String,
    number: u32,
}

impl TicketId {
    /// Reads an id as people type it: any case, optional `#`, optional zero padding.
    pub fn parse(raw: &str) -> Result<TicketId, TrackerError> {
        let bad = || TrackerError::BadId(raw.to_string());
        let text = raw.trim().trim_start_matches('#');
        let (project, number) = text.split_once('-').ok_or_else(bad)?;
        let project = project.to_ascii_uppercase();
        if !(2..=5).contains(&project.len()) || !project.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(bad());
        }
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let number: u32 = number.parse().map_err(|_| bad())?;
        if number == 0 {
            return Err(bad());
        }
        Ok(TicketId { project, number })
    }

    pub fn project(&self) -> &str {
        &self.project
    }

    pub fn number(&self) -> u32 {
        self.number
    }
}

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}", self.project, self.number)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Open,
    InProgress,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub id: TicketId,
    pub title: String,
    pub state: State,
    pub assignee: Option<String>,
    pub comments: Vec<String>,
    pub links: Vec<TicketId>,
}

/// All tickets, by id; numbers are handed out per project.
#[derive(Debug, Default)]
pub struct Tracker {
    tickets: BTreeMap<TicketId, Ticket>,
    last_number: BTreeMap<String, u32>,
}

impl Tracker {
    pub fn new() -> Tracker {
        Tracker::default()
    }

    /// Files a new ticket in `project` (an upper-case key) and returns its id.
    pub fn file(&mut self, project: &str, title: &str) -> TicketId {
        let last = self.last_number.entry(project.to_string()).or_insert(0);
        *last += 1;
        let id = TicketId { project: project.to_string(), number: *last };
        let ticket = Ticket {
            id: id.clone(),
            title: title.to_string(),
            state: State::Open,
            assignee: None,
            comments: Vec::new(),
            links: Vec::new(),
        };
        self.tickets.insert(id.clone(), ticket);
        id
    }

    pub fn ticket(&self, id: &TicketId) -> Result<&Ticket, TrackerError> {
        self.tickets.get(id).ok_or_else(|| TrackerError::NotFound(id.clone()))
    }

    fn ticket_mut(&mut self, id: &TicketId) -> Result<&mut Ticket, TrackerError> {
        self.tickets.get_mut(id).ok_or_else(|| TrackerError::NotFound(id.clone()))
    }

    /// Moves a ticket along the workflow: Open -> InProgress -> Closed, or Closed -> Open.
    pub fn transition(&mut self, id: &TicketId, to: State) -> Result<(), TrackerError> {
        let ticket = self.ticket_mut(id)?;
        let allowed = matches!(
            (ticket.state, to),
            (State::Open, State::InProgress)
                | (State::InProgress, State::Closed)
                | (State::Open, State::Closed)
                | (State::Closed, State::Open)
        );
        if !allowed {
            return Err(TrackerError::BadTransition { id: id.clone(), from: ticket.state, to });
        }
        ticket.state = to;
        Ok(())
    }

    pub fn assign(&mut self, id: &TicketId, who: &str) -> Result<(), TrackerError> {
        self.ticket_mut(id)?.assignee = Some(who.to_string());
        Ok(())
    }

    pub fn comment(&mut self, id: &TicketId, text: &str) -> Result<usize, TrackerError> {
        let ticket = self.ticket_mut(id)?;
        ticket.comments.push(text.to_string());
        Ok(ticket.comments.len())
    }

    /// Links two tickets both ways.
    pub fn link(&mut self, a: &TicketId, b: &TicketId) -> Result<(), TrackerError> {
        if a == b {
            return Err(TrackerError::SelfLink(a.clone()));
        }
        self.ticket(b)?;
        self.ticket_mut(a)?.links.push(b.clone());
        self.ticket_mut(b)?.links.push(a.clone());
        Ok(())
    }
}

/// `show OPS-42`: a one-line summary.
pub fn cmd_show(tracker: &Tracker, raw: &str) -> Result<String, TrackerError> {
    let ticket = tracker.ticket(&TicketId::parse(raw)?)?;
    let who = ticket.assignee.as_deref().unwrap_or("nobody");
    Ok(format!("{} [{:?}] {} ({who})", ticket.id, ticket.state, ticket.title))
}

/// `start OPS-42`: work begins.
pub fn cmd_start(tracker: &mut Tracker, raw: &str) -> Result<String, TrackerError> {
    let id = TicketId::parse(raw)?;
    tracker.transition(&id, State::InProgress)?;
    Ok(format!("{id} is in progress"))
}

/// `close OPS-42`.
pub fn cmd_close(tracker: &mut Tracker, raw: &str) -> Result<(), TrackerError> {
    tracker.transition(&TicketId::parse(raw)?, State::Closed)
}

/// `assign OPS-42 dana`.
pub fn cmd_assign(tracker: &mut Tracker, raw: &str, who: &str) -> Result<(), TrackerError> {
    tracker.assign(&TicketId::parse(raw)?, who)
}

/// `comment OPS-42 some text`; returns the comment's number.
pub fn cmd_comment(tracker: &mut Tracker, raw: &str, text: &str) -> Result<usize, TrackerError> {
    tracker.comment(&TicketId::parse(raw)?, text.trim())
}

/// `link OPS-42 WEB-7`.
pub fn cmd_link(tracker: &mut Tracker, from: &str, to: &str) -> Result<(), TrackerError> {
    let from = TicketId::parse(from)?;
    tracker.link(&from, &TicketId::parse(to)?)
}

/// Ids mentioned in a commit message (`fixes #OPS-42`), in order, without repeats.
pub fn mentioned_ids(message: &str) -> Vec<TicketId> {
    let mut ids: Vec<TicketId> = Vec::new();
    for word in message.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')') {
        if let Ok(id) = TicketId::parse(word) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}
