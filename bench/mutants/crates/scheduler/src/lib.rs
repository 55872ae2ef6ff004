//! `scheduler`: tasks with priorities and dependencies, a topological order that
//! prefers urgent work, and a slot-based planner for several workers.

pub mod error;
pub mod graph;
pub mod plan;
pub mod slots;
pub mod stats;
pub mod task;

pub use error::ScheduleError;
pub use graph::TaskGraph;
pub use plan::{Assignment, Planner, Schedule};
pub use slots::SlotAllocator;
pub use task::{Priority, Task, TaskId, Weighted};

/// Parses one task per line: `id name duration priority [dep,dep,...]`.
pub fn parse_tasks(text: &str) -> Result<Vec<Task>, String> {
    let mut tasks = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let at = |msg: &str| format!("line {}: {msg}", index + 1);
        if fields.len() < 4 || fields.len() > 5 {
            return Err(at("expected `id name duration priority [deps]`"));
        }
        let id: u32 = fields[0].parse().map_err(|_| at("bad id"))?;
        let duration: u32 = fields[2].parse().map_err(|_| at("bad duration"))?;
        let priority = Priority::parse(fields[3]).ok_or_else(|| at("bad priority"))?;
        let mut task = Task::new(id, fields[1], duration).with_priority(priority);
        if let Some(deps) = fields.get(4) {
            for dep in deps.split(',') {
                let dep: u32 = dep.parse().map_err(|_| at("bad dependency"))?;
                task = task.after(dep);
            }
        }
        tasks.push(task);
    }
    Ok(tasks)
}

/// Parses, plans on `workers` workers and renders the schedule.
pub fn plan_text(text: &str, workers: usize) -> Result<String, String> {
    let tasks = parse_tasks(text)?;
    let graph = TaskGraph::from_tasks(tasks).map_err(|e| e.to_string())?;
    let schedule = Planner::new(workers)
        .plan(&graph)
        .map_err(|e| e.to_string())?;
    Ok(schedule.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
// id name duration priority deps
1 fetch 10 normal
2 build 20 high 1
3 test 15 normal 2
";

    #[test]
    fn parse_tasks_reads_each_field() {
        let tasks = parse_tasks(TEXT).unwrap();
        assert_eq!(tasks.len(), 3);
        assert_eq!(tasks[1].priority, Priority::High);
        assert_eq!(tasks[2].deps, vec![TaskId(2)]);
        assert_eq!(parse_tasks("1 a x low").unwrap_err(), "line 1: bad duration");
        assert_eq!(parse_tasks("\n1 a 5 low 2,x").unwrap_err(), "line 2: bad dependency");
    }

    #[test]
    fn plan_text_renders_a_chain() {
        assert_eq!(plan_text(TEXT, 1).unwrap(), "w0: T1@0-10 T2@10-30 T3@30-45\n");
        let err = plan_text("1 a 5 low 2\n2 b 5 low 1\n", 1).unwrap_err();
        assert!(err.starts_with("dependency cycle"), "{err}");
    }
}
