//! The web app's pages: server-rendered HTML with one small hand-written script
//! (`assets/app.js`) and one stylesheet, both compiled into the binary; nothing is fetched from
//! elsewhere at run time.
//!
//! Each page names its behaviour in `<body data-page="…">`; the script does the rest (filter
//! and sort, the editor's check as you type, the live progress, the comparison) through the
//! JSON API, so the pages show exactly what the API answers.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::Value;

use crate::AppState;

const APP_JS: &str = include_str!("../assets/app.js");
const STYLE_CSS: &str = include_str!("../assets/style.css");
const FAVICON_SVG: &str = include_str!("../assets/favicon.svg");

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(index))
        .route("/catalogue", get(catalogue))
        .route("/designs/{id}", get(design))
        .route("/projects/{id}", get(project))
        .route("/countries/{code}", get(country))
        .route("/editor", get(editor))
        .route("/jobs", get(jobs))
        .route("/jobs/{id}", get(job))
        .route("/compare", get(compare))
        .route("/assets/app.js", get(app_js))
        .route("/assets/style.css", get(style_css))
        .route("/assets/favicon.svg", get(favicon))
        .route("/favicon.ico", get(favicon))
}

/// Text safe inside HTML elements and quoted attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn layout(title: &str, page: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · atomplan</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<script src="/assets/app.js" defer></script>
</head>
<body data-page="{page}">
<header><a class="brand" href="/">atomplan</a>
<nav><a href="/catalogue">Catalogue</a> <a href="/editor">Study editor</a> <a href="/jobs">Jobs</a> <a href="/compare">Compare runs</a> <a href="/api/v1/openapi.json">API</a></nav></header>
<main>
{body}
</main>
</body>
</html>
"#,
        title = esc(title),
        page = esc(page),
    ))
}

pub(crate) fn not_found_page() -> Html<String> {
    layout(
        "Not found",
        "missing",
        "<h1>Not found</h1><p>There is no such page. Start from the <a href=\"/catalogue\">catalogue</a>.</p>",
    )
}

fn not_found_response() -> Response {
    let mut response = not_found_page().into_response();
    *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
    response
}

async fn app_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        APP_JS,
    )
        .into_response()
}

async fn favicon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], FAVICON_SVG).into_response()
}

async fn style_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        STYLE_CSS,
    )
        .into_response()
}

async fn index(State(state): State<Arc<AppState>>) -> Html<String> {
    let catalogue = &state.catalogue;
    let mut body = String::from(
        "<h1>atomplan</h1><p class=\"lead\">Plan nuclear new-build and SMR programmes in real power systems: browse the sourced catalogue, edit and check a study, run it with live progress, read its report and compare its scenarios.</p><ul class=\"cards\">",
    );
    let _ = write!(
        body,
        "<li><a href=\"/catalogue\">Catalogue</a><span>{} designs, {} projects, {} countries, every value with its source</span></li>",
        catalogue.designs().len(),
        catalogue.projects().len(),
        catalogue.countries().len()
    );
    body.push_str("<li><a href=\"/editor?from=mongolia-small-npp\">Study editor</a><span>start from a flagship study or a new country study; checked as you type</span></li>");
    let _ = write!(
        body,
        "<li><a href=\"/jobs\">Jobs</a><span>{} run(s) kept on disk, with reports and scenario comparisons</span></li></ul>",
        state.jobs.list().len()
    );
    layout("Home", "index", &body)
}

fn num(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => {
            if (v - v.round()).abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        }
        _ => String::new(),
    }
}

async fn catalogue(State(state): State<Arc<AppState>>) -> Html<String> {
    let catalogue = &state.catalogue;
    let mut body = String::from(
        r#"<h1>Catalogue</h1>
<section><h2>Reactor designs</h2>
<div class="filters"><label>Filter <input id="filter" type="search" placeholder="name, vendor, country, type"></label>
<label><input id="smr-only" type="checkbox"> SMRs only (at most 300 MWe per module)</label>
<span id="shown" aria-live="polite"></span></div>
<table id="designs" class="sortable"><thead><tr>
<th data-key="name">Design</th><th data-key="vendor">Vendor</th><th data-key="country">Vendor country</th><th data-key="type">Type</th><th data-key="mwe" data-numeric="1">MWe per module</th><th data-key="modules" data-numeric="1">Modules</th><th data-key="status">Status</th><th data-key="smr">SMR</th></tr></thead><tbody>
"#,
    );
    for design in catalogue.designs() {
        let mwe = design.mwe_per_module();
        let _ = writeln!(
            body,
            "<tr data-smr=\"{smr}\"><td data-value=\"{name}\"><a href=\"/designs/{id}\">{name}</a></td><td>{vendor}</td><td>{country}</td><td>{kind}</td><td data-value=\"{mwe_value}\">{mwe}</td><td data-value=\"{modules}\">{modules}</td><td>{status}</td><td>{smr_text}</td></tr>",
            smr = design.is_smr(),
            id = esc(design.id.as_str()),
            name = esc(&design.name),
            vendor = esc(&design.vendor),
            country = esc(&design.vendor_country),
            kind = esc(&design.reactor_type.to_string()),
            mwe_value = mwe.unwrap_or(-1.0),
            mwe = num(mwe),
            modules = design.modules_per_plant.map(|m| m.to_string()).unwrap_or_default(),
            status = esc(design.status.as_str()),
            smr_text = if design.is_smr() { "yes" } else { "" },
        );
    }
    body.push_str("</tbody></table></section>\n<section><h2>Projects</h2><table id=\"projects\" class=\"sortable\"><thead><tr><th>Project</th><th>Country</th><th>Design</th><th data-numeric=\"1\">Units</th><th data-numeric=\"1\">MWe</th><th>Status</th></tr></thead><tbody>\n");
    for project in catalogue.projects() {
        let _ = writeln!(
            body,
            "<tr><td data-value=\"{id}\"><a href=\"/projects/{id}\">{name}</a></td><td>{country}</td><td><a href=\"/designs/{design}\">{design}</a></td><td data-value=\"{units}\">{units}</td><td data-value=\"{mwe}\">{mwe}</td><td>{status}</td></tr>",
            id = esc(project.id.as_str()),
            name = esc(&project.name),
            country = esc(project.country.as_str()),
            design = esc(project.design.as_str()),
            units = project.units,
            mwe = num(project.capacity_mwe),
            status = esc(&project.status.to_string()),
        );
    }
    body.push_str(
        "</tbody></table></section>\n<section><h2>Countries</h2><ul class=\"countries\">",
    );
    for country in catalogue.countries() {
        let _ = write!(
            body,
            "<li><a href=\"/countries/{code}\">{name}</a> ({code})</li>",
            code = esc(country.code.as_str()),
            name = esc(&country.name)
        );
    }
    body.push_str("</ul></section>");
    layout("Catalogue", "catalogue", &body)
}

/// Rows of `(dotted path, value)` for every non-null leaf of a record, leaving out its sources
/// (they are listed below the values).
fn value_rows(record: &Value) -> Vec<(String, String)> {
    let mut values = record.clone();
    if let Some(map) = values.as_object_mut() {
        for key in ["field_sources", "source_details", "sources"] {
            map.remove(key);
        }
    }
    atomplan_catalogue::json::flatten(&values)
        .into_iter()
        .filter_map(|(path, text)| Some((path, text?)))
        .collect()
}

/// A record's page: every value with the numbered sources of its field, then the sources
/// (title, publisher, year, link).
fn record_page(kind: &str, title: &str, record: &Value) -> Html<String> {
    let sources: Vec<&Value> = record
        .get("source_details")
        .and_then(Value::as_array)
        .map(|items| items.iter().collect())
        .unwrap_or_default();
    let source_number = |id: &str| {
        sources
            .iter()
            .position(|s| s.get("id").and_then(Value::as_str) == Some(id))
            .map(|idx| idx + 1)
    };
    let field_sources = record.get("field_sources").and_then(Value::as_object);
    let rows = value_rows(record);
    let mut body = format!(
        "<h1>{}</h1><p class=\"kind\">{}</p><table class=\"record\"><thead><tr><th>Field</th><th>Value</th><th>Sources</th></tr></thead><tbody>",
        esc(title),
        esc(kind)
    );
    for (path, value) in rows {
        // The sources of `costs[0].total_bn.low` are those of `costs[0]`, else of `costs`.
        let top = path.split('.').next().unwrap_or(&path);
        let bare = top.split('[').next().unwrap_or(top);
        let ids: Vec<&str> = field_sources
            .and_then(|fs| fs.get(top).or_else(|| fs.get(bare)))
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let refs: Vec<String> = ids
            .iter()
            .filter_map(|id| source_number(id))
            .map(|n| format!("<a class=\"ref\" href=\"#source-{n}\">[{n}]</a>"))
            .collect();
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&path),
            esc(&value),
            refs.join(" ")
        );
    }
    body.push_str("</tbody></table><h2>Sources</h2><ol class=\"sources\">");
    for (idx, source) in sources.iter().enumerate() {
        let text = |key: &str| source.get(key).and_then(Value::as_str).unwrap_or("");
        let year = source
            .get("year")
            .and_then(Value::as_i64)
            .map(|y| format!(" ({y})"))
            .unwrap_or_default();
        let url = text("url");
        let link = if url.starts_with("https://") || url.starts_with("http://") {
            format!(
                " <a class=\"source-link\" href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                esc(url),
                esc(url)
            )
        } else {
            String::new()
        };
        let _ = write!(
            body,
            "<li id=\"source-{n}\"><span class=\"source-title\">{title}</span>, {publisher}{year}.{link}</li>",
            n = idx + 1,
            title = esc(text("title")),
            publisher = esc(text("publisher")),
            year = esc(&year),
        );
    }
    body.push_str("</ol>");
    layout(title, "record", &body)
}

async fn design(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let catalogue = &state.catalogue;
    match catalogue.design(&id) {
        Some(design) => record_page(
            "Reactor design",
            &design.name,
            &atomplan_catalogue::json::design_json(catalogue, design),
        )
        .into_response(),
        None => not_found_response(),
    }
}

async fn project(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let catalogue = &state.catalogue;
    match catalogue.project(&id) {
        Some(project) => record_page(
            "Project",
            &project.name,
            &atomplan_catalogue::json::project_json(catalogue, project),
        )
        .into_response(),
        None => not_found_response(),
    }
}

async fn country(State(state): State<Arc<AppState>>, Path(code): Path<String>) -> Response {
    let catalogue = &state.catalogue;
    match catalogue.country(&code) {
        Some(country) => record_page(
            "Country",
            &country.name,
            &atomplan_catalogue::json::country_json(catalogue, country),
        )
        .into_response(),
        None => not_found_response(),
    }
}

#[derive(Debug, Deserialize)]
struct EditorQuery {
    from: Option<String>,
}

async fn editor(
    State(state): State<Arc<AppState>>,
    Query(query): Query<EditorQuery>,
) -> Html<String> {
    let from = query
        .from
        .unwrap_or_else(|| "mongolia-small-npp".to_owned());
    let text = crate::api::template_for(&state, &from).unwrap_or_default();
    let mut options = String::new();
    for (name, _) in crate::api::FLAGSHIPS {
        let _ = write!(
            options,
            "<option value=\"{n}\"{sel}>flagship: {n}</option>",
            n = esc(name),
            sel = if name == from { " selected" } else { "" }
        );
    }
    for country in &state.study_catalogue.countries {
        let value = format!("new-{}", country.code);
        let _ = write!(
            options,
            "<option value=\"{v}\"{sel}>new study: {name}</option>",
            v = esc(&value),
            sel = if value == from { " selected" } else { "" },
            name = esc(&country.name)
        );
    }
    let body = format!(
        r#"<h1>Study editor</h1>
<form id="start" action="/editor" method="get"><label>Start from <select name="from" id="from">{options}</select></label> <button type="submit">Load</button></form>
<p class="help">Edit the main fields in the form or the whole study file as TOML (docs/study-file.md); a change in the form is written into the TOML, comments and all. The study is checked as you type with the same checks as <code>atomplan study check</code>; each problem is shown at its field and its line.</p>
<div class="panes">
<section class="form-pane"><h2>Form</h2><p id="form-note" class="help"></p><form id="study-form" novalidate></form></section>
<section class="toml-pane"><h2>TOML</h2><div class="editor"><pre id="gutter" aria-hidden="true"></pre><textarea id="study" spellcheck="false" wrap="off" aria-label="study file">{text}</textarea></div></section>
</div>
<div id="status" class="status" aria-live="polite">Checking…</div>
<ul id="diagnostics" class="diagnostics"></ul>
<button id="run" type="button" disabled>Run study</button> <span id="run-error" class="error"></span>
"#,
        text = esc(&text)
    );
    layout("Study editor", "editor", &body)
}

fn status_badge(status: &str) -> String {
    format!("<span class=\"badge {s}\">{s}</span>", s = esc(status))
}

async fn jobs(State(state): State<Arc<AppState>>) -> Html<String> {
    let list = state.jobs.list();
    let mut body = String::from("<h1>Jobs</h1>");
    if list.is_empty() {
        body.push_str(
            "<p>No study has run yet. Start one in the <a href=\"/editor\">study editor</a>.</p>",
        );
    } else {
        body.push_str("<table id=\"jobs\"><thead><tr><th>Study</th><th>Country</th><th>Status</th><th>Progress</th><th>Started</th></tr></thead><tbody>");
        for job in list {
            let _ = write!(
                body,
                "<tr><td><a href=\"/jobs/{id}\">{title}</a></td><td>{country}</td><td>{status}</td><td>{progress:.0} %</td><td class=\"time\" data-unix=\"{created}\">{created}</td></tr>",
                id = esc(&job.id),
                title = esc(&job.title),
                country = esc(&job.country),
                status = status_badge(&job.status),
                progress = job.progress * 100.0,
                created = job.created_unix_s,
            );
        }
        body.push_str("</tbody></table>");
    }
    layout("Jobs", "jobs", &body)
}

async fn job(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let Some(info) = state.jobs.get(&id) else {
        return not_found_response();
    };
    let body = format!(
        r#"<h1>{title}</h1>
<p>Job <code>{id}</code> · {country} · <span id="job-status">{status}</span></p>
<progress id="progress" max="1" value="{progress}"></progress> <span id="stage">{stage}</span>
<p id="job-message" class="error">{message}</p>
<details open><summary>Progress</summary><ol id="events" class="events"></ol></details>
<section id="results" hidden>
<h2>Compare scenarios</h2>
<p><label>Scenario A <select id="scenario-a"></select></label> <label>Scenario B <select id="scenario-b"></select></label> · <a href="/api/v1/jobs/{id}/decision">decision.json</a> · <a id="compare-runs" href="/compare?a={id}">compare with another run</a></p>
<table id="comparison"><thead><tr><th>Quantity</th><th id="name-a">A</th><th id="name-b">B</th><th>B − A</th></tr></thead><tbody></tbody></table>
<h2>Report</h2>
<p><a href="/api/v1/jobs/{id}/report">Open the report on its own</a></p>
<iframe id="report" title="report" sandbox></iframe>
</section>
"#,
        title = esc(&info.title),
        id = esc(&info.id),
        country = esc(&info.country),
        status = esc(&info.status),
        progress = info.progress,
        stage = esc(info.stage.as_deref().unwrap_or("")),
        message = esc(info.message.as_deref().unwrap_or("")),
    );
    layout(&info.title, "job", &body).into_response()
}

#[derive(Debug, Deserialize)]
struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
}

/// Two runs side by side: the runs to choose from are the finished jobs; the script reads the
/// numbers from `/api/v1/compare`.
async fn compare(
    State(state): State<Arc<AppState>>,
    Query(query): Query<CompareQuery>,
) -> Html<String> {
    let done: Vec<_> = state
        .jobs
        .list()
        .into_iter()
        .filter(|job| job.status == "done")
        .collect();
    let options = |selected: Option<&str>| {
        let mut out = String::from("<option value=\"\">choose a run</option>");
        for job in &done {
            let _ = write!(
                out,
                "<option value=\"{id}\"{sel}>{title} ({short})</option>",
                id = esc(&job.id),
                sel = if selected == Some(job.id.as_str()) {
                    " selected"
                } else {
                    ""
                },
                title = esc(&job.title),
                short = esc(job.id.get(..8).unwrap_or(&job.id)),
            );
        }
        out
    };
    let body = format!(
        r#"<h1>Compare runs</h1>
<p class="help">Two finished runs side by side, one scenario of each: every number of their <code>decision.json</code>, and the difference B − A. Two scenarios of one run can be chosen too.</p>
<div class="compare-pick">
<p><label>Run A <select id="job-a" data-field="a">{options_a}</select></label> <label>Scenario <select id="scenario-a" data-field="scenario_a"></select></label></p>
<p><label>Run B <select id="job-b" data-field="b">{options_b}</select></label> <label>Scenario <select id="scenario-b" data-field="scenario_b"></select></label></p>
</div>
<p id="compare-error" class="error" aria-live="polite"></p>
<table id="comparison"><thead><tr><th>Quantity</th><th id="name-a">A</th><th id="name-b">B</th><th>B − A</th></tr></thead><tbody></tbody></table>
"#,
        options_a = options(query.a.as_deref()),
        options_b = options(query.b.as_deref()),
    );
    layout("Compare runs", "compare", &body)
}
