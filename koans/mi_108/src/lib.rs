#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Suit {
    Clubs,
    Diamonds,
    Hearts,
    Spades,
}

impl std::str::FromStr for Suit {
    type Err = String;

    fn from_str(s: &str) -> Result<Suit, String> {
        match s {
            "C" => Ok(Suit::Clubs),
            "D" => Ok(Suit::Diamonds),
            "H" => Ok(Suit::Hearts),
            "S" => Ok(Suit::Spades),
            other => Err(format!("unknown suit {}", other)),
        }
    }
}

/// Parses a hand like `10H JS 2C` into (rank, suit) pairs.
pub fn parse_hand(hand: &str) -> Result<Vec<(String, Suit)>, String> {
    let mut cards = Vec::new();
    for card in hand.split_whitespace() {
        let (rank, suit) = card.split_at(card.len() - 1);
        cards.push((rank.to_string(), Suit::from_str(suit)?));
    }
    Ok(cards)
}

pub fn is_flush(hand: &str) -> bool {
    match parse_hand(hand) {
        Ok(cards) => cards.len() == 5 && cards.iter().all(|c| c.1 == cards[0].1),
        Err(_) => false,
    }
}
