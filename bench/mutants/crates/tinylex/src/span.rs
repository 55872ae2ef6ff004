//! Byte spans into the source text and their rendering for error messages.

use std::fmt;

/// A half-open byte range `[start, end)` into the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span starts after it ends");
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub fn point(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn merge(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The text this span covers in `src`.
    pub fn slice<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = src[line_start..offset].chars().count() + 1;
    (line, col)
}

/// The full line of `src` that contains `offset`, without its newline.
pub fn line_of(src: &str, offset: usize) -> &str {
    let offset = offset.min(src.len());
    let start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = src[offset..].find('\n').map_or(src.len(), |i| offset + i);
    &src[start..end]
}

/// Renders the line holding `span` with carets under it:
///
/// ```text
/// 1 | 1 + $
///   |     ^
/// ```
pub fn render_caret(src: &str, span: Span) -> String {
    let (line, col) = line_col(src, span.start);
    let text = line_of(src, span.start);
    let gutter = line.to_string().len();
    let width = span.slice(src).chars().count().max(1);
    format!(
        "{line} | {text}\n{pad} | {space}{carets}",
        pad = " ".repeat(gutter),
        space = " ".repeat(col - 1),
        carets = "^".repeat(width),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_and_len() {
        let a = Span::new(2, 5);
        let b = Span::new(4, 9);
        assert_eq!(a.merge(b), Span::new(2, 9));
        assert_eq!(b.merge(a).len(), 7);
        assert!(Span::point(3).is_empty());
        assert!(a.contains(4));
        assert!(!a.contains(5));
    }

    #[test]
    fn line_col_counts_characters() {
        let src = "ab\ncdé\nf";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 7), (2, 4));
        assert_eq!(line_col(src, 8), (3, 1));
        assert_eq!(line_col(src, 100), (3, 2));
    }

    #[test]
    fn render_caret_points_under_the_span() {
        let src = "let x = 1 in\nx + $y";
        let span = Span::new(17, 18);
        assert_eq!(span.slice(src), "$");
        assert_eq!(render_caret(src, span), "2 | x + $y\n  |     ^");
        assert_eq!(line_of(src, 2), "let x = 1 in");
    }
}
