#[test]
fn average_keeps_fraction() {
    assert!((average(&[90, 85, 70]) - 81.666_666).abs() < 1e-4);
    assert!((average(&[89, 90]) - 89.5).abs() < 1e-9);
    assert_eq!(average(&[]), 0.0);
}

#[test]
fn grades_from_average() {
    assert_eq!(letter_grade(average(&[89, 90])), 'B');
    assert_eq!(letter_grade(average(&[90, 91])), 'A');
    assert_eq!(letter_grade(average(&[60, 65])), 'F');
}

#[test]
fn report_lines() {
    let students = vec![
        Student { name: "Mia".to_string(), scores: vec![79, 80] },
        Student { name: "Leo".to_string(), scores: vec![100, 95, 91] },
    ];
    assert_eq!(report(&students), vec!["Mia: 79.50 (C)", "Leo: 95.33 (A)"]);
}
