//! List scheduling of a task graph onto several workers.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;

use crate::error::ScheduleError;
use crate::graph::TaskGraph;
use crate::slots::SlotAllocator;
use crate::task::{Task, TaskId};

/// Where and when one task runs. Times are minutes from the start of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Assignment {
    pub start: u64,
    pub worker: usize,
    pub task: TaskId,
    pub end: u64,
}

impl Assignment {
    pub fn duration(&self) -> u64 {
        self.end - self.start
    }

    pub fn overlaps(&self, other: &Assignment) -> bool {
        self.worker == other.worker && self.start < other.end && other.start < self.end
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    pub assignments: Vec<Assignment>,
}

impl Schedule {
    /// The end of the last task.
    pub fn makespan(&self) -> u64 {
        self.assignments.iter().map(|a| a.end).max().unwrap_or(0)
    }

    pub fn for_task(&self, id: TaskId) -> Option<&Assignment> {
        self.assignments.iter().find(|a| a.task == id)
    }

    pub fn by_worker(&self) -> BTreeMap<usize, Vec<&Assignment>> {
        let mut out: BTreeMap<usize, Vec<&Assignment>> = BTreeMap::new();
        for assignment in &self.assignments {
            out.entry(assignment.worker).or_default().push(assignment);
        }
        for list in out.values_mut() {
            list.sort();
        }
        out
    }

    /// Tasks that end after their deadline.
    pub fn late_tasks(&self, graph: &TaskGraph) -> Vec<TaskId> {
        let mut late: Vec<TaskId> = self
            .assignments
            .iter()
            .filter(|a| {
                graph
                    .get(a.task)
                    .and_then(|t| t.deadline)
                    .is_some_and(|deadline| a.end > deadline)
            })
            .map(|a| a.task)
            .collect();
        late.sort();
        late
    }

    /// The same plan started `minutes` later, on workers numbered from `first_worker`.
    pub fn shifted(&self, minutes: u64, first_worker: usize) -> Schedule {
        let mut out = self.clone();
        for assignment in &mut out.assignments {
            assignment.start += minutes;
            assignment.end += minutes;
            assignment.worker += first_worker;
        }
        out
    }

    /// Minutes that workers sit idle before the makespan.
    pub fn idle_minutes(&self, workers: usize) -> u64 {
        let busy: u64 = self.assignments.iter().map(Assignment::duration).sum();
        self.makespan() * workers as u64 - busy
    }

    /// Checks that no worker runs two tasks at once and that dependencies end before
    /// their dependents start.
    pub fn verify(&self, graph: &TaskGraph) -> bool {
        let ends: HashMap<TaskId, u64> = self.assignments.iter().map(|a| (a.task, a.end)).collect();
        let deps_ok = self.assignments.iter().all(|a| {
            graph.get(a.task).is_some_and(|task| {
                task.deps
                    .iter()
                    .all(|d| ends.get(d).is_some_and(|end| *end <= a.start))
            })
        });
        let no_overlap = self.assignments.iter().enumerate().all(|(i, a)| {
            self.assignments[i + 1..].iter().all(|b| !a.overlaps(b))
        });
        deps_ok && no_overlap && ends.len() == graph.len()
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (worker, list) in self.by_worker() {
            let parts: Vec<String> = list
                .iter()
                .map(|a| format!("{}@{}-{}", a.task, a.start, a.end))
                .collect();
            writeln!(f, "w{worker}: {}", parts.join(" "))?;
        }
        Ok(())
    }
}

/// Places tasks in topological order, each on the worker where it can start earliest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planner {
    workers: usize,
    slot_minutes: u32,
    horizon: u64,
}

impl Planner {
    pub fn new(workers: usize) -> Planner {
        Planner {
            workers,
            slot_minutes: 5,
            horizon: 8 * 60,
        }
    }

    pub fn with_slot(mut self, minutes: u32) -> Planner {
        self.slot_minutes = minutes;
        self
    }

    pub fn with_horizon(mut self, minutes: u64) -> Planner {
        self.horizon = minutes;
        self
    }

    pub fn plan(&self, graph: &TaskGraph) -> Result<Schedule, ScheduleError> {
        if self.workers == 0 {
            return Err(ScheduleError::NoWorkers);
        }
        let mut queue: VecDeque<TaskId> = graph.topo_order()?.into_iter().collect();
        let mut timelines = Vec::with_capacity(self.workers);
        for _ in 0..self.workers {
            timelines.push(SlotAllocator::new(self.slot_minutes, self.horizon)?);
        }
        let mut ends: HashMap<TaskId, u64> = HashMap::new();
        let mut schedule = Schedule::default();
        while let Some(id) = queue.pop_front() {
            let task = graph.get(id).ok_or(ScheduleError::MissingDependency {
                task: id,
                missing: id,
            })?;
            let ready_at = task.deps.iter().map(|d| ends[d]).max().unwrap_or(0);
            let assignment = self.place(&mut timelines, task, ready_at)?;
            ends.insert(id, assignment.end);
            schedule.assignments.push(assignment);
        }
        schedule.assignments.sort();
        Ok(schedule)
    }

    fn place(
        &self,
        timelines: &mut [SlotAllocator],
        task: &Task,
        ready_at: u64,
    ) -> Result<Assignment, ScheduleError> {
        let best = timelines
            .iter()
            .enumerate()
            .filter_map(|(worker, line)| {
                let slot = line.find_free(ready_at, task.duration)?;
                Some((line.slot_start(slot), worker, slot))
            })
            .min();
        let (start, worker, slot) = best.ok_or(ScheduleError::DoesNotFit {
            task: task.id,
            duration: task.duration,
        })?;
        let line = &mut timelines[worker];
        let count = line.slots_for(task.duration);
        line.reserve(slot, count, task.id)?;
        Ok(Assignment {
            start,
            worker,
            task: task.id,
            end: start + task.duration as u64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::Priority;

    fn graph() -> TaskGraph {
        TaskGraph::from_tasks(vec![
            Task::new(1, "fetch", 10),
            Task::new(2, "compile", 30).after(1),
            Task::new(3, "lint", 5).after(1).with_priority(Priority::High).due(20),
            Task::new(4, "docs", 20).due(15),
            Task::new(5, "package", 10).after(2).after(3),
        ])
        .unwrap()
    }

    #[test]
    fn plan_respects_dependencies_and_workers() {
        let g = graph();
        let schedule = Planner::new(2).plan(&g).unwrap();
        assert!(schedule.verify(&g));
        assert_eq!(schedule.makespan(), 50);
        let lint = schedule.for_task(TaskId(3)).unwrap();
        assert_eq!((lint.start, lint.end), (10, 15));
    }

    #[test]
    fn single_worker_runs_tasks_back_to_back() {
        let g = graph();
        let schedule = Planner::new(1).plan(&g).unwrap();
        assert!(schedule.verify(&g));
        assert_eq!(schedule.makespan(), 75);
        assert_eq!(schedule.idle_minutes(1), 0);
        assert_eq!(schedule.late_tasks(&g), vec![TaskId(4)]);
    }

    #[test]
    fn durations_round_up_to_slots() {
        let g = TaskGraph::from_tasks(vec![Task::new(1, "a", 7), Task::new(2, "b", 3).after(1)]).unwrap();
        let schedule = Planner::new(1).with_slot(5).plan(&g).unwrap();
        let b = schedule.for_task(TaskId(2)).unwrap();
        assert_eq!((b.start, b.end), (10, 13));
    }

    #[test]
    fn errors_for_no_workers_and_short_horizons() {
        let g = graph();
        assert_eq!(Planner::new(0).plan(&g), Err(ScheduleError::NoWorkers));
        let err = Planner::new(1).with_horizon(30).plan(&g).unwrap_err();
        assert!(matches!(err, ScheduleError::DoesNotFit { .. }), "{err}");
    }

    #[test]
    fn display_lists_each_worker() {
        let g = TaskGraph::from_tasks(vec![Task::new(1, "a", 10), Task::new(2, "b", 5)]).unwrap();
        let text = Planner::new(2).plan(&g).unwrap().to_string();
        assert_eq!(text, "w0: T1@0-10\nw1: T2@0-5\n");
    }

    #[test]
    fn shifted_moves_every_assignment() {
        let g = TaskGraph::from_tasks(vec![Task::new(1, "a", 10), Task::new(2, "b", 5).after(1)]).unwrap();
        let schedule = Planner::new(1).plan(&g).unwrap();
        let later = schedule.shifted(30, 2);
        assert_eq!(later.makespan(), 45);
        assert_eq!(later.for_task(TaskId(2)).unwrap().worker, 2);
        assert_eq!(schedule.makespan(), 15);
        assert_eq!(later.to_string(), "w2: T1@30-40 T2@40-45\n");
    }

    #[test]
    fn overlap_needs_same_worker() {
        let a = Assignment { start: 0, worker: 0, task: TaskId(1), end: 10 };
        let b = Assignment { start: 5, worker: 0, task: TaskId(2), end: 15 };
        let c = Assignment { worker: 1, ..b };
        assert!(a.overlaps(&b));
        assert!(!a.overlaps(&c));
        assert_eq!(b.duration(), 10);
    }
}
