(function () {
  "use strict";
  var doc = document;

  // Findings table: filter by text, severity, kind and team; sort by clicking a header.
  var table = doc.getElementById("findings-table");
  if (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.querySelectorAll("tr.finding"));
    var controls = ["q", "sev", "kind", "scope"].map(function (id) { return doc.getElementById(id); });
    var shown = doc.getElementById("shown");
    var apply = function () {
      var text = controls[0].value.trim().toLowerCase();
      var count = 0;
      rows.forEach(function (row) {
        var ok = (!controls[1].value || row.getAttribute("data-severity") === controls[1].value) &&
                 (!controls[2].value || row.getAttribute("data-kind") === controls[2].value) &&
                 (!controls[3].value || row.getAttribute("data-scope") === controls[3].value) &&
                 (!text || row.textContent.toLowerCase().indexOf(text) !== -1);
        row.hidden = !ok;
        if (ok) { count += 1; }
      });
      if (shown) { shown.textContent = count === rows.length ? "all " + rows.length : count + " of " + rows.length; }
    };
    controls.forEach(function (el) {
      if (el) { el.addEventListener("input", apply); el.addEventListener("change", apply); }
    });
    var headers = Array.prototype.slice.call(table.querySelectorAll("th[data-sort]"));
    headers.forEach(function (th) {
      var button = th.querySelector("button");
      (button || th).addEventListener("click", function () {
        var key = th.getAttribute("data-sort");
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = a.getAttribute("data-" + key) || "", y = b.getAttribute("data-" + key) || "";
          var nx = parseFloat(x), ny = parseFloat(y);
          var cmp = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          if (cmp === 0) { cmp = parseFloat(a.getAttribute("data-number")) - parseFloat(b.getAttribute("data-number")); }
          return ascending ? cmp : -cmp;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    var toggle = doc.getElementById("expand-all");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-pressed") !== "true";
        toggle.setAttribute("aria-pressed", open ? "true" : "false");
        toggle.textContent = open ? "Collapse all" : "Expand all";
        table.querySelectorAll("details").forEach(function (d) { d.open = open; });
      });
    }
    apply();
  }

  // Following a link to a person or a finding opens its collapsed details.
  var reveal = function () {
    if (!location.hash || location.hash.length < 2) { return; }
    var target = doc.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) { return; }
    if (target.hidden) { target.hidden = false; }
    var details = target.tagName === "DETAILS" ? target : target.querySelector("details");
    if (details) { details.open = true; }
  };
  window.addEventListener("hashchange", reveal);
  reveal();

  // Print everything, expanded; restore what was open afterwards.
  var wasOpen = [];
  window.addEventListener("beforeprint", function () {
    wasOpen = [];
    doc.querySelectorAll("details").forEach(function (d) { wasOpen.push(d.open); d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    doc.querySelectorAll("details").forEach(function (d, i) { d.open = !!wasOpen[i]; });
  });
  doc.documentElement.setAttribute("data-ready", "1");
})();
