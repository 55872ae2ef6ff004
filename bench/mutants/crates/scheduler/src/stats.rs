//! Summaries over tasks and schedules: grouping, percentiles, histograms.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use crate::graph::TaskGraph;
use crate::plan::Schedule;
use crate::task::{Priority, Task};

/// Anything that adds up to minutes of work.
pub trait Summary {
    fn total_minutes(&self) -> u64;
    fn count(&self) -> usize;

    fn average_minutes(&self) -> f64 {
        if self.count() == 0 {
            0.0
        } else {
            self.total_minutes() as f64 / self.count() as f64
        }
    }
}

impl Summary for Schedule {
    fn total_minutes(&self) -> u64 {
        self.assignments.iter().map(|a| a.end - a.start).sum()
    }

    fn count(&self) -> usize {
        self.assignments.len()
    }
}

impl Summary for TaskGraph {
    fn total_minutes(&self) -> u64 {
        self.tasks().map(|t| t.duration as u64).sum()
    }

    fn count(&self) -> usize {
        self.len()
    }
}

impl Summary for [Task] {
    fn total_minutes(&self) -> u64 {
        self.iter().map(|t| t.duration as u64).sum()
    }

    fn count(&self) -> usize {
        self.len()
    }
}

/// Groups borrowed items by a key, keys in order.
pub fn group_by<'a, T, K, F>(items: &'a [T], key: F) -> BTreeMap<K, Vec<&'a T>>
where
    K: Ord,
    F: Fn(&T) -> K,
{
    let mut groups: BTreeMap<K, Vec<&'a T>> = BTreeMap::new();
    for item in items {
        groups.entry(key(item)).or_default().push(item);
    }
    groups
}

/// Counts items per key (any hashable key).
pub fn count_by<T, K, F>(items: impl IntoIterator<Item = T>, key: F) -> HashMap<K, usize>
where
    K: Eq + Hash,
    F: Fn(&T) -> K,
{
    let mut counts = HashMap::new();
    for item in items {
        *counts.entry(key(&item)).or_insert(0) += 1;
    }
    counts
}

/// The `p`-th percentile (nearest rank, 0..=100) of the values; sorts them in place.
pub fn percentile(values: &mut [u64], p: u8) -> Option<u64> {
    if values.is_empty() || p > 100 {
        return None;
    }
    values.sort_unstable();
    let rank = (values.len() as u64 * p as u64).div_ceil(100) as usize;
    let index = rank.saturating_sub(1).min(values.len() - 1);
    Some(values[index])
}

/// Durations bucketed by `width` minutes: bucket start -> number of tasks.
pub fn histogram<I>(durations: I, width: u32) -> BTreeMap<u32, usize>
where
    I: IntoIterator<Item = u32>,
{
    let width = width.max(1);
    let mut buckets = BTreeMap::new();
    for d in durations {
        *buckets.entry(d / width * width).or_insert(0) += 1;
    }
    buckets
}

/// Minutes of work per priority, every priority present (zero when unused).
pub fn load_by_priority(graph: &TaskGraph) -> BTreeMap<Priority, u64> {
    let mut load: BTreeMap<Priority, u64> = Priority::ALL.iter().map(|p| (*p, 0)).collect();
    for task in graph.tasks() {
        *load.entry(task.priority).or_insert(0) += task.duration as u64;
    }
    load
}

/// Task names per priority, most urgent first, names sorted within a priority.
pub fn names_by_priority(graph: &TaskGraph) -> Vec<(Priority, Vec<String>)> {
    let mut names: BTreeMap<Priority, Vec<String>> = BTreeMap::new();
    for task in graph.tasks() {
        names.entry(task.priority).or_default().push(task.name.clone());
    }
    let mut out: Vec<(Priority, Vec<String>)> = names.into_iter().rev().collect();
    for (_, list) in out.iter_mut() {
        list.sort();
    }
    out
}

/// Share of worker time spent busy, in percent, rounded down.
pub fn utilization_percent(schedule: &Schedule, workers: usize) -> u32 {
    let capacity = schedule.makespan() * workers as u64;
    if capacity == 0 {
        return 0;
    }
    (schedule.total_minutes() * 100 / capacity) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Planner;

    fn tasks() -> Vec<Task> {
        vec![
            Task::new(1, "a", 10).with_priority(Priority::High),
            Task::new(2, "b", 25),
            Task::new(3, "c", 5).with_priority(Priority::High),
            Task::new(4, "d", 40).after(1),
        ]
    }

    #[test]
    fn summaries_of_tasks_and_graphs() {
        let list = tasks();
        assert_eq!(list[..].total_minutes(), 80);
        assert!((list[..].average_minutes() - 20.0).abs() < 1e-9);
        let graph = TaskGraph::from_tasks(list).unwrap();
        assert_eq!(graph.total_minutes(), 80);
        let empty: &[Task] = &[];
        assert_eq!(empty.average_minutes(), 0.0);
    }

    #[test]
    fn group_and_count_by_priority() {
        let list = tasks();
        let groups = group_by(&list, |t| t.priority);
        assert_eq!(groups[&Priority::High].len(), 2);
        assert_eq!(groups[&Priority::Normal][0].name, "b");
        let counts = count_by(list.iter(), |t| t.deps.is_empty());
        assert_eq!(counts[&true], 3);
        assert_eq!(counts[&false], 1);
    }

    #[test]
    fn percentile_uses_nearest_rank() {
        let mut values = vec![40, 10, 30, 20, 50];
        assert_eq!(percentile(&mut values, 0), Some(10));
        assert_eq!(percentile(&mut values, 50), Some(30));
        assert_eq!(percentile(&mut values, 90), Some(50));
        assert_eq!(percentile(&mut values, 100), Some(50));
        assert_eq!(percentile(&mut [], 50), None);
        assert_eq!(percentile(&mut values, 101), None);
    }

    #[test]
    fn histogram_buckets_durations() {
        let h = histogram([3, 9, 10, 25, 29], 10);
        assert_eq!(h.into_iter().collect::<Vec<_>>(), vec![(0, 2), (10, 1), (20, 2)]);
        assert_eq!(histogram([7], 0)[&7], 1);
    }

    #[test]
    fn names_grouped_by_priority() {
        let graph = TaskGraph::from_tasks(tasks()).unwrap();
        let names = names_by_priority(&graph);
        assert_eq!(names.len(), 2);
        assert_eq!(names[0], (Priority::High, vec!["a".to_string(), "c".to_string()]));
        assert_eq!(names[1].1, vec!["b".to_string(), "d".to_string()]);
    }

    #[test]
    fn load_and_utilization() {
        let graph = TaskGraph::from_tasks(tasks()).unwrap();
        let load = load_by_priority(&graph);
        assert_eq!(load[&Priority::High], 15);
        assert_eq!(load[&Priority::Critical], 0);
        let schedule = Planner::new(2).plan(&graph).unwrap();
        assert_eq!(schedule.makespan(), 50);
        assert_eq!(utilization_percent(&schedule, 2), 80);
        assert_eq!(utilization_percent(&Schedule::default(), 2), 0);
    }
}
