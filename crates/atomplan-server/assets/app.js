// atomplan web app: the behaviour of each page, chosen by <body data-page="…">.
// Hand-written, no framework, no network beyond this server's /api/v1.
"use strict";

(function () {
  const page = document.body.dataset.page;

  function text(tag, content, className) {
    const element = document.createElement(tag);
    if (content !== undefined && content !== null) element.textContent = String(content);
    if (className) element.className = className;
    return element;
  }

  // ---- Catalogue: filter and sort -------------------------------------------------------
  function sortable(table) {
    const headers = Array.from(table.querySelectorAll("thead th"));
    headers.forEach(function (th, column) {
      th.tabIndex = 0;
      th.setAttribute("role", "button");
      th.addEventListener("click", function () {
        const ascending = th.dataset.order !== "asc";
        headers.forEach(function (other) { delete other.dataset.order; });
        th.dataset.order = ascending ? "asc" : "desc";
        const numeric = th.dataset.numeric === "1";
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const key = function (row) {
          const cell = row.cells[column];
          const value = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
          return numeric ? parseFloat(value) : value.toLowerCase();
        };
        rows.sort(function (a, b) {
          const ka = key(a);
          const kb = key(b);
          const order = ka < kb ? -1 : ka > kb ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function catalogue() {
    document.querySelectorAll("table.sortable").forEach(sortable);
    const table = document.getElementById("designs");
    const filter = document.getElementById("filter");
    const smrOnly = document.getElementById("smr-only");
    const shown = document.getElementById("shown");
    const apply = function () {
      const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      let count = 0;
      Array.from(table.tBodies[0].rows).forEach(function (row) {
        const rowText = row.textContent.toLowerCase();
        const visible = words.every(function (w) { return rowText.includes(w); }) &&
          (!smrOnly.checked || row.dataset.smr === "true");
        row.hidden = !visible;
        if (visible) count += 1;
      });
      shown.textContent = count + " of " + table.tBodies[0].rows.length + " designs";
    };
    filter.addEventListener("input", apply);
    smrOnly.addEventListener("change", apply);
    apply();
  }

  // ---- Study editor: check as you type, errors at their line ----------------------------
  // The line of a dotted field such as `candidates[1].design` in the TOML text.
  function lineOfField(source, field) {
    if (!field) return null;
    const lines = source.split("\n");
    const parts = field.split(".");
    let start = 0;
    let table = "";
    for (let p = 0; p < parts.length - 1; p += 1) {
      const match = /^([^\[]+)(?:\[(\d+)\])?$/.exec(parts[p]);
      if (!match) break;
      table = table ? table + "." + match[1] : match[1];
      const wanted = match[2] === undefined ? 0 : Number(match[2]);
      let seen = -1;
      for (let i = start; i < lines.length; i += 1) {
        const t = lines[i].trim();
        if (t === "[[" + table + "]]" || t === "[" + table + "]") {
          seen += 1;
          if (seen === wanted) { start = i; break; }
        }
      }
    }
    const last = parts[parts.length - 1].replace(/\[\d+\]$/, "");
    for (let i = start; i < lines.length; i += 1) {
      const t = lines[i].trim();
      if (t.startsWith(last + " ") || t.startsWith(last + "=")) return i + 1;
      if (i > start && t.startsWith("[") && parts.length > 1) break;
    }
    return parts.length > 1 ? start + 1 : null;
  }

  function editor() {
    const area = document.getElementById("study");
    const gutter = document.getElementById("gutter");
    const list = document.getElementById("diagnostics");
    const status = document.getElementById("status");
    const run = document.getElementById("run");
    const runError = document.getElementById("run-error");
    let timer = null;
    let sequence = 0;

    const drawGutter = function (marks) {
      const n = area.value.split("\n").length;
      const lines = [];
      for (let i = 1; i <= n; i += 1) lines.push(marks[i] ? "● " + i : String(i));
      gutter.textContent = lines.join("\n");
      gutter.scrollTop = area.scrollTop;
    };
    const select = function (line) {
      const lines = area.value.split("\n");
      let from = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i += 1) from += lines[i].length + 1;
      area.focus();
      area.setSelectionRange(from, from + (lines[line - 1] || "").length);
    };
    const check = function () {
      sequence += 1;
      const mine = sequence;
      status.textContent = "Checking…";
      fetch("/api/v1/studies/check", { method: "POST", body: area.value, headers: { "content-type": "application/toml" } })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (mine !== sequence) return;
          list.replaceChildren();
          const marks = {};
          const diagnostics = result.diagnostics || [];
          diagnostics.forEach(function (d) {
            const field = d.location && d.location.field;
            const line = (d.location && d.location.line) || lineOfField(area.value, field);
            if (line && d.severity === "error") marks[line] = true;
            const item = text("li", null, "diagnostic " + d.severity);
            item.dataset.field = field || "";
            item.appendChild(text("span", d.severity, "severity"));
            if (line) item.appendChild(text("span", "line " + line, "line"));
            if (field) item.appendChild(text("code", field, "field"));
            item.appendChild(text("span", d.message, "message"));
            if (d.hint) item.appendChild(text("span", "hint: " + d.hint, "hint"));
            if (line) item.addEventListener("click", function () { select(line); });
            list.appendChild(item);
          });
          drawGutter(marks);
          const errors = diagnostics.filter(function (d) { return d.severity === "error"; }).length;
          status.textContent = result.valid
            ? "Valid" + (diagnostics.length ? " (" + diagnostics.length + " warning(s))" : "")
            : errors + " error(s)";
          status.className = "status " + (result.valid ? "ok" : "bad");
          run.disabled = !result.valid;
        })
        .catch(function (error) { status.textContent = "Cannot check: " + error; });
    };
    area.addEventListener("input", function () {
      run.disabled = true;
      clearTimeout(timer);
      timer = setTimeout(check, 300);
      drawGutter({});
    });
    area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
    run.addEventListener("click", function () {
      run.disabled = true;
      runError.textContent = "";
      fetch("/api/v1/jobs", { method: "POST", body: area.value, headers: { "content-type": "application/toml" } })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          if (answer.ok) {
            window.location.href = "/jobs/" + answer.body.id;
          } else {
            runError.textContent = answer.body.error ? answer.body.error.message : "cannot start the run";
            run.disabled = false;
          }
        })
        .catch(function (error) { runError.textContent = String(error); run.disabled = false; });
    });
    drawGutter({});
    check();
  }

  // ---- A job: live progress, then the report and the comparison -------------------------
  function flattenNumbers(prefix, value, out) {
    if (typeof value === "number") {
      out[prefix] = value;
    } else if (value && typeof value === "object" && !Array.isArray(value)) {
      Object.keys(value).forEach(function (key) {
        flattenNumbers(prefix ? prefix + "." + key : key, value[key], out);
      });
    }
    return out;
  }

  function formatNumber(value) {
    if (value === undefined || value === null || Number.isNaN(value)) return "–";
    const abs = Math.abs(value);
    const digits = abs >= 1000 ? 0 : abs >= 10 ? 1 : 3;
    return value.toLocaleString("en", { maximumFractionDigits: digits });
  }

  function comparison(decision) {
    const scenarios = decision.scenarios || [];
    const a = document.getElementById("scenario-a");
    const b = document.getElementById("scenario-b");
    const body = document.querySelector("#comparison tbody");
    scenarios.forEach(function (s, idx) {
      const name = s.name || s.scenario || "scenario " + (idx + 1);
      a.appendChild(new Option(name, String(idx)));
      b.appendChild(new Option(name, String(idx)));
    });
    if (scenarios.length > 1) b.value = "1";
    const draw = function () {
      const sa = scenarios[Number(a.value)] || {};
      const sb = scenarios[Number(b.value)] || {};
      document.getElementById("name-a").textContent = a.selectedOptions.length ? a.selectedOptions[0].text : "A";
      document.getElementById("name-b").textContent = b.selectedOptions.length ? b.selectedOptions[0].text : "B";
      const fa = flattenNumbers("", sa, {});
      const fb = flattenNumbers("", sb, {});
      const keys = Array.from(new Set(Object.keys(fa).concat(Object.keys(fb)))).sort();
      body.replaceChildren();
      keys.forEach(function (key) {
        const row = document.createElement("tr");
        row.appendChild(text("td", key));
        row.appendChild(text("td", formatNumber(fa[key]), "num"));
        row.appendChild(text("td", formatNumber(fb[key]), "num"));
        const both = fa[key] !== undefined && fb[key] !== undefined;
        row.appendChild(text("td", both ? formatNumber(fb[key] - fa[key]) : "–", "num"));
        body.appendChild(row);
      });
    };
    a.addEventListener("change", draw);
    b.addEventListener("change", draw);
    draw();
  }

  function job() {
    const id = window.location.pathname.split("/").pop();
    const status = document.getElementById("job-status");
    const bar = document.getElementById("progress");
    const stage = document.getElementById("stage");
    const message = document.getElementById("job-message");
    const events = document.getElementById("events");
    const showResults = function () {
      const results = document.getElementById("results");
      if (!results.hidden) return;
      results.hidden = false;
      document.getElementById("report").src = "/api/v1/jobs/" + id + "/report";
      fetch("/api/v1/jobs/" + id + "/decision")
        .then(function (response) { return response.json(); })
        .then(comparison)
        .catch(function (error) { message.textContent = "Cannot read decision.json: " + error; });
    };
    const show = function (info) {
      if (!info) return;
      status.textContent = info.status;
      status.className = "badge " + info.status;
      bar.value = info.progress || 0;
      if (info.stage) stage.textContent = info.stage;
      if (info.message) message.textContent = info.message;
      if (info.status === "done") showResults();
    };
    const source = new EventSource("/api/v1/jobs/" + id + "/events");
    source.addEventListener("status", function (e) { show(JSON.parse(e.data)); });
    source.addEventListener("progress", function (e) {
      const p = JSON.parse(e.data);
      if (p.event === "status") {
        status.textContent = p.status;
        status.className = "badge " + p.status;
        if (p.message) message.textContent = p.message;
        return;
      }
      bar.value = p.progress || 0;
      stage.textContent = p.stage + " (" + p.index + "/" + p.total + ")";
      const line = "[" + p.index + "/" + p.total + "] " + p.stage + " " + p.event +
        (p.event === "started" ? "" : " at " + Number(p.seconds).toFixed(1) + " s") +
        (p.message ? ": " + p.message : "");
      events.appendChild(text("li", line, p.event));
    });
    source.addEventListener("end", function (e) {
      source.close();
      show(JSON.parse(e.data));
    });
    source.onerror = function () { source.close(); };
  }

  function jobs() {
    document.querySelectorAll("td.time").forEach(function (cell) {
      const seconds = Number(cell.dataset.unix);
      if (seconds > 0) cell.textContent = new Date(seconds * 1000).toLocaleString();
    });
  }

  const pages = { catalogue: catalogue, editor: editor, job: job, jobs: jobs };
  if (pages[page]) pages[page]();
})();
