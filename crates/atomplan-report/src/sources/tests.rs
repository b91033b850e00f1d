use super::*;

fn known() -> Vec<SourceInfo> {
    vec![
        SourceInfo {
            id: "kegoc-emergency-operation-north-south-transit-line".to_owned(),
            title: "Emergency operation of the North-South transit line".to_owned(),
            publisher: "KEGOC".to_owned(),
            year: Some(2011),
            url: "https://www.kegoc.kz/en/press-center/news".to_owned(),
        },
        SourceInfo {
            id: "iaea-pris".to_owned(),
            title: "Power Reactor Information System".to_owned(),
            publisher: "IAEA".to_owned(),
            year: None,
            url: String::new(),
        },
    ]
}

#[test]
fn ids_in_free_text_become_numbered_references() {
    let sources = known();
    let mut citations = Citations::new(&sources);
    let html = citations.cite_text(
        "North-South 500 kV transit, ~1,350 MW (KEGOC, 2011: kegoc-emergency-operation-north-south-transit-line); see iaea-pris.",
    );
    assert!(!html.contains("kegoc-emergency"), "{html}");
    assert!(!html.contains("iaea-pris"), "{html}");
    assert!(html.contains("href=\"#src-1\""), "{html}");
    assert!(
        html.contains("[2]</a>."),
        "the sentence's full stop stays: {html}"
    );
    assert!(html.contains("~1,350 MW"));
    // Citing again reuses the number.
    assert_eq!(
        citations
            .cite_ids(&["iaea-pris", "unknown-id"])
            .matches("[2]")
            .count(),
        1
    );
    assert_eq!(citations.len(), 2);
    let list = citations.list_html();
    assert!(list.contains(
        "<cite>Emergency operation of the North-South transit line</cite>. KEGOC, 2011."
    ));
    assert!(list.contains("IAEA, n.d. (no publication date found)."));
    assert!(list.contains("href=\"https://www.kegoc.kz/en/press-center/news\""));
}

#[test]
fn text_without_ids_is_only_escaped() {
    let sources = known();
    let mut citations = Citations::new(&sources);
    assert_eq!(
        citations.cite_text("assumption: 3 %/yr <growth> & more"),
        "assumption: 3 %/yr &lt;growth&gt; &amp; more"
    );
    assert!(citations.is_empty());
}
