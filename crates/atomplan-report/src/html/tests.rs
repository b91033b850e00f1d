use super::sections::note_concerns_study;
use super::*;

#[test]
fn numbers_read_cleanly() {
    assert_eq!(grouped(1_234_567.4), "1,234,567");
    assert_eq!(grouped(-4_800.0), "-4,800");
    assert_eq!(grouped(999.6), "1,000");
    assert_eq!(num(-0.0001, 1), "0.0");
    assert_eq!(num(f64::NAN, 1), "–");
}

#[test]
fn only_notes_about_this_study_are_kept() {
    let designs = vec!["vver-1200".to_owned()];
    let technologies = vec!["ccgt".to_owned()];
    let keep = |note: &str| note_concerns_study(note, "KZ", &designs, &technologies);
    assert!(keep("KZ: no sourced peak; peak taken as mean load / 0.7"));
    assert!(!keep("TR: existing coal retires linearly"));
    assert!(keep("design `vver-1200` has no sourced fixed O&M"));
    assert!(!keep("design `nuscale-us460` has no sourced overnight cost"));
    assert!(keep("technology `ccgt` is missing a heat rate"));
    assert!(keep("catalogue money table covers 2010-2024"));
}

#[test]
fn tables_right_align_numbers_and_escape_text() {
    let html = table(&["a", "b"], &[vec!["x<y".to_owned(), "1,200".to_owned()]]);
    assert!(html.contains("<td>x&lt;y</td>"));
    assert!(html.contains("<td class=\"n\">1,200</td>"));
}
