//! Tasks, their identifiers and priorities.

use std::collections::BTreeSet;
use std::fmt;

/// A task identifier, shown as `T<n>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub u32);

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T{}", self.0)
    }
}

/// How urgent a task is. Ordered from least to most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Critical,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Critical,
    ];

    /// A multiplier used when weighing tasks against each other.
    pub fn weight(self) -> u32 {
        match self {
            Priority::Low => 1,
            Priority::Normal => 2,
            Priority::High => 4,
            Priority::Critical => 8,
        }
    }

    pub fn parse(text: &str) -> Option<Priority> {
        let lower = text.to_ascii_lowercase();
        Priority::ALL
            .iter()
            .copied()
            .find(|p| p.name() == lower)
    }

    pub fn name(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }
}

/// A unit of work: it takes `duration` minutes and may start only after its dependencies end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: TaskId,
    pub name: String,
    pub priority: Priority,
    pub duration: u32,
    pub deps: Vec<TaskId>,
    pub deadline: Option<u64>,
    pub tags: BTreeSet<String>,
}

impl Task {
    pub fn new(id: u32, name: &str, duration: u32) -> Task {
        Task {
            id: TaskId(id),
            name: name.to_string(),
            priority: Priority::default(),
            duration,
            deps: Vec::new(),
            deadline: None,
            tags: BTreeSet::new(),
        }
    }

    pub fn with_priority(mut self, priority: Priority) -> Task {
        self.priority = priority;
        self
    }

    /// Adds a dependency on task `dep` (ignored when already present).
    pub fn after(mut self, dep: u32) -> Task {
        let dep = TaskId(dep);
        if !self.deps.contains(&dep) {
            self.deps.push(dep);
        }
        self
    }

    pub fn due(mut self, deadline: u64) -> Task {
        self.deadline = Some(deadline);
        self
    }

    pub fn tagged(mut self, tag: &str) -> Task {
        self.tags.insert(tag.to_string());
        self
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.contains(tag)
    }

    /// A copy of this task under another id and name, with the same dependencies.
    pub fn duplicate(&self, id: u32, name: &str) -> Task {
        Task {
            id: TaskId(id),
            name: name.to_string(),
            ..self.clone()
        }
    }
}

/// Something with a scheduling weight; heavier things go first.
pub trait Weighted {
    fn weight(&self) -> u64;

    fn heavier_than(&self, other: &Self) -> bool {
        self.weight() > other.weight()
    }
}

impl Weighted for Task {
    fn weight(&self) -> u64 {
        self.duration as u64 * self.priority.weight() as u64
    }
}

impl<T: Weighted> Weighted for [T] {
    fn weight(&self) -> u64 {
        self.iter().map(Weighted::weight).sum()
    }
}

/// Sorts by descending weight, ties broken by ascending id (a stable, total order).
pub fn sort_by_weight(tasks: &mut [Task]) {
    tasks.sort_by(|a, b| b.weight().cmp(&a.weight()).then(a.id.cmp(&b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_are_ordered_and_parse() {
        assert!(Priority::Critical > Priority::High);
        assert!(Priority::Low < Priority::Normal);
        assert_eq!(Priority::default(), Priority::Normal);
        assert_eq!(Priority::parse("HIGH"), Some(Priority::High));
        assert_eq!(Priority::parse("urgent"), None);
    }

    #[test]
    fn builder_sets_fields_and_dedups_deps() {
        let t = Task::new(3, "build", 30)
            .with_priority(Priority::High)
            .after(1)
            .after(2)
            .after(1)
            .due(120)
            .tagged("ci");
        assert_eq!(t.id, TaskId(3));
        assert_eq!(t.deps, vec![TaskId(1), TaskId(2)]);
        assert_eq!(t.deadline, Some(120));
        assert!(t.has_tag("ci"));
        assert_eq!(t.id.to_string(), "T3");
    }

    #[test]
    fn duplicate_keeps_everything_but_id_and_name() {
        let t = Task::new(1, "test", 15).after(7).tagged("ci").due(90);
        let copy = t.duplicate(2, "test-again");
        assert_eq!(copy.id, TaskId(2));
        assert_eq!(copy.name, "test-again");
        assert_eq!((copy.deps.clone(), copy.deadline, copy.duration), (vec![TaskId(7)], Some(90), 15));
        assert!(copy.has_tag("ci"));
    }

    #[test]
    fn weight_combines_duration_and_priority() {
        let a = Task::new(1, "a", 10).with_priority(Priority::Critical);
        let b = Task::new(2, "b", 30);
        assert_eq!(a.weight(), 80);
        assert_eq!(b.weight(), 60);
        assert!(a.heavier_than(&b));
        let both = [a.clone(), b.clone()];
        assert_eq!(both[..].weight(), 140);
    }

    #[test]
    fn sort_by_weight_breaks_ties_by_id() {
        let mut tasks = vec![
            Task::new(2, "x", 10),
            Task::new(1, "y", 10),
            Task::new(3, "z", 40).with_priority(Priority::Low),
        ];
        sort_by_weight(&mut tasks);
        let ids: Vec<u32> = tasks.iter().map(|t| t.id.0).collect();
        assert_eq!(ids, vec![3, 1, 2]);
    }
}
