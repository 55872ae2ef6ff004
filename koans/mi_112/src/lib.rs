#[derive(Debug, Default, PartialEq)]
pub struct Tally {
    pub yes: u32,
    pub no: u32
    pub abstain: u32,
    pub spoiled: u32,
}

impl Tally {
    /// Counts ballots: `y`, `n`, `a` (case-insensitive); anything else is spoiled.
    pub fn count(ballots: &str) -> Tally {
        let mut t = Tally::default();
        for b in ballots.split(',').map(|b| b.trim().to_ascii_lowercase()) {
            match b.as_str() {
                "y" => t.yes += 1,
                "n" => t.no += 1,
                "a" => t.abstain += 1,
                _ => t.spoiled += 1,
            }
        }
        t
    }

    /// A motion passes with a strict majority of yes over no and a quorum of valid ballots.
    pub fn passes(&self, quorum: u32) -> bool {
        self.yes + self.no + self.abstain >= quorum && self.yes > self.no
    }
}
