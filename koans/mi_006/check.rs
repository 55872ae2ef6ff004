#[test]
fn keeps_best_lap_per_driver() {
    let best = best_laps(&["ana,81200", "bo,80950", "ana, 80100", "bo,bad", "nocomma", " cy ,82000"]);
    assert_eq!(best.len(), 3);
    assert_eq!(best["ana"], 80100);
    assert_eq!(best["bo"], 80950);
    assert_eq!(best["cy"], 82000);
}

#[test]
fn podium_is_top_three() {
    let best = best_laps(&["ana,81200", "bo,80950", "ana,80100", "cy,82000", "dee,79999"]);
    assert_eq!(
        podium(&best),
        vec![("dee".to_string(), 79999), ("ana".to_string(), 80100), ("bo".to_string(), 80950)]
    );
    assert!(podium(&best_laps(&[])).is_empty());
}
