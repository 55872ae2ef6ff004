#[derive(Debug, Clone, Copy)]
pub struct Card {
    pub rank: u8,
    pub suit: char,
}

/// A full 52-card deck, suits in `CDHS` order, ranks 2..=14.
pub fn deck() -> Vec<Card> {
    let mut cards = Vec::with_capacity(52);
    for suit in ['C', 'D', 'H', 'S'] {
        for rank in 2..=14 {
            cards.push(Card { rank, suit });
        }
    }
    cards
}

/// The cards of the deck not yet dealt, in deck order.
pub fn undealt(deck: &[Card], dealt: &[Card]) -> Vec<Card> {
    deck.iter().filter(|c| !dealt.contains(c)).copied().collect()
}

/// How many undealt cards would complete a flush for a hand of one suit.
pub fn flush_outs(hand: &[Card]) -> usize {
    match hand.first() {
        Some(first) if hand.iter().all(|c| c.suit == first.suit) => {
            undealt(&deck(), hand).iter().filter(|c| c.suit == first.suit).count()
        }
        _ => 0,
    }
}
