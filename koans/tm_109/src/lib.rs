#[derive(Debug, PartialEq)]
pub struct Robot {
    pub x: i32,
    pub y: i32,
    pub heading: char,
}

const COMPASS: [char; 4] = ['N', 'E', 'S', 'W'];

/// Runs commands like `forward 3`, `left`, `right`; unknown commands are skipped.
pub fn run(commands: &[&str]) -> Robot {
    let mut bot = Robot { x: 0, y: 0, heading: 'N' };
    for cmd in commands {
        let mut parts = cmd.split_whitespace();
        let verb = parts.next().unwrap_or("").to_lowercase();
        let turn = |by: usize, h: char| COMPASS[(COMPASS.iter().position(|&c| c == h).unwrap() + by) % 4];
        match verb {
            "left" => bot.heading = turn(3, bot.heading),
            "right" => bot.heading = turn(1, bot.heading),
            "forward" => {
                let steps: i32 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(1);
                match bot.heading {
                    'N' => bot.y += steps,
                    'S' => bot.y -= steps,
                    'E' => bot.x += steps,
                    _ => bot.x -= steps,
                }
            }
            _ => {}
        }
    }
    bot
}
