//! The JSON API under `/api/v1` (documented in `openapi.rs` and docs/server.md).
//!
//! Every answer comes from the same library functions as the CLI's: catalogue records from
//! `atomplan_catalogue::json` (as `catalogue … --format json`), study diagnostics from
//! `atomplan::study::validate` (as `study check`), runs from `atomplan_report::run_study` (as
//! `study run`).

use std::collections::{BTreeMap, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use atomplan::study::decision::Decision;
use atomplan::study::{template, validate, StudyFile};
use atomplan_catalogue::json::{country_json, design_json, project_json};
use atomplan_core::Diagnostic;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::jobs::{Jobs, STUDY_FILE};
use crate::security::body_text;
use crate::{ApiError, AppState, ServerError};

type ApiResult = Result<Response, ApiError>;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/designs", get(designs))
        .route("/designs/{id}", get(design))
        .route("/projects", get(projects))
        .route("/projects/{id}", get(project))
        .route("/countries", get(countries))
        .route("/countries/{code}", get(country))
        .route("/econ/lcoe", post(econ_lcoe))
        .route("/studies/check", post(check_study))
        .route("/studies/form", post(study_form))
        .route("/studies/form/edit", post(edit_study_form))
        .route("/studies/templates", get(templates))
        .route("/studies/templates/{name}", get(template_text))
        .route("/jobs", post(submit_job).get(list_jobs))
        .route("/jobs/{id}", get(job))
        .route("/jobs/{id}/events", get(job_events))
        .route("/jobs/{id}/report", get(job_report))
        .route("/jobs/{id}/decision", get(job_decision))
        .route("/compare", get(compare))
}

async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}

/// The JSON of the catalogue's listings, made once at start.
pub(crate) struct Listings {
    designs: Bytes,
    projects: Bytes,
    countries: Bytes,
}

impl Listings {
    pub(crate) fn new(catalogue: &atomplan_catalogue::Catalogue) -> Self {
        let list = |values: Vec<Value>| Bytes::from(Value::Array(values).to_string());
        Listings {
            designs: list(
                catalogue
                    .designs()
                    .iter()
                    .map(|d| design_json(catalogue, d))
                    .collect(),
            ),
            projects: list(
                catalogue
                    .projects()
                    .iter()
                    .map(|p| project_json(catalogue, p))
                    .collect(),
            ),
            countries: list(
                catalogue
                    .countries()
                    .iter()
                    .map(|c| country_json(catalogue, c))
                    .collect(),
            ),
        }
    }
}

fn json_text(bytes: &Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes.clone()).into_response()
}

/// `?smr=true` keeps small modular reactors only, `?smr=false` large ones.
#[derive(Debug, Deserialize)]
struct DesignQuery {
    smr: Option<bool>,
}

async fn designs(State(state): State<Arc<AppState>>, Query(query): Query<DesignQuery>) -> Response {
    let catalogue = &state.catalogue;
    if query.smr.is_none() {
        return json_text(&state.listings.designs);
    }
    Json(Value::Array(
        catalogue
            .designs()
            .iter()
            .filter(|d| query.smr.is_none_or(|smr| d.is_smr() == smr))
            .map(|d| design_json(catalogue, d))
            .collect(),
    ))
    .into_response()
}

async fn design(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let catalogue = &state.catalogue;
    let design = catalogue.design(&id).ok_or_else(|| {
        ApiError::not_found(format!("no design `{}`", id.escape_default())).with_field("id")
    })?;
    Ok(Json(design_json(catalogue, design)).into_response())
}

async fn projects(State(state): State<Arc<AppState>>) -> Response {
    json_text(&state.listings.projects)
}

async fn project(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let catalogue = &state.catalogue;
    let project = catalogue.project(&id).ok_or_else(|| {
        ApiError::not_found(format!("no project `{}`", id.escape_default())).with_field("id")
    })?;
    Ok(Json(project_json(catalogue, project)).into_response())
}

async fn countries(State(state): State<Arc<AppState>>) -> Response {
    json_text(&state.listings.countries)
}

async fn country(State(state): State<Arc<AppState>>, Path(code): Path<String>) -> ApiResult {
    let catalogue = &state.catalogue;
    let country = catalogue.country(&code).ok_or_else(|| {
        ApiError::not_found(format!("no country `{}`", code.escape_default())).with_field("code")
    })?;
    Ok(Json(country_json(catalogue, country)).into_response())
}

/// What a case is called in messages: it has no file.
const CASE_LABEL: &str = "request body";

/// A case (the case file's structure as JSON) in the body; the JSON of
/// `atomplan econ lcoe --format json` for it, computed by the same functions, without
/// `case_file` (there is no file).
async fn econ_lcoe(body: Body) -> ApiResult {
    use atomplan_econ::case_file::{lcoe_json, parse_case_json, CaseFileError};
    let text = body_text(body).await?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|error| ApiError::bad_request(format!("the body is not JSON: {error}")))?;
    if !value.is_object() {
        return Err(ApiError::bad_request(
            "the body must be a JSON object with the keys of an econ case file (`method`, `[atb]`, `[pcge]` or `[cashflow]`, …; docs/methods/economics.md)",
        ));
    }
    let invalid = |error: CaseFileError| {
        let mut api = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_case",
            error.message,
        );
        api.field = error.field;
        api
    };
    let loaded = parse_case_json(CASE_LABEL, &value).map_err(invalid)?;
    let (mut result, _rows) =
        lcoe_json(&loaded, std::path::Path::new(CASE_LABEL)).map_err(invalid)?;
    if let Some(map) = result.as_object_mut() {
        map.remove("case_file");
    }
    Ok(Json(result).into_response())
}

/// The server's checks on top of `study check`'s: a posted study has no folder, so it may not
/// name input files.
fn server_checks(study: &StudyFile) -> Vec<Diagnostic> {
    let profiles = &study.profiles;
    [
        ("profiles.load_csv", &profiles.load_csv),
        ("profiles.wind_csv", &profiles.wind_csv),
        ("profiles.solar_csv", &profiles.solar_csv),
        ("profiles.hydro_csv", &profiles.hydro_csv),
    ]
    .into_iter()
    .filter(|(_, value)| value.is_some())
    .map(|(field, _)| {
        Diagnostic::error(
            atomplan_core::Location::file(STUDY_FILE).with_field(field),
            "a study sent to the server cannot name input files",
        )
        .with_hint("run studies with profile files through `atomplan study run`")
    })
    .collect()
}

/// Parses and validates like `study check`; the study when there is no error.
pub(crate) fn check(state: &AppState, text: &str) -> (Option<StudyFile>, Vec<Diagnostic>) {
    let study = match validate::parse(STUDY_FILE, text) {
        Ok(study) => study,
        Err(diagnostics) => return (None, diagnostics),
    };
    let mut diagnostics = validate::validate(STUDY_FILE, &study, &state.study_catalogue);
    diagnostics.extend(server_checks(&study));
    if atomplan_core::diagnostic::has_errors(&diagnostics) {
        (None, diagnostics)
    } else {
        (Some(study), diagnostics)
    }
}

async fn check_study(State(state): State<Arc<AppState>>, body: Body) -> ApiResult {
    let text = body_text(body).await?;
    let (study, diagnostics) = check(&state, &text);
    Ok(Json(json!({ "valid": study.is_some(), "diagnostics": diagnostics })).into_response())
}

/// The form of a study (its main fields and their values), read from the TOML in the body.
async fn study_form(body: Body) -> ApiResult {
    let text = body_text(body).await?;
    let fields = crate::form::fields(&text)?;
    Ok(Json(json!({ "fields": fields })).into_response())
}

/// `{"toml", "field", "value"}`: one field of the form written into the study text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormEdit {
    toml: String,
    field: String,
    #[serde(default)]
    value: Value,
}

async fn edit_study_form(body: Body) -> ApiResult {
    let text = body_text(body).await?;
    let request: FormEdit = serde_json::from_str(&text).map_err(|error| {
        ApiError::bad_request(format!(
            "the body must be JSON {{\"toml\", \"field\", \"value\"}}: {error}"
        ))
    })?;
    let toml = crate::form::edit(&request.toml, &request.field, &request.value)?;
    Ok(Json(json!({ "toml": toml })).into_response())
}

/// The flagship studies shipped with atomplan, compiled in.
pub(crate) const FLAGSHIPS: [(&str, &str); 4] = [
    (
        "mongolia-small-npp",
        include_str!("../../../studies/mongolia-small-npp.toml"),
    ),
    (
        "kazakhstan-first-npp",
        include_str!("../../../studies/kazakhstan-first-npp.toml"),
    ),
    (
        "turkey-smr",
        include_str!("../../../studies/turkey-smr.toml"),
    ),
    (
        "uzbekistan-jizzakh",
        include_str!("../../../studies/uzbekistan-jizzakh.toml"),
    ),
];

async fn templates(State(state): State<Arc<AppState>>) -> Json<Value> {
    let countries: Vec<&str> = state
        .study_catalogue
        .countries
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    Json(json!({
        "flagships": FLAGSHIPS.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
        "countries": countries,
    }))
}

/// A flagship by name, or `new-XX` for `study new --country XX`.
pub(crate) fn template_for(state: &AppState, name: &str) -> Option<String> {
    if let Some((_, text)) = FLAGSHIPS.iter().find(|(flagship, _)| *flagship == name) {
        return Some((*text).to_owned());
    }
    let code = name.strip_prefix("new-")?;
    template::new_study(&state.study_catalogue, code)
}

async fn template_text(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> ApiResult {
    let text = template_for(&state, &name).ok_or_else(|| {
        ApiError::not_found(format!(
            "no study template `{}`; use a flagship name or `new-` and a country code",
            name.escape_default()
        ))
        .with_field("name")
    })?;
    Ok((
        [(header::CONTENT_TYPE, "application/toml; charset=utf-8")],
        text,
    )
        .into_response())
}

async fn submit_job(State(state): State<Arc<AppState>>, body: Body) -> ApiResult {
    let text = body_text(body).await?;
    let (study, diagnostics) = check(&state, &text);
    let Some(study) = study else {
        let first = diagnostics.iter().find(|d| d.is_error());
        let message = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {}", d.location, d.message))
            .collect::<Vec<_>>()
            .join("; ");
        let mut error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_study", message);
        if let Some(field) = first.and_then(|d| d.location.field.clone()) {
            error = error.with_field(field);
        }
        return Err(error);
    };
    let jobs = Arc::clone(&state.jobs);
    let title = study.title.clone();
    let country = study.country.clone();
    let submitted = tokio::task::spawn_blocking(move || jobs.submit(&text, &title, &country))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    match submitted {
        Ok(id) => Ok((
            StatusCode::ACCEPTED,
            [(header::LOCATION, format!("/api/v1/jobs/{id}"))],
            Json(json!({ "id": id })),
        )
            .into_response()),
        Err(error @ ServerError::QueueFull { .. }) => Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_jobs",
            error.to_string(),
        )),
        Err(error) => Err(ApiError::internal(error.to_string())),
    }
}

async fn list_jobs(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!(state.jobs.list()))
}

fn job_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("no job `{}`", id.escape_default())).with_field("id")
}

async fn job(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let info = state.jobs.get(&id).ok_or_else(|| job_not_found(&id))?;
    Ok(Json(json!(info)).into_response())
}

/// Where the event stream of one client is.
struct Cursor {
    jobs: Arc<Jobs>,
    id: String,
    next_idx: usize,
    buffer: VecDeque<(&'static str, Value)>,
    started: bool,
    finished: bool,
}

async fn job_events(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    state.jobs.get(&id).ok_or_else(|| job_not_found(&id))?;
    let cursor = Cursor {
        jobs: Arc::clone(&state.jobs),
        id,
        next_idx: 0,
        buffer: VecDeque::new(),
        started: false,
        finished: false,
    };
    let stream = futures_util::stream::unfold(cursor, |mut cursor| async move {
        loop {
            if let Some((name, data)) = cursor.buffer.pop_front() {
                let event = Event::default().event(name).data(data.to_string());
                return Some((Ok::<Event, Infallible>(event), cursor));
            }
            if cursor.finished {
                return None;
            }
            let new = cursor.jobs.events_since(&cursor.id, cursor.next_idx);
            cursor.next_idx += new.len();
            let info = cursor.jobs.get(&cursor.id);
            if !cursor.started {
                cursor.started = true;
                cursor.buffer.push_back(("status", json!(info)));
            }
            let had_new = !new.is_empty();
            cursor
                .buffer
                .extend(new.into_iter().map(|event| ("progress", event)));
            if !had_new && info.as_ref().is_none_or(crate::jobs::JobInfo::is_finished) {
                cursor.buffer.push_back(("end", json!(info)));
                cursor.finished = true;
            } else if cursor.buffer.is_empty() {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        }
    });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}

/// A finished job's output file (`report.html` or `decision.json`).
async fn job_output(state: &AppState, id: &str, file: &str) -> Result<Vec<u8>, ApiError> {
    let info = state.jobs.get(id).ok_or_else(|| job_not_found(id))?;
    if info.status != "done" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_ready",
            format!(
                "job `{id}` is {}; its {file} exists once it is done",
                info.status
            ),
        ));
    }
    let dir = state.jobs.job_dir(id).ok_or_else(|| job_not_found(id))?;
    let path = dir.join("out").join(file);
    tokio::fs::read(&path)
        .await
        .map_err(|e| ApiError::internal(format!("cannot read the job's {file}: {e}")))
}

async fn job_report(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let bytes = job_output(&state, &id, "report.html").await?;
    let mut response =
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::security::REPORT_CSP),
    );
    Ok(response)
}

async fn job_decision(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult {
    let bytes = job_output(&state, &id, "decision.json").await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// `?a=ID&b=ID[&scenario_a=NAME&scenario_b=NAME]`: one scenario of each of two finished jobs.
#[derive(Debug, Deserialize)]
struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
    scenario_a: Option<String>,
    scenario_b: Option<String>,
}

/// One side of a comparison: the job, its decision, and the chosen scenario.
async fn compare_side(
    state: &AppState,
    id: Option<&str>,
    scenario: Option<&str>,
    id_field: &str,
    scenario_field: &str,
) -> Result<(Value, BTreeMap<String, f64>), ApiError> {
    let id = id.filter(|id| !id.is_empty()).ok_or_else(|| {
        ApiError::bad_request(format!("`{id_field}` is missing: give a job id"))
            .with_field(id_field)
    })?;
    let info = state
        .jobs
        .get(id)
        .ok_or_else(|| job_not_found(id).with_field(id_field))?;
    let bytes = job_output(state, id, "decision.json")
        .await
        .map_err(|error| error.with_field(id_field))?;
    let decision: Decision = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::internal(format!(
            "the job's decision.json is not a decision of this version of atomplan: {e}"
        ))
    })?;
    let names: Vec<&str> = decision.scenarios.iter().map(|s| s.name.as_str()).collect();
    let chosen = match scenario.filter(|s| !s.is_empty()) {
        None => decision.scenarios.first(),
        Some(name) => decision.scenarios.iter().find(|s| s.name == name),
    };
    let Some(chosen) = chosen else {
        return Err(ApiError::not_found(format!(
            "job `{id}` has no scenario `{}`; it has {}",
            scenario.unwrap_or_default().escape_default(),
            names.join(", ")
        ))
        .with_field(scenario_field));
    };
    let side = json!({
        "job": id,
        "title": info.title,
        "country": info.country,
        "scenario": chosen.name,
        "scenarios": names,
    });
    Ok((side, chosen.numbers()))
}

/// Two runs side by side: every number of one scenario of job `a` and one of job `b`, with
/// `b - a` where both have it. The numbers are those of each job's `decision.json`.
async fn compare(
    State(state): State<Arc<AppState>>,
    Query(query): Query<CompareQuery>,
) -> ApiResult {
    let (side_a, numbers_a) = compare_side(
        &state,
        query.a.as_deref(),
        query.scenario_a.as_deref(),
        "a",
        "scenario_a",
    )
    .await?;
    let (side_b, numbers_b) = compare_side(
        &state,
        query.b.as_deref(),
        query.scenario_b.as_deref(),
        "b",
        "scenario_b",
    )
    .await?;
    let keys: std::collections::BTreeSet<&String> =
        numbers_a.keys().chain(numbers_b.keys()).collect();
    let rows: Vec<Value> = keys
        .into_iter()
        .map(|key| {
            let a = numbers_a.get(key).copied();
            let b = numbers_b.get(key).copied();
            let difference = a.zip(b).map(|(a, b)| b - a);
            json!({ "quantity": key, "a": a, "b": b, "difference": difference })
        })
        .collect();
    Ok(Json(json!({ "a": side_a, "b": side_b, "rows": rows })).into_response())
}
