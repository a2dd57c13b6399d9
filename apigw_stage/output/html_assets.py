"""The inline CSS and JavaScript of `-o html` (output/html.py): no CDN, no fonts, no images, so the
page opens with no network; its Content-Security-Policy forbids any request at all.

The script only reads data-* attributes and the text of cells, and changes classes, `hidden` and
row order: it never builds HTML from the data (no innerHTML), so a hostile name stays text.
Without JavaScript the page is whole: filters, sort arrows and copy buttons are the script's
additions (hidden until it runs)."""

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CSS = """
:root { color-scheme: light dark; --fail: #c62828; --pass: #2e7d32; --skip: #757575; --info: #1565c0; --bg: #fff;
  --fg: #1b1b1b; --line: #d0d0d0; --head: #f3f3f3; }
@media (prefers-color-scheme: dark) { :root { --bg: #121212; --fg: #e8e8e8; --line: #3a3a3a; --head: #1e1e1e;
  --fail: #ef5350; --pass: #66bb6a; --skip: #9e9e9e; --info: #64b5f6; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 1rem;
  max-width: 1400px; background: var(--bg); color: var(--fg); }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.verdict { font-weight: 600; } .verdict.fail { color: var(--fail); } .verdict.pass { color: var(--pass); }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: .25rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--head); position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
.id { white-space: nowrap; }
.summary { display: flex; flex-wrap: wrap; gap: 1rem; }
.summary table { min-width: 12rem; }
.s-fail { color: var(--fail); font-weight: 600; } .s-pass { color: var(--pass); }
.s-not_applicable, .s-not_evaluated, .s-ignored { color: var(--skip); } .s-info { color: var(--info); }
td.cell { text-align: center; white-space: nowrap; }
td.cell.s-fail { background: color-mix(in srgb, var(--fail) 18%, transparent); }
td.cell.s-pass { background: color-mix(in srgb, var(--pass) 12%, transparent); }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--fail); padding: .5rem .75rem; margin: .5rem 0; }
.finding h3 { font-size: 1rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
.finding ul { margin: .25rem 0; padding-left: 1.25rem; }
.fix { display: flex; gap: .5rem; align-items: flex-start; margin: .25rem 0; }
.fix pre { margin: 0; padding: .4rem .5rem; background: var(--head); border: 1px solid var(--line); white-space: pre-wrap;
  overflow-wrap: anywhere; flex: 1; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin: .5rem 0; }
.filters label { display: flex; gap: .25rem; align-items: center; }
th.sortable { cursor: pointer; user-select: none; } th.sortable::after { content: " \\2195"; color: var(--skip); }
th[aria-sort=ascending]::after { content: " \\2191"; } th[aria-sort=descending]::after { content: " \\2193"; }
.errors li { color: var(--fail); overflow-wrap: anywhere; }
.muted { color: var(--skip); }
@media (max-width: 600px) { body { padding: .5rem; } .summary { display: block; } }
"""

JS = r"""
(function () {
  "use strict";
  var filters = document.querySelector(".filters");
  if (filters) { filters.hidden = false; }
  var selects = Array.prototype.slice.call(document.querySelectorAll(".filters select"));
  function apply() {
    var want = {};
    selects.forEach(function (s) { if (s.value) { want[s.dataset.key] = s.value; } });
    document.querySelectorAll("[data-row]").forEach(function (row) {
      var show = Object.keys(want).every(function (key) {
        var have = (row.dataset[key] || "").split(" ");
        return have.indexOf(want[key]) >= 0;
      });
      row.hidden = !show;
    });
    var shown = document.querySelectorAll("[data-row]:not([hidden])").length;
    var counter = document.getElementById("shown");
    if (counter) { counter.textContent = String(shown); }
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  document.querySelectorAll("table.sortable-table").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, index) {
      th.classList.add("sortable");
      th.tabIndex = 0;
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index] ? a.cells[index].textContent.trim() : "";
          var y = b.cells[index] ? b.cells[index].textContent.trim() : "";
          var nx = Number(x), ny = Number(y);
          var c = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var code = button.parentNode.querySelector("code");
      var text = code ? code.textContent : "";
      function done(ok) { button.textContent = ok ? "Copied" : "Select and copy"; }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      } else {
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        done(document.execCommand && document.execCommand("copy"));
      }
    });
  });
  apply();
})();
"""
