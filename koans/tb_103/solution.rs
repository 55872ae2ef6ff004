use std::ops::Add;

/// Running totals of a series: element i is the sum of the first i + 1 values.
pub fn running_totals<T: Copy + Default + Add<Output = T>>(xs: &[T]) -> Vec<T> {
    let mut acc = T::default();
    xs.iter()
        .map(|&x| {
            acc = acc + x;
            acc
        })
        .collect()
}

/// The first day on which cumulative rainfall reaches `target` millimetres.
pub fn day_reaching(daily_mm: &[f64], target: f64) -> Option<usize> {
    running_totals(daily_mm).iter().position(|&t| t >= target).map(|i| i + 1)
}

/// Cumulative step counts, for a fitness tracker's weekly chart.
pub fn weekly_steps(days: &[u32]) -> Vec<u32> {
    running_totals(days)
}
