use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub name: String,
    pub at_minute: u32,
    pub room: String,
}

#[derive(Default)]
pub struct Calendar {
    events: Vec<Event>,
    by_name: HashMap<String, usize>,
}

impl Calendar {
    /// Adds an event unless one with that name is booked; returns its position.
    pub fn add(&mut self, event: Event) -> Result<usize, String> {
        if self.by_name.contains_key(&event.name) {
            return Err(format!("{} is already booked", event.name));
        }
        let pos = self.events.len();
        self.by_name.insert(event.name, pos);
        self.events.push(event);
        Ok(pos)
    }

    pub fn find(&self, name: &str) -> Option<&Event> {
        self.by_name.get(name).map(|&i| &self.events[i])
    }

    pub fn in_room(&self, room: &str) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .events
            .iter()
            .filter(|e| e.room == room)
            .map(|e| e.name.as_str())
            .collect();
        names.sort();
        names
    }
}
