#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tile {
    Empty,
    Wall,
    Gem(u8),
}

pub struct Board {
    width: usize,
    tiles: Vec<Tile>,
    moves: u32,
}

impl Board {
    pub fn parse(rows: &[&str]) -> Board {
        let width = rows.first().map_or(0, |r| r.len());
        let tiles = rows
            .iter()
            .flat_map(|r| r.chars())
            .map(|c| match c {
                '#' => Tile::Wall,
                d if d.is_ascii_digit() => Tile::Gem(d as u8 - b'0'),
                _ => Tile::Empty,
            })
            .collect();
        Board { width, tiles, moves: 0 }
    }

    pub fn at(&self, x: usize, y: usize) -> Tile {
        self.tiles[y * self.width + x]
    }

    /// Swaps two tiles unless either is a wall; says whether anything moved.
    pub fn swap(&mut self, a: (usize, usize), b: (usize, usize)) -> bool {
        let i = a.1 * self.width + a.0;
        let j = b.1 * self.width + b.0;
        if self.tiles[i] == Tile::Wall || self.tiles[j] == Tile::Wall {
            return false;
        }
        self.tiles.swap(i, j);
        self.moves += 1;
        true
    }

    pub fn moves(&self) -> u32 {
        self.moves
    }
}
