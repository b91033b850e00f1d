//! The OpenAPI 3.0 document of `/api/v1`, served at `/api/v1/openapi.json`.
//!
//! Decision: written by hand as JSON rather than derived (utoipa), because the record schemas
//! are the catalogue's own serde output and the API is small; a test checks that every route
//! of `api.rs` is documented here and that the document is structurally valid OpenAPI 3.

use serde_json::{json, Value};

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

fn json_response(description: &str, schema: &Value) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": schema } }
    })
}

fn path_param(name: &str, description: &str) -> Value {
    json!({
        "name": name, "in": "path", "required": true, "description": description,
        "schema": { "type": "string" }
    })
}

fn toml_body(description: &str) -> Value {
    json!({
        "required": true,
        "description": description,
        "content": { "application/toml": { "schema": { "type": "string" } } }
    })
}

/// The whole document.
pub(crate) fn document() -> Value {
    let mut doc = base_document();
    // Added one by one: a single `json!` of the whole document would pass the macro's
    // recursion limit.
    let paths = &mut doc["paths"];
    paths["/studies/form"] = study_form_path();
    paths["/studies/form/edit"] = study_form_edit_path();
    paths["/compare"] = compare_path();
    paths["/econ/lcoe"] = econ_lcoe_path();
    let schemas = &mut doc["components"]["schemas"];
    schemas["FormField"] = form_field_schema();
    schemas["FormEdit"] = form_edit_schema();
    schemas["Comparison"] = comparison_schema();
    doc
}

fn base_document() -> Value {
    let record = json!({ "type": "object", "additionalProperties": true });
    let records = json!({ "type": "array", "items": record });
    let job = json!({ "$ref": "#/components/schemas/Job" });
    let job_id = path_param("id", "Job id (32 lowercase hex digits)");
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "atomplan API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Catalogue, study check and study runs of atomplan. Every error is {\"error\": {\"code\", \"message\", \"field\"}}. When the server has a token, every request needs `Authorization: Bearer <token>`."
        },
        "servers": [{ "url": "/api/v1" }],
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": { "error": {
                        "type": "object",
                        "required": ["code", "message", "field"],
                        "properties": {
                            "code": { "type": "string" },
                            "message": { "type": "string" },
                            "field": { "type": "string", "nullable": true }
                        }
                    } }
                },
                "Job": {
                    "type": "object",
                    "required": ["id", "status", "progress"],
                    "properties": {
                        "id": { "type": "string" },
                        "title": { "type": "string" },
                        "country": { "type": "string" },
                        "status": { "type": "string", "enum": ["queued", "running", "done", "failed"] },
                        "progress": { "type": "number", "minimum": 0, "maximum": 1 },
                        "stage": { "type": "string", "nullable": true },
                        "message": { "type": "string", "nullable": true },
                        "created_unix_s": { "type": "integer" },
                        "updated_unix_s": { "type": "integer" }
                    }
                },
                "CheckResult": {
                    "type": "object",
                    "required": ["valid", "diagnostics"],
                    "properties": {
                        "valid": { "type": "boolean" },
                        "diagnostics": { "type": "array", "items": { "type": "object", "additionalProperties": true } }
                    }
                }
            }
        },
        "security": [{ "bearer": [] }],
        "paths": {
            "/designs": { "get": {
                "summary": "Every reactor design, as `catalogue designs --format json`",
                "parameters": [{ "name": "smr", "in": "query", "required": false,
                    "description": "true: SMRs only; false: large reactors only",
                    "schema": { "type": "boolean" } }],
                "responses": { "200": json_response("Designs", &records), "400": error_response("Bad query") }
            } },
            "/designs/{id}": { "get": {
                "summary": "One design with the sources of every value",
                "parameters": [path_param("id", "Design id, e.g. vver-1200")],
                "responses": { "200": json_response("The design", &record), "404": error_response("No such design") }
            } },
            "/projects": { "get": {
                "summary": "Every project, as `catalogue projects --format json`",
                "responses": { "200": json_response("Projects", &records) }
            } },
            "/projects/{id}": { "get": {
                "summary": "One project with the sources of every value",
                "parameters": [path_param("id", "Project id, e.g. akkuyu")],
                "responses": { "200": json_response("The project", &record), "404": error_response("No such project") }
            } },
            "/countries": { "get": {
                "summary": "Every country, as `catalogue countries --format json`",
                "responses": { "200": json_response("Countries", &records) }
            } },
            "/countries/{code}": { "get": {
                "summary": "One country's power system and nuclear programme",
                "parameters": [path_param("code", "ISO 3166 alpha-2 code, e.g. MN")],
                "responses": { "200": json_response("The country", &record), "404": error_response("No such country") }
            } },
            "/studies/check": { "post": {
                "summary": "Check a study file (TOML) as `study check` does",
                "requestBody": toml_body("The study file"),
                "responses": {
                    "200": json_response("The diagnostics", &json!({ "$ref": "#/components/schemas/CheckResult" })),
                    "413": error_response("Body larger than 2 MiB")
                }
            } },
            "/studies/templates": { "get": {
                "summary": "The flagship studies and the countries `new-XX` templates exist for",
                "responses": { "200": json_response("Template names", &record) }
            } },
            "/studies/templates/{name}": { "get": {
                "summary": "A flagship study's TOML, or `new-XX` for `study new --country XX`",
                "parameters": [path_param("name", "Flagship name or new-XX")],
                "responses": {
                    "200": { "description": "The study file", "content": { "application/toml": { "schema": { "type": "string" } } } },
                    "404": error_response("No such template")
                }
            } },
            "/jobs": {
                "post": {
                    "summary": "Queue a study run",
                    "requestBody": toml_body("The study file"),
                    "responses": {
                        "202": json_response("Queued", &json!({ "type": "object", "required": ["id"], "properties": { "id": { "type": "string" } } })),
                        "413": error_response("Body larger than 2 MiB"),
                        "422": error_response("The study has errors (`field` names the first)"),
                        "429": error_response("Too many jobs waiting")
                    }
                },
                "get": {
                    "summary": "Every job, newest first",
                    "responses": { "200": json_response("Jobs", &json!({ "type": "array", "items": job.clone() })) }
                }
            },
            "/jobs/{id}": { "get": {
                "summary": "A job's status and progress",
                "parameters": [job_id.clone()],
                "responses": { "200": json_response("The job", &job), "404": error_response("No such job") }
            } },
            "/jobs/{id}/events": { "get": {
                "summary": "Server-sent events: `status` first, `progress` per stage event, `end` when done or failed",
                "parameters": [job_id.clone()],
                "responses": {
                    "200": { "description": "An event stream", "content": { "text/event-stream": { "schema": { "type": "string" } } } },
                    "404": error_response("No such job")
                }
            } },
            "/jobs/{id}/report": { "get": {
                "summary": "The finished job's report.html",
                "parameters": [job_id.clone()],
                "responses": {
                    "200": { "description": "The report", "content": { "text/html": { "schema": { "type": "string" } } } },
                    "404": error_response("No such job"),
                    "409": error_response("Not done yet")
                }
            } },
            "/jobs/{id}/decision": { "get": {
                "summary": "The finished job's decision.json, byte for byte as `study run` writes it",
                "parameters": [job_id.clone()],
                "responses": {
                    "200": json_response("decision.json", &record),
                    "404": error_response("No such job"),
                    "409": error_response("Not done yet")
                }
            } },
            "/openapi.json": { "get": {
                "summary": "This document",
                "responses": { "200": json_response("OpenAPI 3", &record) }
            } }
        }
    })
}

fn study_form_path() -> Value {
    json!({ "post": {
        "summary": "The study editor's form: the main fields of a study and their values",
        "requestBody": toml_body("The study file"),
        "responses": {
            "200": json_response("The fields", &json!({ "type": "object", "required": ["fields"], "properties": { "fields": { "type": "array", "items": { "$ref": "#/components/schemas/FormField" } } } })),
            "400": error_response("Not TOML (`field` is `toml`)"),
            "413": error_response("Body larger than 2 MiB")
        }
    } })
}

fn study_form_edit_path() -> Value {
    json!({ "post": {
        "summary": "Write one form field into the study TOML, keeping comments and layout; check the result with /studies/check",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FormEdit" } } } },
        "responses": {
            "200": json_response("The new study text", &json!({ "type": "object", "required": ["toml"], "properties": { "toml": { "type": "string" } } })),
            "400": error_response("Not JSON, not TOML, a field not on the form, or a value of the wrong type (`field` names it)"),
            "413": error_response("Body larger than 2 MiB")
        }
    } })
}

fn compare_path() -> Value {
    json!({ "get": {
        "summary": "Two finished runs side by side: every number of one scenario of each decision.json, and b - a",
        "parameters": [
            { "name": "a", "in": "query", "required": true, "description": "Job id of run A", "schema": { "type": "string" } },
            { "name": "b", "in": "query", "required": true, "description": "Job id of run B", "schema": { "type": "string" } },
            { "name": "scenario_a", "in": "query", "required": false, "description": "Scenario of run A (default its first)", "schema": { "type": "string" } },
            { "name": "scenario_b", "in": "query", "required": false, "description": "Scenario of run B (default its first)", "schema": { "type": "string" } }
        ],
        "responses": {
            "200": json_response("The comparison", &json!({ "$ref": "#/components/schemas/Comparison" })),
            "400": error_response("A job id is missing (`field` is `a` or `b`)"),
            "404": error_response("No such job or scenario (`field` names the parameter)"),
            "409": error_response("A run is not done yet")
        }
    } })
}

fn form_field_schema() -> Value {
    json!({
        "type": "object",
        "required": ["field", "group", "label", "kind", "optional", "value"],
        "properties": {
            "field": { "type": "string", "description": "Dotted path, as diagnostics name it" },
            "group": { "type": "string" },
            "label": { "type": "string" },
            "kind": { "type": "string", "enum": ["text", "integer", "number", "boolean", "integer_list"] },
            "optional": { "type": "boolean" },
            "hint": { "type": "string" },
            "value": { "nullable": true }
        }
    })
}

fn form_edit_schema() -> Value {
    json!({
        "type": "object",
        "required": ["toml", "field"],
        "properties": {
            "toml": { "type": "string" },
            "field": { "type": "string" },
            "value": { "nullable": true, "description": "Text, number, boolean or list; null or \"\" removes an optional field" }
        }
    })
}

fn comparison_schema() -> Value {
    json!({
        "type": "object",
        "required": ["a", "b", "rows"],
        "properties": {
            "a": { "type": "object", "additionalProperties": true },
            "b": { "type": "object", "additionalProperties": true },
            "rows": { "type": "array", "items": {
                "type": "object",
                "properties": {
                    "quantity": { "type": "string" },
                    "a": { "type": "number", "nullable": true },
                    "b": { "type": "number", "nullable": true },
                    "difference": { "type": "number", "nullable": true }
                }
            } }
        }
    })
}

fn econ_lcoe_path() -> Value {
    json!({ "post": {
        "summary": "Levelised cost of a case: the JSON of `atomplan econ lcoe --format json`, without `case_file`",
        "requestBody": { "required": true, "description": "An econ case file's structure as JSON (`method` and its `atb`, `pcge` or `cashflow` table; `mc` and `tornado` are checked too)",
            "content": { "application/json": { "schema": { "type": "object", "required": ["method"], "additionalProperties": true } } } },
        "responses": {
            "200": json_response("The result, with the inputs used", &json!({ "type": "object", "additionalProperties": true })),
            "400": error_response("The body is not a JSON object"),
            "413": error_response("Body larger than 2 MiB"),
            "422": error_response("The case is invalid (`field` names the key, e.g. `atb.capacity_factor`)")
        }
    } })
}
