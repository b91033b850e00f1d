//! Statistics over a finished sweep: distributions of every metric, how often each discrete
//! outcome (e.g. the chosen design) occurs, and the regret of each option, plus SVG charts
//! that the report embeds as they are.
//!
//! Options and regret: a metric named `<family>.<option>` (e.g. `lcoe_usd_per_mwh.bwrx-300`) is
//! one option of a family. For families whose name contains `cost` or `lcoe` (lower is better),
//! the regret of an option in a scenario is its value minus the best option's value in that same
//! scenario; an option with a small maximum regret is robust (minimax regret, Savage 1951).
//! Only scenarios with status `ok` enter the statistics.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::store::ResultRow;
use super::Status;

/// Distribution of one metric over the ok scenarios.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricStats {
    pub name: String,
    pub n: u64,
    pub mean: f64,
    /// Sample standard deviation (0 for one value).
    pub sd: f64,
    pub min: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub max: f64,
}

/// How often a label took a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceStats {
    pub label: String,
    pub value: String,
    pub count: u64,
    /// `count` over the ok scenarios that have this label.
    pub share: f64,
}

/// Regret of one option of a cost family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegretStats {
    pub family: String,
    pub option: String,
    /// Scenarios in which this option and at least one other have a value.
    pub n: u64,
    pub mean_value: f64,
    pub mean_regret: f64,
    pub p95_regret: f64,
    pub max_regret: f64,
    /// Share of those scenarios in which this option is the best (ties count for each).
    pub share_best: f64,
}

/// Equal-width histogram of one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub name: String,
    /// `counts.len() + 1` bin edges.
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
}

/// Statistics over a whole sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub n_scenarios: u64,
    pub n_ok: u64,
    pub n_infeasible: u64,
    pub n_failed: u64,
    /// Scenarios whose study fails `study check` after the overrides.
    #[serde(default)]
    pub n_invalid: u64,
    pub metrics: Vec<MetricStats>,
    pub choices: Vec<ChoiceStats>,
    pub regret: Vec<RegretStats>,
    /// Per cost family: the option with the smallest maximum regret.
    pub robust_choice: BTreeMap<String, String>,
    pub histograms: Vec<Histogram>,
}

/// Percentile by linear interpolation between order statistics (numpy's default).
/// `sorted` must be ascending and non-empty.
fn percentile(sorted: &[f64], share: f64) -> f64 {
    let position = share * (sorted.len() - 1) as f64;
    let lower = position.floor() as usize;
    let upper = position.ceil() as usize;
    let weight = position - lower as f64;
    sorted[lower] + (sorted[upper] - sorted[lower]) * weight
}

fn metric_stats(name: &str, values: &mut [f64]) -> MetricStats {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    MetricStats {
        name: name.to_owned(),
        n: n as u64,
        mean,
        sd,
        min: values[0],
        p5: percentile(values, 0.05),
        p25: percentile(values, 0.25),
        p50: percentile(values, 0.50),
        p75: percentile(values, 0.75),
        p95: percentile(values, 0.95),
        max: values[n - 1],
    }
}

fn histogram(name: &str, sorted: &[f64], n_bins: usize) -> Histogram {
    let (low, high) = (sorted[0], sorted[sorted.len() - 1]);
    let width = if high > low {
        (high - low) / n_bins as f64
    } else {
        1.0
    };
    let edges: Vec<f64> = (0..=n_bins).map(|bin| low + width * bin as f64).collect();
    let mut counts = vec![0_u64; n_bins];
    for value in sorted {
        let bin = (((value - low) / width) as usize).min(n_bins - 1);
        counts[bin] += 1;
    }
    Histogram {
        name: name.to_owned(),
        edges,
        counts,
    }
}

/// Per option of a family: its values, its regrets, and how often it was best.
type OptionTally = (Vec<f64>, Vec<f64>, u64);

fn is_cost_family(family: &str) -> bool {
    family.contains("cost") || family.contains("lcoe")
}

/// Statistics over the rows of a merged sweep (any order).
pub fn summarize(rows: &[ResultRow]) -> Summary {
    let ok_rows: Vec<&ResultRow> = rows
        .iter()
        .filter(|row| row.result.status == Status::Ok)
        .collect();
    let count = |status: Status| {
        rows.iter()
            .filter(|row| row.result.status == status)
            .count() as u64
    };
    let mut values: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for row in &ok_rows {
        for (name, value) in &row.result.metrics {
            values.entry(name.as_str()).or_default().push(*value);
        }
    }
    let mut metrics = Vec::new();
    let mut histograms = Vec::new();
    for (name, mut list) in values {
        let stats = metric_stats(name, &mut list);
        if !name.contains('.') {
            histograms.push(histogram(name, &list, 20));
        }
        metrics.push(stats);
    }

    let mut label_counts: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    let mut label_totals: BTreeMap<&str, u64> = BTreeMap::new();
    for row in &ok_rows {
        for (label, value) in &row.result.labels {
            *label_counts
                .entry((label.as_str(), value.as_str()))
                .or_default() += 1;
            *label_totals.entry(label.as_str()).or_default() += 1;
        }
    }
    let choices = label_counts
        .into_iter()
        .map(|((label, value), count)| ChoiceStats {
            label: label.to_owned(),
            value: value.to_owned(),
            count,
            share: count as f64 / label_totals[label] as f64,
        })
        .collect();

    // family -> option -> (values, regrets, times best)
    let mut per_option: BTreeMap<String, BTreeMap<String, OptionTally>> = BTreeMap::new();
    for row in &ok_rows {
        let mut families: BTreeMap<&str, Vec<(&str, f64)>> = BTreeMap::new();
        for (name, value) in &row.result.metrics {
            if let Some((family, option)) = name.split_once('.') {
                if is_cost_family(family) {
                    families.entry(family).or_default().push((option, *value));
                }
            }
        }
        for (family, options) in families {
            if options.len() < 2 {
                continue;
            }
            let best = options
                .iter()
                .map(|(_, v)| *v)
                .fold(f64::INFINITY, f64::min);
            for (option, value) in options {
                let entry = per_option
                    .entry(family.to_owned())
                    .or_default()
                    .entry(option.to_owned())
                    .or_default();
                entry.0.push(value);
                entry.1.push(value - best);
                if value <= best {
                    entry.2 += 1;
                }
            }
        }
    }
    let mut regret = Vec::new();
    let mut robust_choice = BTreeMap::new();
    for (family, options) in per_option {
        let mut best: Option<(f64, String)> = None;
        for (option, (values, mut regrets, n_best)) in options {
            regrets.sort_by(f64::total_cmp);
            let n = values.len();
            let max_regret = regrets[n - 1];
            if best.as_ref().is_none_or(|(b, _)| max_regret < *b) {
                best = Some((max_regret, option.clone()));
            }
            regret.push(RegretStats {
                family: family.clone(),
                option,
                n: n as u64,
                mean_value: values.iter().sum::<f64>() / n as f64,
                mean_regret: regrets.iter().sum::<f64>() / n as f64,
                p95_regret: percentile(&regrets, 0.95),
                max_regret,
                share_best: n_best as f64 / n as f64,
            });
        }
        if let Some((_, option)) = best {
            robust_choice.insert(family, option);
        }
    }
    Summary {
        n_scenarios: rows.len() as u64,
        n_ok: ok_rows.len() as u64,
        n_infeasible: count(Status::Infeasible),
        n_failed: count(Status::Failed),
        n_invalid: count(Status::Invalid),
        metrics,
        choices,
        regret,
        robust_choice,
        histograms,
    }
}

impl Summary {
    /// Long-form CSV: `section,name,option,statistic,value`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("section,name,option,statistic,value\n");
        let mut line = |section: &str, name: &str, option: &str, statistic: &str, value: String| {
            let quote = |text: &str| {
                if text.contains([',', '"', '\n']) {
                    format!("\"{}\"", text.replace('"', "\"\""))
                } else {
                    text.to_owned()
                }
            };
            let _ = writeln!(
                out,
                "{},{},{},{},{}",
                section,
                quote(name),
                quote(option),
                statistic,
                value
            );
        };
        line("count", "scenarios", "", "n", self.n_scenarios.to_string());
        line("count", "ok", "", "n", self.n_ok.to_string());
        line(
            "count",
            "infeasible",
            "",
            "n",
            self.n_infeasible.to_string(),
        );
        line("count", "failed", "", "n", self.n_failed.to_string());
        line("count", "invalid", "", "n", self.n_invalid.to_string());
        for m in &self.metrics {
            let (name, option) = m.name.split_once('.').unwrap_or((&m.name, ""));
            for (statistic, value) in [
                ("n", m.n as f64),
                ("mean", m.mean),
                ("sd", m.sd),
                ("min", m.min),
                ("p5", m.p5),
                ("p25", m.p25),
                ("p50", m.p50),
                ("p75", m.p75),
                ("p95", m.p95),
                ("max", m.max),
            ] {
                line("metric", name, option, statistic, value.to_string());
            }
        }
        for c in &self.choices {
            line("choice", &c.label, &c.value, "count", c.count.to_string());
            line("choice", &c.label, &c.value, "share", c.share.to_string());
        }
        for r in &self.regret {
            for (statistic, value) in [
                ("n", r.n as f64),
                ("mean_value", r.mean_value),
                ("mean_regret", r.mean_regret),
                ("p95_regret", r.p95_regret),
                ("max_regret", r.max_regret),
                ("share_best", r.share_best),
            ] {
                line("regret", &r.family, &r.option, statistic, value.to_string());
            }
        }
        for (family, option) in &self.robust_choice {
            line("robust", family, option, "minimax_regret", "1".to_owned());
        }
        out
    }
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number for a chart label: 3–4 significant figures, thousands as `k`, millions as `M`.
fn short(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 1e9 {
        format!("{:.3}G", value / 1e9)
    } else if magnitude >= 1e6 {
        format!("{:.3}M", value / 1e6)
    } else if magnitude >= 1e4 {
        format!("{:.1}k", value / 1e3)
    } else if magnitude >= 100.0 {
        format!("{value:.0}")
    } else if magnitude >= 1.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

const WIDTH: f64 = 640.0;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 30.0;
const ROW: f64 = 28.0;
const TOP: f64 = 40.0;

fn frame(title: &str, n_rows: usize) -> (String, f64) {
    let height = TOP + ROW * n_rows as f64 + 40.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-family=\"sans-serif\" font-size=\"12\">\
<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\
<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        xml(title)
    );
    (svg, height)
}

fn axis(svg: &mut String, low: f64, high: f64, y: f64) {
    let scale = |v: f64| LEFT + (v - low) / (high - low) * (WIDTH - LEFT - RIGHT);
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#444\"/>",
        WIDTH - RIGHT
    );
    for tick in 0..=4 {
        let value = low + (high - low) * f64::from(tick) / 4.0;
        let x = scale(value);
        let _ = write!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{y}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#444\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            y + 4.0,
            y + 17.0,
            short(value)
        );
    }
}

fn range(low: f64, high: f64) -> (f64, f64) {
    if high > low {
        let pad = (high - low) * 0.05;
        (low - pad, high + pad)
    } else {
        (low - 0.5 - low.abs() * 0.05, high + 0.5 + high.abs() * 0.05)
    }
}

/// Box plots (whiskers p5–p95, box p25–p75, line at the median) of the options of a family.
fn boxplot(family: &str, stats: &[&MetricStats]) -> String {
    let (mut svg, height) = frame(
        &format!("{family}: distribution over the sweep (p5, p25, median, p75, p95)"),
        stats.len(),
    );
    let (low, high) = range(
        stats.iter().map(|s| s.p5).fold(f64::INFINITY, f64::min),
        stats
            .iter()
            .map(|s| s.p95)
            .fold(f64::NEG_INFINITY, f64::max),
    );
    let scale = |v: f64| LEFT + (v - low) / (high - low) * (WIDTH - LEFT - RIGHT);
    for (position, s) in stats.iter().enumerate() {
        let y = TOP + ROW * position as f64 + ROW / 2.0;
        let option = s.name.split_once('.').map_or(s.name.as_str(), |(_, o)| o);
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#333\"/>\
<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#8fb8de\" stroke=\"#333\"/>\
<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#000\" stroke-width=\"2\"/>",
            LEFT - 8.0,
            y + 4.0,
            xml(option),
            scale(s.p5),
            scale(s.p95),
            scale(s.p25),
            y - 9.0,
            (scale(s.p75) - scale(s.p25)).max(1.0),
            18.0,
            scale(s.p50),
            y - 9.0,
            scale(s.p50),
            y + 9.0,
        );
    }
    axis(&mut svg, low, high, height - 36.0);
    svg.push_str("</svg>\n");
    svg
}

/// Horizontal bars with a value label; `max` sets the scale.
fn bars(title: &str, items: &[(String, f64, String)], max: f64) -> String {
    let (mut svg, height) = frame(title, items.len());
    let max = if max > 0.0 { max } else { 1.0 };
    let scale = |v: f64| (v / max).clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT - 170.0);
    for (position, (name, value, text)) in items.iter().enumerate() {
        let y = TOP + ROW * position as f64 + ROW / 2.0;
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
<rect x=\"{LEFT}\" y=\"{:.1}\" width=\"{:.1}\" height=\"18\" fill=\"#8fb8de\" stroke=\"#333\"/>\
<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            LEFT - 8.0,
            y + 4.0,
            xml(name),
            y - 9.0,
            scale(*value).max(0.5),
            LEFT + scale(*value) + 6.0,
            y + 4.0,
            xml(text),
        );
    }
    let _ = height;
    svg.push_str("</svg>\n");
    svg
}

fn histogram_svg(h: &Histogram) -> String {
    let n_bins = h.counts.len();
    let (mut svg, _) = frame(&format!("{}: histogram over the sweep", h.name), 8);
    let plot_height = ROW * 8.0 - 10.0;
    let base = TOP + plot_height;
    let max = h.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let bin_width = (WIDTH - LEFT - RIGHT) / n_bins as f64;
    for (bin, count) in h.counts.iter().enumerate() {
        let bar = *count as f64 / max * plot_height;
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar:.1}\" fill=\"#8fb8de\" stroke=\"#333\"/>",
            LEFT + bin_width * bin as f64,
            base - bar,
            bin_width,
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">scenarios (max {})</text>",
        LEFT - 8.0,
        TOP + 12.0,
        max as u64
    );
    axis(&mut svg, h.edges[0], h.edges[n_bins], base + 4.0);
    svg.push_str("</svg>\n");
    svg
}

fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// SVG charts of a summary as (file name, SVG text): box plots per option family, choice
/// shares per label, regret per cost family, histograms of scalar metrics.
pub fn charts(summary: &Summary) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut families: BTreeMap<&str, Vec<&MetricStats>> = BTreeMap::new();
    for m in &summary.metrics {
        if let Some((family, _)) = m.name.split_once('.') {
            families.entry(family).or_default().push(m);
        }
    }
    for (family, stats) in &families {
        out.push((
            format!("{}-boxplot.svg", file_stem(family)),
            boxplot(family, stats),
        ));
    }
    let mut labels: BTreeMap<&str, Vec<(String, f64, String)>> = BTreeMap::new();
    for c in &summary.choices {
        labels.entry(c.label.as_str()).or_default().push((
            c.value.clone(),
            c.share,
            format!("{:.1} % ({})", c.share * 100.0, c.count),
        ));
    }
    for (label, items) in labels {
        out.push((
            format!("{}-choices.svg", file_stem(label)),
            bars(&format!("{label}: share of scenarios"), &items, 1.0),
        ));
    }
    let mut regret_families: BTreeMap<&str, Vec<(String, f64, String)>> = BTreeMap::new();
    for r in &summary.regret {
        regret_families.entry(r.family.as_str()).or_default().push((
            r.option.clone(),
            r.max_regret,
            format!(
                "max {} / mean {}",
                short(r.max_regret),
                short(r.mean_regret)
            ),
        ));
    }
    for (family, items) in regret_families {
        let max = items.iter().map(|i| i.1).fold(0.0, f64::max);
        out.push((
            format!("{}-regret.svg", file_stem(family)),
            bars(
                &format!("{family}: maximum regret (lower is more robust)"),
                &items,
                max,
            ),
        ));
    }
    for h in &summary.histograms {
        out.push((
            format!("{}-histogram.svg", file_stem(&h.name)),
            histogram_svg(h),
        ));
    }
    out
}
