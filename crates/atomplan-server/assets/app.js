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
    const form = document.getElementById("study-form");
    const formNote = document.getElementById("form-note");
    let timer = null;
    let sequence = 0;
    let formSequence = 0;
    let lastDiagnostics = [];
    let inputs = {};

    // ---- The form: main fields, written into the TOML by the server (comments kept) ----
    const setFieldError = function (field, message) {
      const input = inputs[field];
      if (!input) return false;
      input.classList.toggle("invalid", !!message);
      const slot = input.parentElement.querySelector(".field-error");
      slot.textContent = message ? (slot.textContent ? slot.textContent + "; " : "") + message : "";
      return true;
    };
    const showFieldErrors = function (diagnostics) {
      Object.keys(inputs).forEach(function (field) { setFieldError(field, ""); });
      diagnostics.forEach(function (d) {
        const field = d.location && d.location.field;
        if (!field || d.severity !== "error") return;
        // `horizon.periods[1]` is shown at `horizon.periods`.
        if (!setFieldError(field, d.message)) setFieldError(field.replace(/\[\d+\]$/, ""), d.message);
      });
    };
    const groupTitle = function (group, fields) {
      const match = /^(candidates|scenarios)\[(\d+)\]$/.exec(group);
      if (!match) return group.charAt(0).toUpperCase() + group.slice(1);
      const named = fields.find(function (f) { return f.kind === "text" && f.value; });
      return (match[1] === "candidates" ? "Candidate " : "Scenario ") +
        (Number(match[2]) + 1) + (named ? ": " + named.value : "");
    };
    // Edits run one after another, each on the text the previous one wrote.
    let edits = Promise.resolve();
    const editField = function (field, value) {
      edits = edits.then(function () { return sendEdit(field, value); });
    };
    const sendEdit = function (field, value) {
      return fetch("/api/v1/studies/form/edit", {
        method: "POST",
        body: JSON.stringify({ toml: area.value, field: field, value: value }),
        headers: { "content-type": "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (result.error) {
            setFieldError(field, "");
            setFieldError(result.error.field || field, result.error.message);
            run.disabled = true;
            return;
          }
          area.value = result.toml;
          drawGutter({});
          check();
        })
        .catch(function (error) { setFieldError(field, "Cannot edit: " + error); });
    };
    const buildForm = function (fields) {
      form.replaceChildren();
      inputs = {};
      const groups = [];
      fields.forEach(function (f) {
        let group = groups.find(function (g) { return g.name === f.group; });
        if (!group) { group = { name: f.group, fields: [] }; groups.push(group); }
        group.fields.push(f);
      });
      groups.forEach(function (group) {
        const fieldset = document.createElement("fieldset");
        fieldset.appendChild(text("legend", groupTitle(group.name, group.fields)));
        group.fields.forEach(function (f) {
          const row = text("div", null, "form-field");
          const id = "form-" + f.field.replace(/[^A-Za-z0-9]+/g, "-");
          const label = text("label", f.label);
          label.htmlFor = id;
          const input = document.createElement("input");
          input.id = id;
          input.dataset.field = f.field;
          if (f.kind === "boolean") {
            input.type = "checkbox";
            input.checked = f.value === true;
          } else {
            input.type = "text";
            if (f.kind !== "text") input.inputMode = "decimal";
            input.value = f.value === null ? "" : Array.isArray(f.value) ? f.value.join(", ") : String(f.value);
            input.placeholder = f.hint;
          }
          input.title = f.field + (f.hint ? " (" + f.hint + ")" : "");
          input.addEventListener("change", function () {
            editField(f.field, f.kind === "boolean" ? (input.checked ? true : null) : input.value);
          });
          inputs[f.field] = input;
          row.appendChild(label);
          row.appendChild(input);
          row.appendChild(text("span", null, "field-error"));
          fieldset.appendChild(row);
        });
        form.appendChild(fieldset);
      });
    };
    const loadForm = function () {
      formSequence += 1;
      const mine = formSequence;
      fetch("/api/v1/studies/form", { method: "POST", body: area.value, headers: { "content-type": "application/toml" } })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (mine !== formSequence) return;
          if (result.error) {
            form.hidden = true;
            formNote.textContent = "The form returns once the TOML parses: " + result.error.message;
            return;
          }
          form.hidden = false;
          formNote.textContent = "";
          buildForm(result.fields);
          showFieldErrors(lastDiagnostics);
        })
        .catch(function (error) { formNote.textContent = "Cannot read the form: " + error; });
    };

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
          lastDiagnostics = diagnostics;
          showFieldErrors(diagnostics);
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
      timer = setTimeout(function () { check(); loadForm(); }, 300);
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
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    drawGutter({});
    check();
    loadForm();
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

  // ---- Two runs side by side ------------------------------------------------------------
  function compareRuns() {
    const jobA = document.getElementById("job-a");
    const jobB = document.getElementById("job-b");
    const scenarioA = document.getElementById("scenario-a");
    const scenarioB = document.getElementById("scenario-b");
    const error = document.getElementById("compare-error");
    const body = document.querySelector("#comparison tbody");
    const params = new URLSearchParams(window.location.search);
    const wanted = { a: params.get("scenario_a"), b: params.get("scenario_b") };
    let sequence = 0;
    const fill = function (select, names, chosen) {
      select.replaceChildren();
      names.forEach(function (name) { select.appendChild(new Option(name, name)); });
      select.value = chosen;
    };
    const draw = function () {
      error.textContent = "";
      document.querySelectorAll(".compare-pick select").forEach(function (s) { s.classList.remove("invalid"); });
      body.replaceChildren();
      if (!jobA.value || !jobB.value) {
        error.textContent = "Choose two runs.";
        return;
      }
      const query = new URLSearchParams({ a: jobA.value, b: jobB.value });
      if (wanted.a) query.set("scenario_a", wanted.a);
      if (wanted.b) query.set("scenario_b", wanted.b);
      history.replaceState(null, "", "/compare?" + query.toString());
      sequence += 1;
      const mine = sequence;
      fetch("/api/v1/compare?" + query.toString())
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (mine !== sequence) return;
          if (result.error) {
            error.textContent = result.error.message;
            const bad = document.querySelector(".compare-pick select[data-field='" + result.error.field + "']");
            if (bad) bad.classList.add("invalid");
            return;
          }
          fill(scenarioA, result.a.scenarios, result.a.scenario);
          fill(scenarioB, result.b.scenarios, result.b.scenario);
          document.getElementById("name-a").textContent = result.a.title + " · " + result.a.scenario;
          document.getElementById("name-b").textContent = result.b.title + " · " + result.b.scenario;
          result.rows.forEach(function (r) {
            const row = document.createElement("tr");
            row.dataset.quantity = r.quantity;
            row.dataset.a = r.a === null ? "" : String(r.a);
            row.dataset.b = r.b === null ? "" : String(r.b);
            row.appendChild(text("td", r.quantity));
            row.appendChild(text("td", formatNumber(r.a), "num"));
            row.appendChild(text("td", formatNumber(r.b), "num"));
            row.appendChild(text("td", formatNumber(r.difference), "num"));
            body.appendChild(row);
          });
        })
        .catch(function (e) { error.textContent = "Cannot compare: " + e; });
    };
    jobA.addEventListener("change", function () { wanted.a = null; draw(); });
    jobB.addEventListener("change", function () { wanted.b = null; draw(); });
    scenarioA.addEventListener("change", function () { wanted.a = scenarioA.value; draw(); });
    scenarioB.addEventListener("change", function () { wanted.b = scenarioB.value; draw(); });
    draw();
  }

  const pages = { catalogue: catalogue, editor: editor, job: job, jobs: jobs, compare: compareRuns };
  if (pages[page]) pages[page]();
})();
