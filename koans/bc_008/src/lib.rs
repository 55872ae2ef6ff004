#[derive(Debug, PartialEq)]
pub struct Player {
    pub name: String,
    pub score: u32,
}

/// Removes the highest-scoring player (the earliest one on ties) and returns it.
pub fn take_highest(players: &mut Vec<Player>) -> Option<Player> {
    if players.is_empty() {
        return None;
    }
    let mut best = 0;
    for (i, p) in players.iter().enumerate() {
        if p.score > players[best].score {
            best = i;
        }
    }
    let winner = players[best];
    players.remove(best);
    Some(winner)
}

/// Names of the podium, best first; the podium players leave the list.
pub fn podium(players: &mut Vec<Player>) -> Vec<String> {
    let mut names = Vec::new();
    while names.len() < 3 {
        match take_highest(players) {
            Some(p) => names.push(p.name),
            None => break,
        }
    }
    names
}
