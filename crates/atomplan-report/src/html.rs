//! `report.html`: one self-contained page that answers the study's question first (the Answer
//! box, readable without scrolling at 1280 × 800), then the assumptions behind it, then the
//! evidence (costs, plan, dispatch, grid fit, adequacy, emissions, security, ranking,
//! readiness), then numbered sources and the data-quality notes that concern this study.
//!
//! The page has no script and no external resource; its print stylesheet keeps every chart on
//! one page, so the browser's "print to PDF" gives a clean document.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use atomplan::study::pipeline::Planning;
use atomplan::study::system::{AssetKind, StudySystem};
use atomplan::study::{StudyCatalogue, StudyFile};

use crate::charts::{self, BarSeries};
use crate::sources::Citations;
use crate::{answer, assumptions, raster, ReportError};
use atomplan::study::runner::StudyResults;

/// The written report and its chart files.
pub struct Written {
    pub path: PathBuf,
    pub charts: Vec<PathBuf>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number with `digits` decimals, or an en dash when it is not finite.
pub fn num(value: f64, digits: usize) -> String {
    if value.is_finite() {
        let text = format!("{value:.digits$}");
        if text
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            text.trim_start_matches('-').to_owned()
        } else {
            text
        }
    } else {
        "–".to_owned()
    }
}

/// A number with thousands separators and no decimals (e.g. `12,345`).
pub fn grouped(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let text = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (idx, c) in text.chars().enumerate() {
        if idx > 0 && (text.len() - idx) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0.0 && out != "0" {
        format!("-{out}")
    } else {
        out
    }
}

const STYLE: &str = "*{box-sizing:border-box}\
body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1180px;margin:0 auto;padding:.4em 1em 2em;color:#222;line-height:1.4;font-size:14px}\
h1{font-size:20px;margin:.2em 0 0}header p{margin:.1em 0 .4em;color:#555;font-size:12.5px}\
h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:.15em;margin-top:1.4em;break-after:avoid;page-break-after:avoid}\
h3{font-size:15px;margin:1em 0 .3em;break-after:avoid;page-break-after:avoid}\
table{border-collapse:collapse;margin:.4em 0 .9em;max-width:100%;display:block;overflow-x:auto}\
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;font-size:12.5px;vertical-align:top}\
th{background:#f3f3f3}td.n{text-align:right;white-space:nowrap}\
figure.chart{margin:.6em 0;break-inside:avoid;page-break-inside:avoid}\
figure.chart svg{max-width:100%;height:auto;display:block}\
.answer{background:#eef6ee;border-left:5px solid #2e7d32;padding:.2em .9em .4em;font-size:13px}\
.answer h2{margin:.2em 0 .1em;border:0;font-size:17px}.answer p{margin:.25em 0}\
.answer ul{margin:.2em 0;padding-left:1.2em}.answer li{margin:.1em 0}.answer table{margin:.3em 0}\
.answer td,.answer th{font-size:12px;padding:1px 5px}\
.alert{background:#fdecea;border-left:5px solid #c62828;padding:.3em .8em;margin:.4em 0}\
.synthetic{background:#fff3cd;border-left:5px solid #d4a017;padding:.3em .8em;margin:.4em 0}\
.note{color:#555;font-size:12.5px}.fragile{color:#b71c1c;font-weight:bold}\
.kind{font-size:11px;padding:0 4px;border-radius:3px;white-space:nowrap}\
.kind-sourced{background:#e8f5e9;color:#1b5e20}.kind-derived{background:#e3f2fd;color:#0d47a1}.kind-assumption{background:#fff3e0;color:#e65100}\
a.cite{text-decoration:none;font-size:11px;vertical-align:super}\
ol.sources li{font-size:12.5px;margin:.15em 0;overflow-wrap:anywhere}\
ul.notes li{font-size:12.5px}\
@media print{body{max-width:none;font-size:11px;padding:0}\
.answer,.alert,.synthetic,tr,figure.chart{break-inside:avoid;page-break-inside:avoid}\
table{display:table;overflow:visible}a{color:inherit;text-decoration:none}\
@page{size:A4;margin:12mm}}";

pub struct Page {
    pub html: String,
    charts: Vec<PathBuf>,
    dir: PathBuf,
    /// A line under each chart naming the study (the chart stands alone in a slide).
    footer: String,
}

impl Page {
    /// Writes `charts/NAME.svg` and `charts/NAME.png` (rasterised from the same SVG) and
    /// inlines the SVG into the page.
    pub fn chart(&mut self, name: &str, svg: &str) -> Result<(), ReportError> {
        let svg = charts::with_footer(svg, &format!("{} · chart {name}", self.footer));
        let path = self.dir.join(format!("{name}.svg"));
        std::fs::write(&path, &svg).map_err(|e| ReportError::io(&path, &e))?;
        let png = path.with_extension("png");
        raster::write_png(&png, &svg)?;
        let _ = write!(
            self.html,
            "<figure class=\"chart\" data-chart=\"{name}.svg\">{svg}</figure>"
        );
        self.charts.push(path);
        self.charts.push(png);
        Ok(())
    }
    pub fn push(&mut self, text: &str) {
        self.html.push_str(text);
    }
}

/// An HTML table; cells are escaped, and numeric-looking cells are right-aligned.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table><thead><tr>");
    for h in headers {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let numeric = !cell.is_empty()
                && cell
                    .trim_end_matches([' ', '%'])
                    .replace([',', '–', '-', '+', '.', ' '], "")
                    .chars()
                    .all(|c| c.is_ascii_digit());
            if numeric {
                let _ = write!(out, "<td class=\"n\">{}</td>", escape(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", escape(cell));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// A table whose cells are already HTML (escaped by the caller).
pub fn table_html(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table><thead><tr>");
    for h in headers {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// Nuclear capacity online by period: (year, candidate, MW, units).
pub fn nuclear_build(plan: &Planning) -> Vec<(i32, String, f64, Option<f64>)> {
    plan.capacities
        .iter()
        .filter(|r| r.kind == AssetKind::Nuclear && r.capacity_mw > 0.5)
        .map(|r| {
            (
                r.year,
                r.candidate.clone().unwrap_or_else(|| r.asset.clone()),
                r.capacity_mw,
                r.units,
            )
        })
        .collect()
}

/// Capacity (GW) or energy (TWh) by technology for one period of a plan, shedding left out.
pub fn mix_by_technology(plan: &Planning, year: i32, energy: bool) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for row in plan
        .capacities
        .iter()
        .filter(|r| r.year == year && r.kind != AssetKind::Shedding)
    {
        let value = if energy {
            row.energy_twh
        } else {
            row.capacity_mw / 1000.0
        };
        match out.iter_mut().find(|(t, _)| *t == row.technology) {
            Some(entry) => entry.1 += value,
            None => out.push((row.technology.clone(), value)),
        }
    }
    out
}

/// Writes `report.html` and the charts (SVG and PNG).
pub fn write_report(
    out_dir: &Path,
    charts_dir: &Path,
    study: &StudyFile,
    catalogue: &StudyCatalogue,
    results: &StudyResults,
    system: &StudySystem,
) -> Result<Written, ReportError> {
    let country = catalogue.country(&study.country);
    let country_name = country.map_or(study.country.clone(), |c| c.name.clone());
    let mut page = Page {
        html: String::new(),
        charts: Vec::new(),
        dir: charts_dir.to_path_buf(),
        footer: format!("atomplan · {}", study.title),
    };
    let mut citations = Citations::new(&catalogue.sources);
    let periods = study
        .horizon
        .periods
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    page.push(&format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title><style>{STYLE}</style></head><body><header><h1>{title}</h1><p>{country} · base year {base} · periods {periods} · {n} scenarios · atomplan {version}</p></header>",
        title = escape(&study.title),
        country = escape(&country_name),
        base = study.horizon.base_year,
        n = results.plans.len(),
        version = env!("CARGO_PKG_VERSION"),
    ));

    // Failed stages first: a failure is never shown as a result.
    for (failed, message) in results
        .plans
        .iter()
        .zip(&results.plan_failures)
        .filter_map(|(p, f)| f.as_ref().map(|m| (p, m)))
    {
        page.push(&format!(
            "<section class=\"failed\"><p><b>Scenario {} failed.</b> {}. This report leaves it out; the assessments use scenario {}.</p></section>",
            escape(&failed.scenario),
            escape(message),
            escape(&results.plans[results.main_plan].scenario)
        ));
    }
    answer::write_answer(&mut page, study, results);
    assumptions::write_assumptions(&mut page, &mut citations, study, catalogue, results)?;
    crate::decision_view::write_decision_section(&mut page, study, results, &mut citations)?;
    sections::write_costs(&mut page, study, catalogue, results, &mut citations)?;
    sections::write_plans(&mut page, results)?;
    sections::write_dispatch(&mut page, results)?;
    sections::write_grid_and_adequacy(&mut page, results)?;
    sections::write_emissions_and_security(&mut page, study, catalogue, results, &mut citations)?;
    sections::write_mcda(&mut page, results)?;
    sections::write_readiness(&mut page, results);
    sections::write_sources_and_notes(&mut page, &mut citations, study, catalogue, results, system);
    page.push("<p class=\"note\">Results: results.sqlite (every table, the inputs, provenance and the stage log), csv/ and parquet/ (the same tables), charts/ (every chart as SVG and PNG).</p></body></html>\n");

    let path = out_dir.join("report.html");
    std::fs::write(&path, &page.html).map_err(|e| ReportError::io(&path, &e))?;
    Ok(Written {
        path,
        charts: page.charts,
    })
}

pub mod sections;

/// Series of a stacked bar chart from (technology, value) lists, one list per category.
pub fn stacked_series(columns: &[Vec<(String, f64)>]) -> Vec<BarSeries> {
    let mut technologies: Vec<String> = Vec::new();
    for column in columns {
        for (technology, _) in column {
            if !technologies.contains(technology) {
                technologies.push(technology.clone());
            }
        }
    }
    technologies
        .iter()
        .map(|technology| BarSeries {
            name: technology.clone(),
            values: columns
                .iter()
                .map(|column| {
                    column
                        .iter()
                        .filter(|(t, _)| t == technology)
                        .map(|(_, v)| *v)
                        .sum()
                })
                .collect(),
            whiskers: None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
