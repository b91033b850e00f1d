//! Charts as standalone SVG text, drawn here so the report needs no script and no network.
//!
//! Three shapes cover the report: grouped or stacked bars (optionally with whiskers),
//! stacked areas with a line (dispatch), and lines with markers (emissions against target).
//! Every chart carries a `<title>` and axis labels; non-finite values are drawn as 0.

use std::fmt::Write;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 360.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 170.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 60.0;

/// Colours by technology; others cycle through the palette.
pub fn colour(name: &str, index: usize) -> &'static str {
    match name {
        "nuclear" => "#7b3294",
        "coal" => "#4d4d4d",
        "gas" => "#f4a582",
        "oil" => "#8c510a",
        "hydro" => "#2166ac",
        "wind" => "#67a9cf",
        "solar" => "#fdb863",
        "imports" => "#b2abd2",
        "unserved" => "#d7191c",
        "other" => "#a6dba0",
        _ => [
            "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
        ][index % 8],
    }
}

fn clean(value: f64) -> f64 {
    if value.is_finite() {
        value
    } else {
        0.0
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A "nice" upper bound and tick step for an axis from 0 (or `min`) to `max`.
fn nice_ticks(min: f64, max: f64) -> (f64, f64, f64) {
    let span = (max - min).max(1e-9);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let low = (min / step).floor() * step;
    let high = (max / step).ceil() * step;
    (low, high.max(low + step), step)
}

fn format_tick(value: f64) -> String {
    if value.abs() >= 10.0 || value == 0.0 {
        format!("{:.0}", value)
    } else {
        format!("{:.2}", value)
    }
}

fn open(svg: &mut String, title: &str, y_label: &str) {
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" font-family="sans-serif" font-size="11"><title>{t}</title><rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="white"/><text x="{LEFT}" y="22" font-size="14" font-weight="bold">{t}</text><text transform="translate(16,{cy}) rotate(-90)" text-anchor="middle">{y}</text>"#,
        t = escape(title),
        y = escape(y_label),
        cy = TOP + (HEIGHT - TOP - BOTTOM) / 2.0,
    );
}

fn y_axis(svg: &mut String, low: f64, high: f64, step: f64) -> impl Fn(f64) -> f64 {
    let plot_h = HEIGHT - TOP - BOTTOM;
    let scale = move |v: f64| TOP + plot_h - (clean(v) - low) / (high - low) * plot_h;
    let mut tick = low;
    let mut guard = 0;
    while tick <= high + step * 1e-6 && guard < 50 {
        let y = scale(tick);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{x2}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{label}</text>"##,
            x2 = WIDTH - RIGHT,
            tx = LEFT - 6.0,
            ty = y + 4.0,
            label = format_tick(tick),
        );
        tick += step;
        guard += 1;
    }
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{b}" stroke="#333"/><line x1="{LEFT}" x2="{r}" y1="{b}" y2="{b}" stroke="#333"/>"##,
        b = HEIGHT - BOTTOM,
        r = WIDTH - RIGHT
    );
    scale
}

fn legend(svg: &mut String, names: &[(String, &'static str)]) {
    for (index, (name, fill)) in names.iter().enumerate() {
        let y = TOP + 16.0 * index as f64;
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="{y}" width="12" height="12" fill="{fill}"/><text x="{tx}" y="{ty}">{n}</text>"#,
            x = WIDTH - RIGHT + 12.0,
            tx = WIDTH - RIGHT + 30.0,
            ty = y + 10.0,
            n = escape(name),
        );
    }
}

/// Splits a category label into at most three lines of about `max_chars`, breaking after spaces
/// or hyphens; the last line is cut with an ellipsis if the label is still longer.
pub fn wrap_label(label: &str, max_chars: usize) -> Vec<String> {
    let max_chars = max_chars.max(4);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut word = String::new();
    let flush_word = |word: &mut String, current: &mut String, lines: &mut Vec<String>| {
        if !current.is_empty() && current.chars().count() + word.chars().count() > max_chars {
            lines.push(current.trim_end().to_owned());
            current.clear();
        }
        current.push_str(word);
        word.clear();
    };
    for ch in label.chars() {
        word.push(ch);
        if ch == ' ' || ch == '-' {
            flush_word(&mut word, &mut current, &mut lines);
        }
    }
    flush_word(&mut word, &mut current, &mut lines);
    if !current.is_empty() {
        lines.push(current.trim_end().to_owned());
    }
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2].push('…');
    }
    for line in &mut lines {
        if line.chars().count() > max_chars + 2 {
            *line = line.chars().take(max_chars).collect::<String>() + "…";
        }
    }
    lines
}

/// A category label under the x axis, centred on `x`, wrapped to the slot's width.
fn category_label(svg: &mut String, x: f64, slot: f64, label: &str) {
    // About 6.2 px per character at font-size 11.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let max_chars = (slot / 6.2).floor() as usize;
    let _ = write!(
        svg,
        r#"<text x="{x:.1}" y="{y}" text-anchor="middle">"#,
        y = HEIGHT - BOTTOM + 16.0
    );
    for (idx, line) in wrap_label(label, max_chars).iter().enumerate() {
        let _ = write!(
            svg,
            r#"<tspan x="{x:.1}" dy="{dy}">{t}</tspan>"#,
            dy = if idx == 0 { 0.0 } else { 12.0 },
            t = escape(line)
        );
    }
    svg.push_str("</text>");
}

/// One bar series.
pub struct BarSeries {
    pub name: String,
    pub values: Vec<f64>,
    /// Optional (low, high) whisker per category.
    pub whiskers: Option<Vec<(f64, f64)>>,
}

/// Grouped (or stacked) vertical bars over `categories`.
pub fn bars(
    title: &str,
    y_label: &str,
    categories: &[String],
    series: &[BarSeries],
    stacked: bool,
) -> String {
    let mut svg = String::new();
    open(&mut svg, title, y_label);
    let n = categories.len().max(1);
    let mut max: f64 = 0.0;
    let mut min: f64 = 0.0;
    for c in 0..n {
        if stacked {
            let total: f64 = series
                .iter()
                .map(|s| clean(s.values.get(c).copied().unwrap_or(0.0)).max(0.0))
                .sum();
            max = max.max(total);
        } else {
            for s in series {
                let v = clean(s.values.get(c).copied().unwrap_or(0.0));
                max = max.max(v);
                min = min.min(v);
                if let Some(w) = &s.whiskers {
                    if let Some((lo, hi)) = w.get(c) {
                        max = max.max(clean(*hi));
                        min = min.min(clean(*lo));
                    }
                }
            }
        }
    }
    let (low, high, step) = nice_ticks(min, max.max(1e-6));
    let scale = y_axis(&mut svg, low, high, step);
    let plot_w = WIDTH - LEFT - RIGHT;
    let slot = plot_w / n as f64;
    let groups = if stacked { 1 } else { series.len().max(1) };
    let bar_w = (slot * 0.7) / groups as f64;
    for c in 0..n {
        let x0 = LEFT + slot * c as f64 + slot * 0.15;
        let mut base = 0.0;
        for (k, s) in series.iter().enumerate() {
            let v = clean(s.values.get(c).copied().unwrap_or(0.0));
            let fill = colour(&s.name, k);
            let (x, y_top, y_bottom) = if stacked {
                let v = v.max(0.0);
                let r = (x0, scale(base + v), scale(base));
                base += v;
                r
            } else {
                let x = x0 + bar_w * k as f64;
                (x, scale(v.max(0.0)), scale(v.min(0.0)))
            };
            let w = if stacked { slot * 0.7 } else { bar_w };
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"><title>{name} {cat}: {v:.2}</title></rect>"#,
                y = y_top,
                h = (y_bottom - y_top).max(0.0),
                name = escape(&s.name),
                cat = escape(categories.get(c).map_or("", String::as_str)),
            );
            if let (false, Some(whiskers)) = (stacked, &s.whiskers) {
                if let Some((lo, hi)) = whiskers.get(c) {
                    let cx = x + w / 2.0;
                    let _ = write!(
                        svg,
                        r##"<line x1="{cx:.1}" x2="{cx:.1}" y1="{a:.1}" y2="{b:.1}" stroke="#000" stroke-width="1.5"/><line x1="{l:.1}" x2="{r:.1}" y1="{a:.1}" y2="{a:.1}" stroke="#000"/><line x1="{l:.1}" x2="{r:.1}" y1="{b:.1}" y2="{b:.1}" stroke="#000"/>"##,
                        a = scale(*hi),
                        b = scale(*lo),
                        l = cx - 4.0,
                        r = cx + 4.0,
                    );
                }
            }
        }
        let label = categories.get(c).map_or("", String::as_str);
        category_label(&mut svg, LEFT + slot * (c as f64 + 0.5), slot, label);
    }
    let names: Vec<(String, &'static str)> = series
        .iter()
        .enumerate()
        .map(|(k, s)| (s.name.clone(), colour(&s.name, k)))
        .collect();
    legend(&mut svg, &names);
    svg.push_str("</svg>\n");
    svg
}

/// Stacked areas (by technology) with the load as a line, over hours.
pub fn stacked_area(
    title: &str,
    y_label: &str,
    series: &[(String, Vec<f64>)],
    line: Option<(&str, &[f64])>,
) -> String {
    let mut svg = String::new();
    open(&mut svg, title, y_label);
    let n = series
        .iter()
        .map(|(_, v)| v.len())
        .max()
        .unwrap_or(0)
        .max(line.map_or(0, |l| l.1.len()))
        .max(2);
    let mut top = vec![0.0; n];
    for (_, values) in series {
        for (t, v) in values.iter().enumerate() {
            top[t] += clean(*v).max(0.0);
        }
    }
    let mut max = top.iter().copied().fold(0.0, f64::max);
    if let Some((_, values)) = line {
        max = max.max(values.iter().copied().map(clean).fold(0.0, f64::max));
    }
    let (low, high, step) = nice_ticks(0.0, max.max(1e-6));
    let scale = y_axis(&mut svg, low, high, step);
    let plot_w = WIDTH - LEFT - RIGHT;
    let x_of = |t: usize| LEFT + plot_w * t as f64 / (n - 1) as f64;
    let mut base = vec![0.0; n];
    let mut names = Vec::new();
    for (k, (name, values)) in series.iter().enumerate() {
        let fill = colour(name, k);
        let mut points = String::new();
        for (t, below) in base.iter().enumerate() {
            let v = clean(values.get(t).copied().unwrap_or(0.0)).max(0.0);
            let _ = write!(points, "{:.1},{:.1} ", x_of(t), scale(below + v));
        }
        for (t, below) in base.iter().enumerate().rev() {
            let _ = write!(points, "{:.1},{:.1} ", x_of(t), scale(*below));
        }
        for (t, below) in base.iter_mut().enumerate() {
            *below += clean(values.get(t).copied().unwrap_or(0.0)).max(0.0);
        }
        let _ = write!(
            svg,
            r#"<polygon points="{points}" fill="{fill}" fill-opacity="0.9"><title>{}</title></polygon>"#,
            escape(name)
        );
        names.push((name.clone(), fill));
    }
    if let Some((name, values)) = line {
        let mut points = String::new();
        for (t, v) in values.iter().enumerate() {
            let _ = write!(points, "{:.1},{:.1} ", x_of(t), scale(*v));
        }
        let _ = write!(
            svg,
            r##"<polyline points="{points}" fill="none" stroke="#000" stroke-width="1.5"><title>{}</title></polyline>"##,
            escape(name)
        );
    }
    for day in 0..=(n / 24) {
        let x = x_of((day * 24).min(n - 1));
        let _ = write!(
            svg,
            r#"<text x="{x:.1}" y="{y}" text-anchor="middle">d{day}</text>"#,
            y = HEIGHT - BOTTOM + 16.0
        );
    }
    legend(&mut svg, &names);
    svg.push_str("</svg>\n");
    svg
}

/// Lines with markers over numeric x values (years).
pub fn lines(
    title: &str,
    y_label: &str,
    x: &[f64],
    series: &[(String, Vec<Option<f64>>)],
) -> String {
    let mut svg = String::new();
    open(&mut svg, title, y_label);
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().flatten().copied())
        .map(clean)
        .fold(0.0, f64::max);
    let (low, high, step) = nice_ticks(0.0, max.max(1e-6));
    let scale = y_axis(&mut svg, low, high, step);
    let plot_w = WIDTH - LEFT - RIGHT;
    let (x_min, x_max) = (
        x.iter().copied().fold(f64::MAX, f64::min),
        x.iter().copied().fold(f64::MIN, f64::max),
    );
    let span = (x_max - x_min).max(1.0);
    let x_of = |v: f64| LEFT + 20.0 + (plot_w - 40.0) * (v - x_min) / span;
    for value in x {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            x_of(*value),
            HEIGHT - BOTTOM + 16.0,
            value
        );
    }
    let mut names = Vec::new();
    for (k, (name, values)) in series.iter().enumerate() {
        let stroke = colour(name, k + 2);
        let mut points = String::new();
        for (i, v) in values.iter().enumerate() {
            if let (Some(v), Some(xv)) = (v, x.get(i)) {
                let _ = write!(points, "{:.1},{:.1} ", x_of(*xv), scale(*v));
                let _ = write!(
                    svg,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{stroke}"><title>{} {}: {:.2}</title></circle>"#,
                    x_of(*xv),
                    scale(*v),
                    escape(name),
                    xv,
                    v
                );
            }
        }
        let _ = write!(
            svg,
            r#"<polyline points="{points}" fill="none" stroke="{stroke}" stroke-width="2"/>"#
        );
        names.push((name.clone(), stroke));
    }
    legend(&mut svg, &names);
    svg.push_str("</svg>\n");
    svg
}

/// Adds a small line of text at the bottom left of a chart (the study and the chart's name),
/// so a chart copied into a slide still says where it comes from.
pub fn with_footer(svg: &str, footer: &str) -> String {
    let Some(end) = svg.rfind("</svg>") else {
        return svg.to_owned();
    };
    format!(
        r##"{}<text x="6" y="{y}" font-size="9" fill="#777">{}</text>{}"##,
        &svg[..end],
        escape(footer),
        &svg[end..],
        y = HEIGHT - 6.0
    )
}

/// Horizontal bars diverging from a base value (a tornado): one row per input, the low case to
/// one side and the high case to the other, sorted as given (widest first, by the caller).
pub fn tornado(title: &str, x_label: &str, base: f64, rows: &[(String, f64, f64)]) -> String {
    let mut svg = String::new();
    open(&mut svg, title, "");
    let label_w = 150.0;
    let left = LEFT + label_w - 40.0;
    let right = WIDTH - 40.0;
    let mut min = base;
    let mut max = base;
    for (_, low, high) in rows {
        for v in [*low, *high] {
            if v.is_finite() {
                min = min.min(v);
                max = max.max(v);
            }
        }
    }
    let (low_axis, high_axis, step) = nice_ticks(min, max.max(min + 1e-9));
    let x_of = |v: f64| left + (clean(v) - low_axis) / (high_axis - low_axis) * (right - left);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = rows.len().max(1);
    #[allow(clippy::cast_precision_loss)]
    let row_h = plot_h / n as f64;
    let mut tick = low_axis;
    let mut guard = 0;
    while tick <= high_axis + step * 1e-6 && guard < 50 {
        let x = x_of(tick);
        let _ = write!(
            svg,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{b}" stroke="#ddd"/><text x="{x:.1}" y="{ty}" text-anchor="middle">{t}</text>"##,
            b = HEIGHT - BOTTOM,
            ty = HEIGHT - BOTTOM + 16.0,
            t = format_tick(tick)
        );
        tick += step;
        guard += 1;
    }
    for (idx, (label, low, high)) in rows.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = TOP + row_h * idx as f64 + row_h * 0.15;
        let h = row_h * 0.7;
        for (value, fill, name) in [(*low, "#67a9cf", "low"), (*high, "#ef8a62", "high")] {
            if !value.is_finite() {
                continue;
            }
            let (x0, x1) = (x_of(base.min(value)), x_of(base.max(value)));
            let _ = write!(
                svg,
                r#"<rect x="{x0:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"><title>{l} {name}: {value:.3}</title></rect>"#,
                w = (x1 - x0).max(0.5),
                l = escape(label)
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{ty:.1}" text-anchor="end">{l}</text>"#,
            x = left - 6.0,
            ty = y + h / 2.0 + 4.0,
            l = escape(label)
        );
    }
    let xb = x_of(base);
    let _ = write!(
        svg,
        r##"<line x1="{xb:.1}" x2="{xb:.1}" y1="{TOP}" y2="{b}" stroke="#000" stroke-width="1.5"/><text x="{xm:.1}" y="{ly}" text-anchor="middle">{xl}</text>"##,
        b = HEIGHT - BOTTOM,
        xm = (left + right) / 2.0,
        ly = HEIGHT - BOTTOM + 32.0,
        xl = escape(x_label)
    );
    legend_at(
        &mut svg,
        right - 110.0,
        &[
            ("low case".to_owned(), "#67a9cf"),
            ("high case".to_owned(), "#ef8a62"),
        ],
    );
    svg.push_str("</svg>\n");
    svg
}

fn legend_at(svg: &mut String, x: f64, names: &[(String, &'static str)]) {
    for (index, (name, fill)) in names.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = 26.0 + 14.0 * index as f64;
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y}" width="10" height="10" fill="{fill}"/><text x="{tx:.1}" y="{ty}">{n}</text>"#,
            tx = x + 14.0,
            ty = y + 9.0,
            n = escape(name),
        );
    }
}

/// Vertical bars with a dashed reference line (e.g. the study's assumed value against each
/// candidate's break-even). A missing value (`None`) is drawn as "none" under its category.
pub fn bars_with_reference(
    title: &str,
    y_label: &str,
    categories: &[String],
    values: &[Option<f64>],
    reference: Option<(&str, f64)>,
) -> String {
    let mut svg = String::new();
    open(&mut svg, title, y_label);
    let mut max: f64 = values.iter().flatten().copied().map(clean).fold(0.0, f64::max);
    if let Some((_, r)) = reference {
        max = max.max(clean(r));
    }
    let (low, high, step) = nice_ticks(0.0, max.max(1e-6));
    let scale = y_axis(&mut svg, low, high, step);
    let n = categories.len().max(1);
    let plot_w = WIDTH - LEFT - RIGHT;
    #[allow(clippy::cast_precision_loss)]
    let slot = plot_w / n as f64;
    for (c, category) in categories.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let x = LEFT + slot * c as f64 + slot * 0.2;
        match values.get(c).copied().flatten() {
            Some(v) => {
                let _ = write!(
                    svg,
                    r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="#7b3294"><title>{cat}: {v:.2}</title></rect>"##,
                    y = scale(v.max(0.0)),
                    w = slot * 0.6,
                    h = (scale(0.0) - scale(v.max(0.0))).max(0.0),
                    cat = escape(category),
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r##"<text x="{cx:.1}" y="{y:.1}" text-anchor="middle" fill="#777">none in range</text>"##,
                    cx = x + slot * 0.3,
                    y = scale(0.0) - 6.0,
                );
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let cx = LEFT + slot * (c as f64 + 0.5);
        category_label(&mut svg, cx, slot, category);
    }
    let mut names = vec![("break-even".to_owned(), "#7b3294")];
    if let Some((label, r)) = reference {
        let y = scale(r);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{x2}" y1="{y:.1}" y2="{y:.1}" stroke="#d7191c" stroke-width="2" stroke-dasharray="6 4"><title>{l}: {r:.2}</title></line>"##,
            x2 = WIDTH - RIGHT,
            l = escape(label)
        );
        names.push((label.to_owned(), "#d7191c"));
    }
    legend(&mut svg, &names);
    svg.push_str("</svg>\n");
    svg
}

/// Curves without markers over numeric x (e.g. a price-duration curve over the share of hours).
pub fn curves(
    title: &str,
    x_label: &str,
    y_label: &str,
    x: &[f64],
    series: &[(String, Vec<f64>)],
) -> String {
    let mut svg = String::new();
    open(&mut svg, title, y_label);
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .map(clean)
        .fold(0.0, f64::max);
    let min = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .map(clean)
        .fold(0.0, f64::min);
    let (low, high, step) = nice_ticks(min, max.max(min + 1e-6));
    let scale = y_axis(&mut svg, low, high, step);
    let plot_w = WIDTH - LEFT - RIGHT;
    let x_min = x.iter().copied().fold(f64::INFINITY, f64::min);
    let x_max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = (x_max - x_min).max(1e-9);
    let x_of = |v: f64| LEFT + plot_w * (v - x_min) / span;
    if x_min.is_finite() && x_max.is_finite() {
        let (_, _, x_step) = nice_ticks(x_min, x_max);
        let mut tick = (x_min / x_step).ceil() * x_step;
        let mut guard = 0;
        while tick <= x_max + x_step * 1e-6 && guard < 50 {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                x_of(tick),
                HEIGHT - BOTTOM + 16.0,
                format_tick(tick)
            );
            tick += x_step;
            guard += 1;
        }
    }
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
        LEFT + plot_w / 2.0,
        HEIGHT - BOTTOM + 32.0,
        escape(x_label)
    );
    let mut names = Vec::new();
    for (k, (name, values)) in series.iter().enumerate() {
        let stroke = colour(name, k);
        let mut points = String::new();
        for (xv, yv) in x.iter().zip(values) {
            let _ = write!(points, "{:.1},{:.1} ", x_of(*xv), scale(*yv));
        }
        let _ = write!(
            svg,
            r#"<polyline points="{points}" fill="none" stroke="{stroke}" stroke-width="2"><title>{}</title></polyline>"#,
            escape(name)
        );
        names.push((name.clone(), stroke));
    }
    legend(&mut svg, &names);
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests;
