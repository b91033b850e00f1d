//! Citations: every catalogue source the report uses becomes a numbered reference listed with its
//! title, publisher, year and link; no source is shown as a bare id.
//!
//! Free text (a study file's `source = "derived: … (kegoc-…)"`, a data note) is scanned for
//! catalogue source ids, and each id found is replaced by its number, linked to the list.

use std::fmt::Write;

use atomplan::study::inputs::SourceInfo;

use crate::html::escape;

/// The sources cited so far, in order of first citation.
pub struct Citations<'a> {
    known: &'a [SourceInfo],
    cited: Vec<&'a SourceInfo>,
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'
}

impl<'a> Citations<'a> {
    pub fn new(known: &'a [SourceInfo]) -> Self {
        Citations {
            known,
            cited: Vec::new(),
        }
    }

    fn number(&mut self, source: &'a SourceInfo) -> usize {
        if let Some(idx) = self.cited.iter().position(|s| s.id == source.id) {
            return idx + 1;
        }
        self.cited.push(source);
        self.cited.len()
    }

    fn lookup(&self, id: &str) -> Option<&'a SourceInfo> {
        self.known.iter().find(|s| s.id == id)
    }

    /// A link to the numbered reference of `id`, or `None` when the catalogue lacks the id.
    pub fn cite_id(&mut self, id: &str) -> Option<String> {
        let source = self.lookup(id)?;
        let number = self.number(source);
        Some(format!(
            "<a class=\"cite\" href=\"#src-{number}\" title=\"{}\">[{number}]</a>",
            escape(&source.title)
        ))
    }

    /// The references for several ids, e.g. `[3][4]`; unknown ids are left out.
    pub fn cite_ids<S: AsRef<str>>(&mut self, ids: &[S]) -> String {
        ids.iter()
            .filter_map(|id| self.cite_id(id.as_ref()))
            .collect()
    }

    /// HTML of `text` with every catalogue source id in it replaced by its reference.
    pub fn cite_text(&mut self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while !rest.is_empty() {
            let start = rest.find(is_id_char).unwrap_or(rest.len());
            out.push_str(&escape(&rest[..start]));
            rest = &rest[start..];
            let end = rest.find(|c: char| !is_id_char(c)).unwrap_or(rest.len());
            let token = &rest[..end];
            // A trailing full stop ends a sentence; it is not part of the id.
            let trimmed = token.trim_end_matches('.');
            match self.cite_id(trimmed) {
                Some(link) => {
                    out.push_str(&link);
                    out.push_str(&escape(&token[trimmed.len()..]));
                }
                None => out.push_str(&escape(token)),
            }
            rest = &rest[end..];
        }
        out
    }

    /// How many sources have been cited.
    pub fn len(&self) -> usize {
        self.cited.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cited.is_empty()
    }

    /// The numbered list: title, publisher, year, link.
    pub fn list_html(&self) -> String {
        let mut out = String::from("<ol class=\"sources\">");
        for (idx, source) in self.cited.iter().enumerate() {
            let year = source.year.map_or_else(
                || "n.d. (no publication date found)".to_owned(),
                |y| y.to_string(),
            );
            let publisher = if source.publisher.is_empty() {
                "publisher not recorded".to_owned()
            } else {
                source.publisher.clone()
            };
            let _ = write!(
                out,
                "<li id=\"src-{n}\"><cite>{title}</cite>. {publisher}, {year}.",
                n = idx + 1,
                title = escape(&source.title),
                publisher = escape(&publisher),
            );
            if !source.url.is_empty() {
                let _ = write!(
                    out,
                    " <a href=\"{url}\">{text}</a>",
                    url = escape(&source.url).replace('"', "%22"),
                    text = escape(&source.url)
                );
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>");
        out
    }
}

#[cfg(test)]
mod tests;
