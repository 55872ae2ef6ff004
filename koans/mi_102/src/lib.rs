use std::collections::HashMap;

pub struct Scoreboard {
    points: HashMap<String, u32>,
    rounds: u32,
}

impl Scoreboard {
    pub fn record_round(&mut self, results: &[(&str, u32)]) {
        for &(player, pts) in results {
            *self.points.entry(player.to_string()).or_insert(0) += pts;
        }
        self.rounds += 1;
    }

    /// The player with most points; ties go to the alphabetically first name.
    pub fn leader(&self) -> Option<(&str, u32)> {
        self.points
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(name, &pts)| (name.as_str(), pts))
    }
}

/// Plays every round and announces the winner.
pub fn tournament(rounds: &[Vec<(&str, u32)>]) -> String {
    let mut board = Scoreboard::new();
    for round in rounds {
        board.record_round(round);
    }
    match board.leader() {
        Some((name, pts)) => format!("{} wins with {} after {} rounds", name, pts, board.rounds),
        None => "no games played".to_string(),
    }
}
