//! The dependency graph: validation, topological order, levels and critical path.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, VecDeque};

use crate::error::ScheduleError;
use crate::task::{Priority, Task, TaskId};

#[derive(Debug, Clone, Default)]
pub struct TaskGraph {
    tasks: BTreeMap<TaskId, Task>,
    dependents: HashMap<TaskId, Vec<TaskId>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Visiting,
    Done,
}

impl TaskGraph {
    pub fn new() -> TaskGraph {
        TaskGraph::default()
    }

    /// Builds a graph from tasks and checks that every dependency exists.
    pub fn from_tasks<I>(tasks: I) -> Result<TaskGraph, ScheduleError>
    where
        I: IntoIterator<Item = Task>,
    {
        let mut graph = TaskGraph::new();
        for task in tasks {
            graph.add(task)?;
        }
        graph.validate()?;
        Ok(graph)
    }

    pub fn add(&mut self, task: Task) -> Result<(), ScheduleError> {
        if self.tasks.contains_key(&task.id) {
            return Err(ScheduleError::DuplicateTask(task.id));
        }
        if task.deps.contains(&task.id) {
            return Err(ScheduleError::SelfDependency(task.id));
        }
        for dep in &task.deps {
            self.dependents.entry(*dep).or_default().push(task.id);
        }
        self.tasks.insert(task.id, task);
        Ok(())
    }

    pub fn get(&self, id: TaskId) -> Option<&Task> {
        self.tasks.get(&id)
    }

    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.values()
    }

    /// Tasks that list `id` as a dependency, in insertion order.
    pub fn dependents_of(&self, id: TaskId) -> &[TaskId] {
        self.dependents.get(&id).map_or(&[], |v| v.as_slice())
    }

    /// Every dependency must name a task of the graph.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        for task in self.tasks.values() {
            if let Some(missing) = task.deps.iter().find(|d| !self.tasks.contains_key(d)) {
                return Err(ScheduleError::MissingDependency {
                    task: task.id,
                    missing: *missing,
                });
            }
        }
        Ok(())
    }

    /// Kahn's algorithm; among ready tasks the most urgent goes first, then the lowest id.
    pub fn topo_order(&self) -> Result<Vec<TaskId>, ScheduleError> {
        self.validate()?;
        let mut indegree: HashMap<TaskId, usize> = self
            .tasks
            .values()
            .map(|t| (t.id, t.deps.len()))
            .collect();
        let mut ready: BinaryHeap<(Priority, Reverse<TaskId>)> = self
            .tasks
            .values()
            .filter(|t| t.deps.is_empty())
            .map(|t| (t.priority, Reverse(t.id)))
            .collect();
        let mut order = Vec::with_capacity(self.tasks.len());
        while let Some((_, Reverse(id))) = ready.pop() {
            order.push(id);
            for next in self.dependents_of(id) {
                let count = indegree.get_mut(next).expect("dependent is a task");
                *count -= 1;
                if *count == 0 {
                    ready.push((self.tasks[next].priority, Reverse(*next)));
                }
            }
        }
        if order.len() < self.tasks.len() {
            let cycle = self.find_cycle().unwrap_or_default();
            return Err(ScheduleError::Cycle(cycle));
        }
        Ok(order)
    }

    /// One dependency cycle, if the graph has any, as a closed path.
    pub fn find_cycle(&self) -> Option<Vec<TaskId>> {
        let mut marks: HashMap<TaskId, Mark> = HashMap::new();
        let mut path = Vec::new();
        for id in self.tasks.keys() {
            if let Some(cycle) = self.visit(*id, &mut marks, &mut path) {
                return Some(cycle);
            }
        }
        None
    }

    fn visit(
        &self,
        id: TaskId,
        marks: &mut HashMap<TaskId, Mark>,
        path: &mut Vec<TaskId>,
    ) -> Option<Vec<TaskId>> {
        match marks.get(&id) {
            Some(Mark::Done) => return None,
            Some(Mark::Visiting) => {
                let start = path.iter().position(|p| *p == id)?;
                let mut cycle = path[start..].to_vec();
                cycle.push(id);
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(id, Mark::Visiting);
        path.push(id);
        let deps = self.tasks.get(&id).map(|t| t.deps.clone()).unwrap_or_default();
        for dep in deps {
            if let Some(cycle) = self.visit(dep, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(id, Mark::Done);
        None
    }

    /// Groups tasks by their distance from a root (a task with no dependencies).
    pub fn levels(&self) -> Result<Vec<Vec<TaskId>>, ScheduleError> {
        let order = self.topo_order()?;
        let mut level_of: HashMap<TaskId, usize> = HashMap::new();
        for id in &order {
            let level = self.tasks[id]
                .deps
                .iter()
                .map(|d| level_of[d] + 1)
                .max()
                .unwrap_or(0);
            level_of.insert(*id, level);
        }
        let depth = level_of.values().copied().max().map_or(0, |m| m + 1);
        let mut levels = vec![Vec::new(); depth];
        for id in self.tasks.keys() {
            levels[level_of[id]].push(*id);
        }
        Ok(levels)
    }

    /// The tasks in `keep`, with dependencies on tasks outside `keep` dropped.
    pub fn subgraph(&self, keep: &BTreeSet<TaskId>) -> Result<TaskGraph, ScheduleError> {
        let mut graph = TaskGraph::new();
        for task in self.tasks.values().filter(|t| keep.contains(&t.id)) {
            let mut copy = task.clone();
            copy.deps.retain(|d| keep.contains(d));
            graph.add(copy)?;
        }
        Ok(graph)
    }

    /// Every task that `id` depends on, directly or not.
    pub fn ancestors(&self, id: TaskId) -> BTreeSet<TaskId> {
        let mut seen = BTreeSet::new();
        let mut queue: VecDeque<TaskId> = VecDeque::new();
        if let Some(task) = self.tasks.get(&id) {
            queue.extend(task.deps.iter().copied());
        }
        while let Some(next) = queue.pop_front() {
            if seen.insert(next) {
                if let Some(task) = self.tasks.get(&next) {
                    queue.extend(task.deps.iter().copied());
                }
            }
        }
        seen
    }

    /// The longest chain of durations through the graph and the tasks on it.
    pub fn critical_path(&self) -> Result<(u64, Vec<TaskId>), ScheduleError> {
        let order = self.topo_order()?;
        let mut finish: HashMap<TaskId, u64> = HashMap::new();
        let mut via: HashMap<TaskId, TaskId> = HashMap::new();
        for id in &order {
            let task = &self.tasks[id];
            let mut start = 0u64;
            for dep in &task.deps {
                if finish[dep] > start {
                    start = finish[dep];
                    via.insert(*id, *dep);
                }
            }
            finish.insert(*id, start + task.duration as u64);
        }
        let end = match finish.iter().max_by_key(|(id, f)| (**f, Reverse(**id))) {
            Some((id, _)) => *id,
            None => return Ok((0, Vec::new())),
        };
        let mut path = vec![end];
        let mut current = end;
        while let Some(prev) = via.get(&current) {
            path.push(*prev);
            current = *prev;
        }
        path.reverse();
        Ok((finish[&end], path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diamond() -> TaskGraph {
        TaskGraph::from_tasks(vec![
            Task::new(1, "fetch", 10),
            Task::new(2, "compile", 30).after(1),
            Task::new(3, "lint", 5).after(1).with_priority(Priority::High),
            Task::new(4, "package", 10).after(2).after(3),
        ])
        .unwrap()
    }

    #[test]
    fn add_rejects_duplicates_and_self_loops() {
        let mut g = TaskGraph::new();
        g.add(Task::new(1, "a", 1)).unwrap();
        assert_eq!(
            g.add(Task::new(1, "again", 1)),
            Err(ScheduleError::DuplicateTask(TaskId(1)))
        );
        assert_eq!(
            g.add(Task::new(2, "self", 1).after(2)),
            Err(ScheduleError::SelfDependency(TaskId(2)))
        );
        assert_eq!(g.len(), 1);
    }

    #[test]
    fn missing_dependencies_are_reported() {
        let err = TaskGraph::from_tasks(vec![Task::new(1, "a", 1).after(7)]).unwrap_err();
        assert_eq!(
            err,
            ScheduleError::MissingDependency {
                task: TaskId(1),
                missing: TaskId(7)
            }
        );
    }

    #[test]
    fn topo_order_prefers_urgent_tasks() {
        let order = diamond().topo_order().unwrap();
        assert_eq!(order, vec![TaskId(1), TaskId(3), TaskId(2), TaskId(4)]);
    }

    #[test]
    fn cycles_are_found_with_their_path() {
        let g = TaskGraph::from_tasks(vec![
            Task::new(1, "a", 1).after(3),
            Task::new(2, "b", 1).after(1),
            Task::new(3, "c", 1).after(2),
            Task::new(4, "d", 1),
        ])
        .unwrap();
        let err = g.topo_order().unwrap_err();
        assert_eq!(
            err,
            ScheduleError::Cycle(vec![TaskId(1), TaskId(3), TaskId(2), TaskId(1)])
        );
        assert!(diamond().find_cycle().is_none());
    }

    #[test]
    fn levels_and_ancestors() {
        let g = diamond();
        assert_eq!(
            g.levels().unwrap(),
            vec![vec![TaskId(1)], vec![TaskId(2), TaskId(3)], vec![TaskId(4)]]
        );
        let anc: Vec<TaskId> = g.ancestors(TaskId(4)).into_iter().collect();
        assert_eq!(anc, vec![TaskId(1), TaskId(2), TaskId(3)]);
        assert!(g.ancestors(TaskId(1)).is_empty());
        assert_eq!(g.dependents_of(TaskId(1)), &[TaskId(2), TaskId(3)]);
    }

    #[test]
    fn subgraph_drops_outside_dependencies() {
        let g = diamond();
        let keep: BTreeSet<TaskId> = [TaskId(2), TaskId(4)].into_iter().collect();
        let sub = g.subgraph(&keep).unwrap();
        assert_eq!(sub.len(), 2);
        assert!(sub.get(TaskId(2)).unwrap().deps.is_empty());
        assert_eq!(sub.get(TaskId(4)).unwrap().deps, vec![TaskId(2)]);
        assert_eq!(g.get(TaskId(2)).unwrap().deps, vec![TaskId(1)]);
        assert_eq!(sub.topo_order().unwrap(), vec![TaskId(2), TaskId(4)]);
    }

    #[test]
    fn critical_path_follows_the_longest_chain() {
        let (length, path) = diamond().critical_path().unwrap();
        assert_eq!(length, 50);
        assert_eq!(path, vec![TaskId(1), TaskId(2), TaskId(4)]);
        assert_eq!(TaskGraph::new().critical_path().unwrap(), (0, Vec::new()));
    }
}
