/* yusuan catalogue: client-side filters of index.html. No network, no dependencies.
   A filter can be preset from the address: index.html#issuer=...&fiscal_year=2026&q=text
   (keys: fiscal_year, region, issuer, kind, quality_status, q). */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("datasets");
  if (!form || !table) {
    return;
  }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var text = document.getElementById("filter-text");
  var count = document.getElementById("count");
  var none = document.getElementById("no-match");

  function matches(row, query) {
    for (var i = 0; i < selects.length; i++) {
      var s = selects[i];
      if (s.value && row.getAttribute("data-" + s.getAttribute("data-filter")) !== s.value) {
        return false;
      }
    }
    return !query || row.textContent.toLowerCase().indexOf(query) !== -1;
  }

  function apply() {
    var query = (text && text.value ? text.value : "").trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(row, query);
      row.hidden = !ok;
      if (ok) {
        shown += 1;
      }
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 个数据集 · showing " +
      shown + " of " + rows.length + " datasets";
    if (none) {
      none.hidden = shown !== 0 || rows.length === 0;
    }
  }

  function fromHash() {
    var hash = window.location.hash.replace(/^#/, "");
    if (!hash) {
      return;
    }
    // the address describes the whole filter: what it does not name is cleared
    selects.forEach(function (s) {
      s.value = "";
    });
    if (text) {
      text.value = "";
    }
    hash.split("&").forEach(function (pair) {
      var parts = pair.split("=");
      var key = decodeURIComponent(parts[0] || "");
      var value = decodeURIComponent((parts[1] || "").replace(/\+/g, " "));
      selects.forEach(function (s) {
        if (s.getAttribute("data-filter") === key) {
          for (var i = 0; i < s.options.length; i++) {
            if (s.options[i].value === value) {
              s.value = value;
            }
          }
        }
      });
      if (key === "q" && text) {
        text.value = value;
      }
    });
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  if (text) {
    text.addEventListener("input", apply);
  }
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  window.addEventListener("hashchange", function () {
    fromHash();
    apply();
  });
  fromHash();
  apply();
  document.documentElement.setAttribute("data-catalogue-ready", "1");
})();
