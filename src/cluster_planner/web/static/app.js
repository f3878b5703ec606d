// cluster-planner web app: sortable tables and live solve progress (no library, nothing fetched from outside).
"use strict";

function cellValue(row, index) {
  const cell = row.cells[index];
  const text = cell ? cell.textContent.trim() : "";
  const number = Number(text.replace(/[,%]/g, ""));
  return text !== "" && !Number.isNaN(number) ? number : text;
}

function sortBy(table, index, th) {
  const body = table.tBodies[0];
  const order = th.dataset.sort === "asc" ? "desc" : "asc";
  table.querySelectorAll("th").forEach((h) => delete h.dataset.sort);
  th.dataset.sort = order;
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = cellValue(a, index), y = cellValue(b, index);
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh");
    return order === "asc" ? c : -c;
  });
  rows.forEach((r) => body.appendChild(r));
}

function makeSortable(table) {
  const head = table.tHead;
  if (!head || !table.tBodies.length) return;
  Array.from(head.rows[0].cells).forEach((th, index) => th.addEventListener("click", () => sortBy(table, index, th)));
}

function fmt(value, digits) {
  return value === null || value === undefined ? "" : Number(value).toFixed(digits);
}

// A running job's progress: pushed by the server (Server-Sent Events); polled only where EventSource fails.
function watchJob(box) {
  const show = (id, text) => { document.getElementById(id).textContent = text; };
  function render(state) {
    box.dataset.status = state.status;
    show("status", state.status_words);
    show("stage", state.stage);
    show("elapsed", fmt(state.elapsed, 1));
    show("objective", fmt(state.objective, 0));
    show("bound", fmt(state.bound, 0));
    show("gap", state.gap === null ? "" : (state.gap * 100).toFixed(2) + "%");
    show("message", state.message);
    show("lines", state.lines.join("\n"));
    if (state.status === "running") return;
    if (box.dataset.reload) { window.location.reload(); return; }  // a preview: the page shows the outcome
    document.getElementById("cancel-form").hidden = true;
    if (state.version) {
      const link = document.createElement("a");
      link.href = "/versions/" + state.version;
      link.id = "open-version";
      link.textContent = state.version_words;
      document.getElementById("version-link").replaceChildren(link);
    }
  }
  async function poll() {
    let state;
    try {
      state = await (await fetch(box.dataset.progress, { cache: "no-store" })).json();
    } catch (err) {
      setTimeout(poll, 1000);
      return;
    }
    render(state);
    if (state.status === "running") setTimeout(poll, 500);
  }
  function listen() {
    let heard = false;
    const source = new EventSource(box.dataset.events);
    source.addEventListener("progress", (e) => { heard = true; render(JSON.parse(e.data)); });
    source.addEventListener("end", (e) => { source.close(); box.dataset.via = "events"; render(JSON.parse(e.data)); });
    source.onerror = () => {
      if (heard && source.readyState !== EventSource.CLOSED) return;  // the browser reconnects by itself
      source.close();
      box.dataset.via = "polling";
      poll();
    };
  }
  if (box.dataset.status !== "running") return;
  if (window.EventSource && box.dataset.events) listen(); else poll();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.sortable").forEach(makeSortable);
  const job = document.getElementById("job");
  if (job) watchJob(job);
});
