pub struct Node {
    pub name: String,
    pub parent: Option<usize>,
}

/// A folder tree stored as a flat list; each node points at its parent.
pub struct Tree {
    nodes: Vec<Node>,
}

impl Tree {
    pub fn new(nodes: Vec<Node>) -> Tree {
        Tree { nodes }
    }

    /// The parent of node `i`; None for a root or a node that does not exist.
    pub fn parent_of(&self, i: usize) -> Option<usize> {
        self.nodes.get(i).and_then(|n| n.parent)
    }

    /// The path from the root down to node `i`, joined with `/`.
    pub fn path(&self, i: usize) -> Option<String> {
        let mut names = vec![self.nodes.get(i)?.name.as_str()];
        let mut cur = i;
        while let Some(p) = self.parent_of(cur) {
            names.push(&self.nodes[p].name);
            cur = p;
        }
        names.reverse();
        Some(names.join("/"))
    }
}
