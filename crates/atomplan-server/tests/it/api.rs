//! Every endpoint of `/api/v1` and every error code, on a real server.

use std::sync::OnceLock;

use crate::common::{server, TestServer};

/// One server for the read-only tests of this module.
fn shared() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(server)
}

/// `GET path` answers `status`; for errors, in the one shape with `code`.
fn check(path: &str, status: u16, code: Option<&str>) -> serde_json::Value {
    let reply = shared().get(path);
    assert_eq!(reply.status, status, "GET {path}: {}", reply.text());
    if let Some(code) = code {
        assert_eq!(reply.error_code(), code, "GET {path}");
    }
    if reply
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json"))
    {
        reply.json()
    } else {
        serde_json::Value::Null
    }
}

#[test]
fn designs_lists_every_catalogue_design_with_the_cli_json() {
    let catalogue = atomplan_catalogue::Catalogue::builtin().unwrap();
    let designs = check("/api/v1/designs", 200, None);
    let designs = designs.as_array().unwrap();
    assert_eq!(designs.len(), catalogue.designs().len());
    let first = &catalogue.designs()[0];
    assert_eq!(
        designs[0],
        atomplan_catalogue::json::design_json(&catalogue, first)
    );
    assert!(designs[0]["source_details"].as_array().is_some());
}

#[test]
fn designs_filter_to_smrs() {
    let catalogue = atomplan_catalogue::Catalogue::builtin().unwrap();
    let smrs = check("/api/v1/designs?smr=true", 200, None);
    let smrs = smrs.as_array().unwrap();
    let expected = catalogue.designs().iter().filter(|d| d.is_smr()).count();
    assert!(expected > 0);
    assert_eq!(smrs.len(), expected);
    assert!(smrs.iter().all(|d| d["is_smr"] == true));
    check("/api/v1/designs?smr=maybe", 400, Some("bad_request"));
}

#[test]
fn one_design_project_and_country() {
    let design = check("/api/v1/designs/vver-1200", 200, None);
    assert_eq!(design["id"], "vver-1200");
    let projects = check("/api/v1/projects", 200, None);
    let project_id = projects[0]["id"].as_str().unwrap().to_owned();
    let project = check(&format!("/api/v1/projects/{project_id}"), 200, None);
    assert_eq!(project["id"].as_str(), Some(project_id.as_str()));
    let country = check("/api/v1/countries/MN", 200, None);
    assert_eq!(country["code"], "MN");
    assert!(country["summary"].is_object());
    let countries = check("/api/v1/countries", 200, None);
    assert!(countries.as_array().unwrap().len() >= 4);
}

#[test]
fn unknown_records_are_404_naming_the_field() {
    for (path, field) in [
        ("/api/v1/designs/no-such-design", "id"),
        ("/api/v1/projects/no-such-project", "id"),
        ("/api/v1/countries/XX", "code"),
        ("/api/v1/jobs/0123456789abcdef0123456789abcdef", "id"),
        ("/api/v1/studies/templates/no-such", "name"),
    ] {
        let body = check(path, 404, Some("not_found"));
        assert_eq!(body["error"]["field"], field, "{path}");
    }
    check("/api/v1/no-such-endpoint", 404, Some("not_found"));
}

#[test]
fn job_paths_cannot_reach_files() {
    for path in [
        "/api/v1/jobs/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/jobs/..%2F..%2Fetc%2Fpasswd/report",
        "/api/v1/jobs/..%2Fjobs.sqlite/decision",
        "/api/v1/jobs/%2Fetc%2Fpasswd/events",
        "/api/v1/jobs/../../etc/passwd",
        "/api/v1/jobs/0123456789ABCDEF0123456789ABCDEF",
    ] {
        let reply = shared().get(path);
        assert!(
            (400..500).contains(&reply.status),
            "{path}: {}",
            reply.status
        );
        assert!(!reply.text().contains("root:"), "{path}");
        reply.error_code();
    }
}

#[test]
fn wrong_method_is_405_in_the_error_shape() {
    let reply = shared().request("DELETE", "/api/v1/designs", &[], b"");
    assert_eq!(reply.status, 405);
    assert_eq!(reply.error_code(), "method_not_allowed");
}

#[test]
fn study_check_gives_the_diagnostics_of_study_check() {
    let text = include_str!("../../../../studies/mongolia-small-npp.toml");
    let reply = shared().post("/api/v1/studies/check", text);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["valid"], true, "{}", reply.text());

    let bad = text.replacen("design = \"acp100\"", "design = \"acp-999\"", 1);
    let reply = shared().post("/api/v1/studies/check", &bad);
    let value = reply.json();
    assert_eq!(value["valid"], false);
    // The same diagnostics as `study check` (atomplan::study::validate) on the same text.
    let catalogue = atomplan_catalogue::Catalogue::builtin().unwrap();
    let view = atomplan::study::from_catalogue::study_catalogue(&catalogue);
    let study = atomplan::study::validate::parse("study.toml", &bad).unwrap();
    let expected = atomplan::study::validate::validate("study.toml", &study, &view);
    assert_eq!(value["diagnostics"], serde_json::json!(expected));
    assert_eq!(
        value["diagnostics"][0]["location"]["field"],
        "candidates[1].design"
    );

    let reply = shared().post("/api/v1/studies/check", "title = [unclosed");
    let value = reply.json();
    assert_eq!(value["valid"], false);
    assert!(
        value["diagnostics"][0]["location"]["line"].is_number(),
        "{value}"
    );
}

#[test]
fn studies_naming_input_files_are_refused() {
    let text = include_str!("../../../../studies/mongolia-small-npp.toml").to_owned()
        + "\n[profiles]\nload_csv = \"../../../etc/passwd\"\n";
    let value = shared().post("/api/v1/studies/check", &text).json();
    assert_eq!(value["valid"], false);
    let fields: Vec<&str> = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["location"]["field"].as_str())
        .collect();
    assert!(fields.contains(&"profiles.load_csv"), "{value}");
    let reply = shared().post("/api/v1/jobs", &text);
    assert_eq!(reply.status, 422);
    assert_eq!(reply.error_code(), "invalid_study");
}

#[test]
fn invalid_jobs_are_422_naming_the_first_field() {
    let text = include_str!("../../../../studies/mongolia-small-npp.toml").replacen(
        "country = \"MN\"",
        "country = \"XX\"",
        1,
    );
    let reply = shared().post("/api/v1/jobs", &text);
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert_eq!(reply.error_code(), "invalid_study");
    assert_eq!(reply.json()["error"]["field"], "country");
}

#[test]
fn templates_are_the_flagships_and_new_studies() {
    let list = check("/api/v1/studies/templates", 200, None);
    assert!(list["flagships"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "mongolia-small-npp"));
    let reply = shared().get("/api/v1/studies/templates/mongolia-small-npp");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.text(),
        include_str!("../../../../studies/mongolia-small-npp.toml")
    );
    let reply = shared().get("/api/v1/studies/templates/new-MN");
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("country = \"MN\""));
}

#[test]
fn bodies_over_2_mib_are_413() {
    let body = "#".repeat(3 * 1024 * 1024);
    for path in ["/api/v1/studies/check", "/api/v1/jobs"] {
        let reply = shared().request("POST", path, &[], body.as_bytes());
        assert_eq!(reply.status, 413, "{path}");
        assert_eq!(reply.error_code(), "payload_too_large");
    }
}

#[test]
fn report_and_decision_of_an_unfinished_or_unknown_job() {
    check(
        "/api/v1/jobs/0123456789abcdef0123456789abcdef/report",
        404,
        Some("not_found"),
    );
    check(
        "/api/v1/jobs/0123456789abcdef0123456789abcdef/decision",
        404,
        Some("not_found"),
    );
    check(
        "/api/v1/jobs/0123456789abcdef0123456789abcdef/events",
        404,
        Some("not_found"),
    );
}

#[test]
fn openapi_is_an_openapi_3_document_covering_every_route() {
    let doc = check("/api/v1/openapi.json", 200, None);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/designs",
        "/designs/{id}",
        "/projects",
        "/projects/{id}",
        "/countries",
        "/countries/{code}",
        "/studies/check",
        "/studies/templates",
        "/studies/templates/{name}",
        "/studies/form",
        "/studies/form/edit",
        "/compare",
        "/econ/lcoe",
        "/jobs",
        "/jobs/{id}",
        "/jobs/{id}/events",
        "/jobs/{id}/report",
        "/jobs/{id}/decision",
        "/openapi.json",
    ] {
        let item = paths
            .get(path)
            .unwrap_or_else(|| panic!("{path} is not documented"));
        for (method, operation) in item.as_object().unwrap() {
            assert!(["get", "post"].contains(&method.as_str()));
            assert!(operation["responses"]
                .as_object()
                .is_some_and(|r| !r.is_empty()));
            // Every path template variable is a declared path parameter.
            for variable in path
                .split('{')
                .skip(1)
                .map(|s| s.split('}').next().unwrap())
            {
                assert!(
                    operation["parameters"]
                        .as_array()
                        .is_some_and(|ps| ps.iter().any(|p| p["name"] == variable
                            && p["in"] == "path"
                            && p["required"] == true)),
                    "{method} {path}: no path parameter `{variable}`"
                );
            }
        }
    }
    // Every reference resolves.
    let text = doc.to_string();
    for reference in text
        .split("\"$ref\":\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
    {
        let pointer = reference.strip_prefix('#').unwrap();
        assert!(doc.pointer(pointer).is_some(), "dangling {reference}");
    }
}

#[test]
fn responses_carry_the_security_headers() {
    for path in ["/", "/catalogue", "/api/v1/designs", "/api/v1/no-such"] {
        let reply = shared().get(path);
        let csp = reply.header("content-security-policy").unwrap_or("");
        assert!(
            csp.contains("default-src 'self'") || csp.contains("default-src 'none'"),
            "{path}: {csp}"
        );
        assert!(
            !csp.contains("unsafe-inline") || path.ends_with("/report"),
            "{path}"
        );
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            reply.header("x-frame-options"),
            Some("SAMEORIGIN"),
            "{path}"
        );
        assert_eq!(
            reply.header("referrer-policy"),
            Some("no-referrer"),
            "{path}"
        );
    }
}

#[test]
fn pages_render_from_the_catalogue() {
    let reply = shared().get("/catalogue");
    assert_eq!(reply.status, 200);
    let html = reply.text();
    assert!(html.contains("id=\"designs\"") && html.contains("/designs/vver-1200"));
    assert!(!html.contains("https://cdn") && !html.contains("<script>"));
    let reply = shared().get("/designs/vver-1200");
    assert_eq!(reply.status, 200);
    let html = reply.text();
    assert!(
        html.contains("class=\"source-link\" href=\"http"),
        "a sourced value links its source"
    );
    assert_eq!(shared().get("/designs/no-such").status, 404);
    assert_eq!(shared().get("/jobs/..%2F..%2Fetc%2Fpasswd").status, 404);
    let reply = shared().get("/editor?from=mongolia-small-npp");
    assert!(reply.text().contains("Mongolia: small nuclear"));
    assert_eq!(shared().get("/assets/app.js").status, 200);
    assert_eq!(shared().get("/assets/style.css").status, 200);
}

/// A POST with a JSON body.
fn post_json(path: &str, body: &serde_json::Value) -> crate::common::Reply {
    shared().request(
        "POST",
        path,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

#[test]
fn the_form_reads_the_main_fields_of_a_study() {
    let text = include_str!("../../../../studies/mongolia-small-npp.toml");
    let reply = shared().post("/api/v1/studies/form", text);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let fields = reply.json()["fields"].as_array().unwrap().clone();
    let value = |field: &str| {
        fields
            .iter()
            .find(|f| f["field"] == field)
            .unwrap_or_else(|| panic!("no {field}"))["value"]
            .clone()
    };
    assert_eq!(value("country"), "MN");
    assert_eq!(value("horizon.periods"), serde_json::json!([2035, 2045]));
    assert_eq!(value("options.discount_rate"), 0.06);
    assert_eq!(value("policy.lole_standard_h"), 3.0);
    assert_eq!(value("candidates[1].design"), "acp100");
    assert_eq!(value("candidates[3].max_units"), 1);
    assert_eq!(
        value("candidates[0].overnight_cost_usd_per_kwe"),
        serde_json::Value::Null
    );
    assert_eq!(value("scenarios[2].co2_cap"), true);
    assert!(!fields.iter().any(|f| f["field"] == "candidates[4].design"));
    let reply = shared().post("/api/v1/studies/form", "title = ");
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "bad_request");
    assert_eq!(reply.json()["error"]["field"], "toml");
}

#[test]
fn a_form_edit_changes_one_line_keeps_comments_and_is_checked_like_the_toml() {
    let text = include_str!("../../../../studies/mongolia-small-npp.toml");
    let edit = |field: &str, value: serde_json::Value| {
        post_json(
            "/api/v1/studies/form/edit",
            &serde_json::json!({ "toml": text, "field": field, "value": value }),
        )
    };
    // One value changes; every other line, comments included, is as it was.
    let reply = edit("candidates[2].overnight_cost_usd_per_kwe", "7000".into());
    assert_eq!(reply.status, 200, "{}", reply.text());
    let edited = reply.json()["toml"].as_str().unwrap().to_owned();
    let old: Vec<&str> = text.lines().collect();
    let new: Vec<&str> = edited.lines().collect();
    assert_eq!(new.len(), old.len() + 1, "{edited}");
    let added: Vec<&&str> = new.iter().filter(|l| !old.contains(l)).collect();
    assert_eq!(added, [&"overnight_cost_usd_per_kwe = 7000.0"]);
    assert!(old.iter().all(|l| new.contains(l)));
    let check = shared().post("/api/v1/studies/check", &edited).json();
    assert_eq!(check["valid"], true, "{check}");

    // An out-of-range value is written, and the study check names its field.
    let reply = edit("options.discount_rate", "1.5".into());
    assert_eq!(reply.status, 200, "{}", reply.text());
    let edited = reply.json()["toml"].as_str().unwrap().to_owned();
    assert!(edited.contains("discount_rate = 1.5\n"));
    let check = shared().post("/api/v1/studies/check", &edited).json();
    assert_eq!(check["valid"], false);
    assert!(
        check["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["severity"] == "error" && d["location"]["field"] == "options.discount_rate"),
        "{check}"
    );

    // Values of the wrong type, fields not on the form and bad bodies are 400 naming the field.
    for (field, value, named) in [
        (
            "options.discount_rate",
            serde_json::json!("abc"),
            "options.discount_rate",
        ),
        (
            "horizon.base_year",
            serde_json::json!("2023.5"),
            "horizon.base_year",
        ),
        ("title", serde_json::json!(""), "title"),
        (
            "candidates[9].max_units",
            serde_json::json!(2),
            "candidates[9].max_units",
        ),
        ("profiles.load_csv", serde_json::json!("../x.csv"), "field"),
    ] {
        let reply = edit(field, value);
        assert_eq!(reply.status, 400, "{field}: {}", reply.text());
        assert_eq!(reply.error_code(), "bad_request");
        assert_eq!(reply.json()["error"]["field"], named, "{field}");
    }
    let reply = post_json(
        "/api/v1/studies/form/edit",
        &serde_json::json!({ "toml": text }),
    );
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "bad_request");
    let reply = shared().post("/api/v1/studies/form/edit", "not json");
    assert_eq!(reply.status, 400);
}

#[test]
fn comparing_runs_needs_two_job_ids() {
    let reply = shared().get("/api/v1/compare?b=0123456789abcdef0123456789abcdef");
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "bad_request");
    assert_eq!(reply.json()["error"]["field"], "a");
    let reply = shared().get(
        "/api/v1/compare?a=0123456789abcdef0123456789abcdef&b=0123456789abcdef0123456789abcdef",
    );
    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_code(), "not_found");
    assert_eq!(reply.json()["error"]["field"], "a");
    let reply = shared().get("/api/v1/compare?a=..%2F..%2Fetc%2Fpasswd&b=x");
    assert_eq!(reply.status, 404);
    assert_eq!(shared().get("/compare").status, 200);
}

const E1: &str =
    include_str!("../../../atomplan-cli/tests/fixtures/econ/e1_atb_2024_nuclear_large.toml");

/// The E1 case file (NREL ATB 2024, nuclear Large) as JSON.
fn e1_json() -> serde_json::Value {
    serde_json::to_value(toml::from_str::<toml::Value>(E1).unwrap()).unwrap()
}

#[test]
fn econ_lcoe_answers_what_econ_lcoe_computes() {
    let reply = post_json("/api/v1/econ/lcoe", &e1_json());
    assert_eq!(reply.status, 200, "{}", reply.text());
    let answer = reply.json();
    // The library path of `econ lcoe` on the TOML file, less the file name.
    let path = std::path::Path::new("e1.toml");
    let loaded = atomplan_econ::case_file::parse_case(path, E1).unwrap();
    let (mut expected, _) = atomplan_econ::case_file::lcoe_json(&loaded, path).unwrap();
    expected.as_object_mut().unwrap().remove("case_file");
    assert_eq!(answer, expected);
    assert!(answer.get("case_file").is_none());
    // NREL ATB 2024's own value for this case (the CLI's ATB parity test).
    let lcoe = answer["lcoe_usd_per_mwh"].as_f64().unwrap();
    assert!((lcoe - 96.919_551_700_315_75).abs() < 1e-6, "{lcoe}");
}

/// A change made to a case before it is posted.
type CaseEdit = dyn Fn(&mut serde_json::Value);

#[test]
fn econ_lcoe_errors_name_the_field() {
    let with = |edit: &CaseEdit| {
        let mut case = e1_json();
        edit(&mut case);
        post_json("/api/v1/econ/lcoe", &case)
    };
    let cases: [(&CaseEdit, &str); 5] = [
        (
            &|c| c["atb"]["capacity_factor"] = 1.7.into(),
            "atb.capacity_factor",
        ),
        (
            &|c| c["atb"]["capacity_factr"] = 0.9.into(),
            "atb.capacity_factr",
        ),
        (&|c| c["atb"]["tax_rate"] = "a lot".into(), "atb.tax_rate"),
        (
            &|c| {
                c["atb"].as_object_mut().unwrap().remove("inflation");
            },
            "atb.inflation",
        ),
        (&|c| c["method"] = "magic".into(), "method"),
    ];
    for (edit, field) in cases {
        let reply = with(edit);
        assert_eq!(reply.status, 422, "{field}: {}", reply.text());
        assert_eq!(reply.error_code(), "invalid_case");
        let error = &reply.json()["error"];
        assert_eq!(error["field"], field, "{error}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .starts_with("request body"),
            "{error}"
        );
    }
    for body in ["{\"method\": ", "[1, 2]", "\"atb\""] {
        let reply = shared().request(
            "POST",
            "/api/v1/econ/lcoe",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        );
        assert_eq!(reply.status, 400, "{body}: {}", reply.text());
        assert_eq!(reply.error_code(), "bad_request");
    }
    assert_eq!(shared().get("/api/v1/econ/lcoe").status, 405);
}
