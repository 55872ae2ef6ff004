/// Parses edges written as `from>to`, separated by spaces.
fn parse_edges(text: &str) -> Result<Vec<(u32, u32)>, String> {
    text.split_whitespace()
        .map(|e| {
            let (a, b) = e.split_once('>').ok_or(format!("bad edge {:?}", e))?;
            let a = a.parse::<u32>().map_err(|err| format!("{}: {}", e, err))?;
            let b = b.parse::<u32>().map_err(|err| format!("{}: {}", e, err))?;
            Ok((a, b))
        })
        .collect()
}

fn out_degree(edges: &[(u32, u32)], node: u32) -> usize {
    edges.iter().filter(|&&(a, _)| a == node).count()
}

fn sinks(edges: &[(u32, u32)]) -> Vec<u32> {
    let mut nodes: Vec<u32> = edges.iter().map(|&(_, b)| b).filter(|&b| out_degree(edges, b) == 0).collect();
    nodes.sort();
    nodes.dedup();
    nodes
}

fn main() {
    let edges = parse_edges("1>2 2>3 1>3 3>4")?;
    println!("node 1 has {} outgoing edges", out_degree(&edges, 1));
    println!("sinks: {:?}", sinks(&edges));
}
