use crate::build::lines::cycle_basis;
use crate::lp::{LinearProgram, Triplets};

#[test]
fn cycle_basis_of_a_triangle_has_one_oriented_cycle() {
    // 0→1, 1→2, 0→2: walking the cycle 0→1→2→0 uses line 2 backwards.
    let cycles = cycle_basis(3, &[(0, 1), (1, 2), (0, 2)]);
    assert_eq!(cycles.len(), 1);
    let mut cycle = cycles[0].clone();
    cycle.sort_by_key(|(line, _)| *line);
    let signs: Vec<f64> = cycle.iter().map(|(_, sign)| *sign).collect();
    // Either orientation of the same cycle is fine; lines 0 and 1 agree, line 2 opposes.
    assert_eq!(signs[0], signs[1]);
    assert_eq!(signs[0], -signs[2]);
}

#[test]
fn cycle_basis_counts_parallel_lines_and_trees() {
    assert_eq!(cycle_basis(2, &[(0, 1), (0, 1)]).len(), 1);
    assert_eq!(cycle_basis(4, &[(0, 1), (1, 2), (2, 3)]).len(), 0);
    // Two squares sharing an edge: 6 lines, 5 buses... 4 buses + 1: cycles = m − n + components.
    let lines = [(0, 1), (1, 2), (2, 3), (3, 0), (1, 4), (4, 2)];
    assert_eq!(cycle_basis(5, &lines).len(), 2);
}

#[test]
fn csc_sums_duplicates_and_drops_zeros() {
    let mut lp = LinearProgram::new();
    lp.add_col_family("x", &["a", "b"], 0, 0.0, 1.0);
    lp.add_row_family("r", &["r0", "r1"], 0, vec![0.0, 0.0], vec![1.0, 1.0]);
    let mut block = Triplets::new();
    block.push(0, 0, 1.0);
    block.push(1, 0, 2.0);
    block.push(0, 0, 0.5);
    block.push(1, 1, 3.0);
    block.push(1, 1, -3.0);
    lp.add_triplets(block);
    let (start, index, value) = lp.to_csc();
    assert_eq!(start, vec![0, 2, 2]);
    assert_eq!(index, vec![0, 1]);
    assert_eq!(value, vec![1.5, 2.0]);
}

#[test]
fn structured_names_locate_entries() {
    let mut lp = LinearProgram::new();
    lp.add_col_family("Generator-p", &["coal", "wind"], 3, 0.0, 1.0);
    assert_eq!(lp.col_name(4), "Generator-p[wind,1]");
    lp.add_row_family("GlobalConstraint", &["CO2Limit"], 0, vec![0.0], vec![1.0]);
    assert_eq!(lp.row_name(0), "GlobalConstraint[CO2Limit]");
}
