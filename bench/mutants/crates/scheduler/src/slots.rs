//! A timeline of fixed-length slots for one worker.

use crate::error::ScheduleError;
use crate::task::TaskId;

/// Slots of `slot_minutes` each, from minute 0 up to the horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotAllocator {
    slot_minutes: u32,
    slots: Vec<Option<TaskId>>,
}

impl SlotAllocator {
    pub fn new(slot_minutes: u32, horizon_minutes: u64) -> Result<SlotAllocator, ScheduleError> {
        if slot_minutes == 0 {
            return Err(ScheduleError::ZeroSlot);
        }
        let count = horizon_minutes.div_ceil(slot_minutes as u64) as usize;
        Ok(SlotAllocator {
            slot_minutes,
            slots: vec![None; count],
        })
    }

    pub fn slot_minutes(&self) -> u32 {
        self.slot_minutes
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// How many slots a task of `duration` minutes occupies (at least one).
    pub fn slots_for(&self, duration: u32) -> usize {
        (duration.div_ceil(self.slot_minutes) as usize).max(1)
    }

    /// The minute at which slot `index` begins.
    pub fn slot_start(&self, index: usize) -> u64 {
        index as u64 * self.slot_minutes as u64
    }

    /// The first slot that starts at or after `minute`.
    pub fn slot_at_or_after(&self, minute: u64) -> usize {
        minute.div_ceil(self.slot_minutes as u64) as usize
    }

    pub fn owner(&self, index: usize) -> Option<TaskId> {
        self.slots.get(index).copied().flatten()
    }

    /// The first index at or after `not_before` (a minute) where `duration` fits.
    pub fn find_free(&self, not_before: u64, duration: u32) -> Option<usize> {
        let needed = self.slots_for(duration);
        let mut start = self.slot_at_or_after(not_before);
        while start + needed <= self.slots.len() {
            match self.slots[start..start + needed]
                .iter()
                .rposition(|s| s.is_some())
            {
                Some(taken) => start += taken + 1,
                None => return Some(start),
            }
        }
        None
    }

    /// Marks `count` slots from `start` as used by `task`; all or nothing.
    pub fn reserve(&mut self, start: usize, count: usize, task: TaskId) -> Result<(), ScheduleError> {
        let end = start + count;
        if end > self.slots.len() {
            return Err(ScheduleError::DoesNotFit {
                task,
                duration: (count as u32).saturating_mul(self.slot_minutes),
            });
        }
        if let Some(offset) = self.slots[start..end].iter().position(|s| s.is_some()) {
            let slot = start + offset;
            let by = self.slots[slot].expect("slot checked to be taken");
            return Err(ScheduleError::SlotTaken { slot, by });
        }
        for slot in &mut self.slots[start..end] {
            *slot = Some(task);
        }
        Ok(())
    }

    /// Frees every slot held by `task` and says how many there were.
    pub fn release(&mut self, task: TaskId) -> usize {
        let mut freed = 0;
        for slot in self.slots.iter_mut() {
            if *slot == Some(task) {
                *slot = None;
                freed += 1;
            }
        }
        freed
    }

    pub fn busy_slots(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }

    /// Busy share of the timeline, between 0.0 and 1.0.
    pub fn utilization(&self) -> f64 {
        if self.slots.is_empty() {
            return 0.0;
        }
        self.busy_slots() as f64 / self.slots.len() as f64
    }

    /// Maximal runs of free slots as `(start, length)`.
    pub fn free_runs(&self) -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        let mut current: Option<(usize, usize)> = None;
        for (index, slot) in self.slots.iter().enumerate() {
            match (slot, current.as_mut()) {
                (None, Some((_, len))) => *len += 1,
                (None, None) => current = Some((index, 1)),
                (Some(_), _) => {
                    if let Some(run) = current.take() {
                        runs.push(run);
                    }
                }
            }
        }
        runs.extend(current);
        runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizon_is_rounded_up_to_whole_slots() {
        let a = SlotAllocator::new(15, 100).unwrap();
        assert_eq!(a.len(), 7);
        assert_eq!(a.slots_for(31), 3);
        assert_eq!(a.slots_for(0), 1);
        assert_eq!(a.slot_start(4), 60);
        assert_eq!(a.slot_at_or_after(16), 2);
        assert_eq!(SlotAllocator::new(0, 10), Err(ScheduleError::ZeroSlot));
    }

    #[test]
    fn find_free_skips_taken_slots() {
        let mut a = SlotAllocator::new(10, 100).unwrap();
        a.reserve(2, 2, TaskId(1)).unwrap();
        assert_eq!(a.find_free(0, 20), Some(0));
        assert_eq!(a.find_free(0, 30), Some(4));
        assert_eq!(a.find_free(45, 10), Some(5));
        assert_eq!(a.find_free(0, 200), None);
        assert_eq!(a.owner(3), Some(TaskId(1)));
        assert_eq!(a.owner(99), None);
    }

    #[test]
    fn reserve_is_all_or_nothing() {
        let mut a = SlotAllocator::new(10, 50).unwrap();
        a.reserve(1, 1, TaskId(1)).unwrap();
        assert_eq!(
            a.reserve(0, 3, TaskId(2)),
            Err(ScheduleError::SlotTaken {
                slot: 1,
                by: TaskId(1)
            })
        );
        assert_eq!(a.busy_slots(), 1);
        assert!(matches!(
            a.reserve(4, 2, TaskId(3)),
            Err(ScheduleError::DoesNotFit { duration: 20, .. })
        ));
    }

    #[test]
    fn release_and_free_runs() {
        let mut a = SlotAllocator::new(5, 40).unwrap();
        a.reserve(1, 2, TaskId(7)).unwrap();
        a.reserve(5, 1, TaskId(8)).unwrap();
        assert_eq!(a.free_runs(), vec![(0, 1), (3, 2), (6, 2)]);
        assert!((a.utilization() - 0.375).abs() < 1e-9);
        assert_eq!(a.release(TaskId(7)), 2);
        assert_eq!(a.free_runs(), vec![(0, 5), (6, 2)]);
    }
}
