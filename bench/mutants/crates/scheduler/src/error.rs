//! Errors raised while building a task graph or planning it.

use std::fmt;

use crate::task::TaskId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    DuplicateTask(TaskId),
    SelfDependency(TaskId),
    MissingDependency { task: TaskId, missing: TaskId },
    /// The tasks of one dependency cycle, in order, first repeated at the end.
    Cycle(Vec<TaskId>),
    NoWorkers,
    ZeroSlot,
    DoesNotFit { task: TaskId, duration: u32 },
    SlotTaken { slot: usize, by: TaskId },
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::DuplicateTask(id) => write!(f, "task {id} defined twice"),
            ScheduleError::SelfDependency(id) => write!(f, "task {id} depends on itself"),
            ScheduleError::MissingDependency { task, missing } => {
                write!(f, "task {task} depends on unknown task {missing}")
            }
            ScheduleError::Cycle(ids) => {
                let path: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
                write!(f, "dependency cycle: {}", path.join(" -> "))
            }
            ScheduleError::NoWorkers => write!(f, "at least one worker is needed"),
            ScheduleError::ZeroSlot => write!(f, "slot length must be positive"),
            ScheduleError::DoesNotFit { task, duration } => {
                write!(f, "task {task} ({duration} min) does not fit in the horizon")
            }
            ScheduleError::SlotTaken { slot, by } => write!(f, "slot {slot} already taken by {by}"),
        }
    }
}

impl std::error::Error for ScheduleError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_display_joins_ids() {
        let err = ScheduleError::Cycle(vec![TaskId(1), TaskId(2), TaskId(1)]);
        assert_eq!(err.to_string(), "dependency cycle: T1 -> T2 -> T1");
    }

    #[test]
    fn display_names_the_tasks() {
        let err = ScheduleError::MissingDependency {
            task: TaskId(4),
            missing: TaskId(9),
        };
        assert_eq!(err.to_string(), "task T4 depends on unknown task T9");
        let err = ScheduleError::DoesNotFit {
            task: TaskId(2),
            duration: 90,
        };
        assert_eq!(err.to_string(), "task T2 (90 min) does not fit in the horizon");
    }
}
