pub struct Student {
    pub name: String,
    pub scores: Vec<u32>,
}

pub fn average(scores: &[u32]) -> f64 {
    if scores.is_empty() {
        return 0.0;
    }
    let total: u32 = scores.iter().sum();
    total / scores.len() as u32
}

pub fn letter_grade(avg: f64) -> char {
    if avg >= 90.0 {
        'A'
    } else if avg >= 80.0 {
        'B'
    } else if avg >= 70.0 {
        'C'
    } else {
        'F'
    }
}

pub fn report(students: &[Student]) -> Vec<String> {
    students
        .iter()
        .map(|s| {
            let avg = average(&s.scores);
            format!("{}: {:.2} ({})", s.name, avg, letter_grade(avg))
        })
        .collect()
}
