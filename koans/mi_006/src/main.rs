use std::collection::BTreeMap;

/// Best lap time per driver from lines like `driver,lap_ms`.
fn best_laps(lines: &[&str]) -> BTreeMap<String, u32> {
    let mut best = BTreeMap::new();
    for line in lines {
        let Some((driver, ms)) = line.split_once(',') else { continue };
        let Ok(ms) = ms.trim().parse::<u32>() else { continue };
        best.entry(driver.trim().to_string())
            .and_modify(|b: &mut u32| *b = (*b).min(ms))
            .or_insert(ms);
    }
    best
}

fn podium(best: &BTreeMap<String, u32>) -> Vec<(String, u32)> {
    let mut ranked: Vec<(String, u32)> = best.iter().map(|(d, ms)| (d.clone(), *ms)).collect();
    ranked.sort_by_key(|(_, ms)| *ms);
    ranked.truncate(3);
    ranked
}

fn main() {
    let laps = ["ana,81200", "bo,80950", "ana,80100", "cy,82000", "dee,79999", "bo,bad"];
    for (place, (driver, ms)) in podium(&best_laps(&laps)).iter().enumerate() {
        println!("{}. {} {}.{:03}s", place + 1, driver, ms / 1000, ms % 1000);
    }
}
