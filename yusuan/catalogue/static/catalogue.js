/* yusuan catalogue: the index page's search, filters, facet counts, sorting and paging.
   No network, no dependencies: the cards come in shards (cards/<n>.js, one <script> tag each,
   so that the page also works opened from disk); each shard pushes its part onto
   window.YUSUAN_CARDS. A package's shard is fixed by a hash of its id, so a new package
   rewrites one shard, not the whole list; the parts are joined here and put back in id
   order, which is the order the list had when it was one file.

   The state lives in the address, so a filtered view can be bookmarked and shared:
     index.html#q=court&fiscal_year=2018&issuer=...&sort=total
   keys: q, fiscal_year, region, issuer, kind, quality_status, sort. A filter value that no
   dataset has is reported (and matches nothing) instead of being dropped silently.

   Search is by tokens, not a raw substring: every query word must match. A Latin word matches
   the start of a word of the English names, ids, codes or years ("court" finds 法院 through
   "High People's Court"); a Chinese word matches when all its character pairs occur in the
   Chinese names ("人民法院" finds 江苏省高级人民法院). */
(function () {
  "use strict";
  if (window.performance && performance.mark) {
    performance.mark("yusuan-script-start");  // for benchmarks/catalogue_index.py
  }
  var parts = window.YUSUAN_CARDS || [];
  var form = document.getElementById("filters");
  var list = document.getElementById("cards");
  if (!form || !list) {
    return;
  }
  var PAGE = 50;
  var FACETS = ["fiscal_year", "region", "issuer", "kind", "quality_status"];
  var STATUS = { passed: "通过 · passed", warnings: "有警告 · warnings", blocked: "不予发布 · blocked" };
  var text = document.getElementById("filter-text");
  var sortSelect = document.getElementById("sort");
  var count = document.getElementById("count");
  var none = document.getElementById("no-match");
  var more = document.getElementById("more");
  var unknownNote = document.getElementById("unknown-filter");
  var selects = {};
  FACETS.forEach(function (key) {
    selects[key] = document.getElementById("filter-" + key);
  });
  var shownLimit = PAGE;
  var unknown = {};

  var cards = [];
  parts.forEach(function (data) {
    var shared = {};
    data.shared.forEach(function (f) {
      shared[f] = true;
    });
    data.rows.forEach(function (row) {
      var c = {};
      data.fields.forEach(function (f, i) {
        c[f] = shared[f] === true ? data.strings[row[i]] : row[i];
      });
      c.page = "datasets/" + c.id + ".html";
      c.datapackage = "../" + (c.folder || c.id) + "/datapackage.json";
      c.words = null;  // search tokens, made on the first search (most visits never search)
      c.pairs = null;
      cards.push(c);
    });
  });
  // ids are ASCII (index.SAFE_ID): code-unit order here is the build's code-point order
  cards.sort(function (a, b) {
    return a.id < b.id ? -1 : (a.id > b.id ? 1 : 0);
  });
  var collator = new Intl.Collator("zh");

  function latinWords(s) {
    return String(s).toLowerCase().split(/[^0-9a-z\u00c0-\u024f]+/).filter(Boolean);
  }

  function cjkPairs(s) {
    var set = {};
    String(s).split(/[^\u3400-\u9fff\uf900-\ufaff]+/).forEach(function (run) {
      for (var i = 0; i < run.length; i++) {
        set[run.charAt(i)] = true;
        if (i + 1 < run.length) {
          set[run.substr(i, 2)] = true;
        }
      }
    });
    return set;
  }

  function queryTerms(q) {
    var terms = [];
    String(q).toLowerCase().split(/\s+/).forEach(function (part) {
      // a mixed term such as "法院court" is split into its Chinese and Latin runs
      (part.match(/[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z\u00c0-\u024f]+/g) || []).forEach(function (t) {
        terms.push(t);
      });
    });
    return terms;
  }

  function termMatches(card, term) {
    if (card.words === null) {
      card.words = latinWords([card.id, card.title_en, card.region_en, card.region_code, card.issuer_en,
        card.issuer_id, card.kind_en, card.kind_id, card.fiscal_year, card.quality_status].join(" "));
      card.pairs = cjkPairs([card.title_zh, card.region, card.issuer, card.kind, card.total_source].join(" "));
    }
    if (/^[\u3400-\u9fff\uf900-\ufaff]/.test(term)) {
      var keys = Object.keys(cjkPairs(term));
      if (term.length > 1) {
        keys = keys.filter(function (k) { return k.length === 2; });
      }
      return keys.every(function (k) { return card.pairs[k] === true; });
    }
    var singular = term.length > 3 && term.charAt(term.length - 1) === "s" ? term.slice(0, -1) : null;
    return card.words.some(function (w) {
      return w.indexOf(term) === 0 || (singular !== null && w === singular);
    });
  }

  function state() {
    var s = { q: text.value.trim(), sort: sortSelect.value };
    FACETS.forEach(function (key) {
      s[key] = selects[key].value;
    });
    return s;
  }

  function matchesTerms(card, terms) {
    for (var j = 0; j < terms.length; j++) {
      if (!termMatches(card, terms[j])) {
        return false;
      }
    }
    return true;
  }

  /* the facets a card fails (stops counting at two: then it counts nowhere) */
  function failedFacets(card, s) {
    var failed = [];
    for (var i = 0; i < FACETS.length && failed.length < 2; i++) {
      var key = FACETS[i];
      if (s[key] && String(card[key]) !== s[key]) {
        failed.push(key);
      }
    }
    return failed;
  }

  var labels = {};
  var values = {};
  FACETS.forEach(function (key) {
    labels[key] = Object.create(null);
    values[key] = [];
  });
  cards.forEach(function (c) {
    FACETS.forEach(function (key) {
      var v = String(c[key]);
      if (!(v in labels[key])) {
        values[key].push(v);
        labels[key][v] = labelOf(key, v, c);
      }
    });
  });
  FACETS.forEach(function (key) {
    values[key].sort();
    if (key === "fiscal_year") {
      values[key].reverse();
    }
  });

  function labelOf(key, value, c) {
    if (key === "quality_status") {
      return STATUS[value] || value;
    }
    var en = { region: c.region_en, issuer: c.issuer_en, kind: c.kind_en }[key];
    return en && en !== value ? value + " · " + en : value;
  }

  /* facet counts: for each value, the datasets that match the search and every OTHER filter.
     One pass: a card failing no facet counts in every facet, one failing one facet counts
     in that facet only. Returns the cards that match everything. */
  function updateFacets(s) {
    var counts = {};
    FACETS.forEach(function (key) {
      counts[key] = Object.create(null);
    });
    var found = [];
    cards.forEach(function (c) {
      if (!matchesTerms(c, s.terms)) {
        return;
      }
      var failed = failedFacets(c, s);
      if (failed.length === 0) {
        found.push(c);
      }
      var keys = failed.length === 0 ? FACETS : failed.length === 1 ? failed : [];
      keys.forEach(function (key) {
        var v = String(c[key]);
        counts[key][v] = (counts[key][v] || 0) + 1;
      });
    });
    FACETS.forEach(function (key) {
      fillSelect(key, counts[key], s[key]);
    });
    return found;
  }

  /* A facet lists at most MAX_OPTIONS values: those with the most matching datasets (and the
     chosen one), in their usual order. Thousands of options would make a select unusable and
     slow to draw; the rest are one search away, and the last option says how many are left. */
  var MAX_OPTIONS = 100;

  function fillSelect(key, counts, current) {
    var select = selects[key];
    var shown = values[key];
    if (shown.length > MAX_OPTIONS) {
      var top = shown.filter(function (v) { return counts[v] > 0; })
        .sort(function (a, b) { return counts[b] - counts[a]; }).slice(0, MAX_OPTIONS);
      var keep = Object.create(null);
      top.forEach(function (v) { keep[v] = true; });
      if (current) {
        keep[current] = true;
      }
      shown = shown.filter(function (v) { return keep[v] === true; });
    }
    var hidden = values[key].length - shown.length;
    var signature = shown.join("\u0000") + "\u0001" + hidden;
    if (select.getAttribute("data-signature") !== signature) {
      while (select.options.length > 1) {
        select.remove(1);
      }
      var fragment = document.createDocumentFragment();
      shown.forEach(function (v) {
        fragment.appendChild(new Option(labels[key][v], v));
      });
      if (hidden > 0) {
        var rest = new Option("… 另有 " + hidden + " 项，请用搜索缩小范围 · " + hidden + " more: search to narrow", "");
        rest.disabled = true;
        rest.setAttribute("data-more", String(hidden));
        fragment.appendChild(rest);
      }
      select.appendChild(fragment);
      select.setAttribute("data-signature", signature);
    }
    for (var i = 1; i < select.options.length; i++) {
      var option = select.options[i];
      if (option.disabled || option.getAttribute("data-unknown") === "1") {
        continue;
      }
      var n = String(counts[option.value] || 0);
      if (option.getAttribute("data-count") !== n) {
        option.setAttribute("data-count", n);
        option.text = labels[key][option.value] + " (" + n + ")";
      }
    }
    if (current && !(current in labels[key])) {
      var missing = new Option(current + " (未知 · unknown, 0)", current);
      missing.setAttribute("data-count", "0");
      missing.setAttribute("data-unknown", "1");
      select.add(missing);
      select.setAttribute("data-signature", "");
    }
    select.value = current;
  }

  function sorter(kind) {
    if (kind === "year") {
      return function (a, b) {
        return Number(b.fiscal_year) - Number(a.fiscal_year) || collator.compare(a.title_zh, b.title_zh);
      };
    }
    if (kind === "total") {
      return function (a, b) {
        var x = a.total_yuan === "" ? -Infinity : Number(a.total_yuan);
        var y = b.total_yuan === "" ? -Infinity : Number(b.total_yuan);
        return y - x || collator.compare(a.title_zh, b.title_zh);
      };
    }
    return function (a, b) {
      return collator.compare(a.title_zh, b.title_zh) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    };
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function field(cls, zh, en, value, valueEn) {
    var dd = el("dd", { "class": cls }, [value]);
    if (valueEn && valueEn !== value) {
      dd.appendChild(document.createTextNode(" "));
      dd.appendChild(el("span", { "class": "en", lang: "en" }, [valueEn]));
    }
    return [el("dt", { "class": cls }, [zh + " ", el("span", { "class": "en", lang: "en" }, [en])]), dd];
  }

  function renderCard(c) {
    var dl = el("dl", { "class": "card-fields" });
    var total = c.total_wan ? c.total_wan + " 万元" : "–";
    [
      field("f-year", "年度", "Year", c.fiscal_year),
      field("f-region", "地区", "Region", c.region, c.region_en),
      field("f-issuer", "发布单位", "Issuer", c.issuer, c.issuer_en),
      field("f-kind", "类型", "Kind", c.kind, c.kind_en),
      field("f-total", "支出合计", "Total expenditure", total, c.total_wan ? "10,000 yuan" : ""),
    ].forEach(function (pair) {
      dl.appendChild(pair[0]);
      dl.appendChild(pair[1]);
    });
    var status = el("span", { "class": "status status-" + c.quality_status }, [STATUS[c.quality_status] || c.quality_status]);
    var checks = el("small", { "class": "checks" }, [
      " 校验 checks: " + c.checks_passed + " ✓ · " + c.checks_failed + " ✗ · " + c.checks_not_run + " –",
    ]);
    var title = el("h2", { "class": "card-title" }, [
      el("a", { "class": "dataset-link", href: c.page }, [c.title_zh]),
      el("br"),
      el("span", { "class": "en", lang: "en" }, [c.title_en]),
    ]);
    var links = el("p", { "class": "card-links" }, [
      el("a", { href: c.datapackage }, ["datapackage.json"]),
    ]);
    var item = el("li", { "class": "card", id: "ds-" + c.id, "data-total-yuan": c.total_yuan }, [
      title, el("p", { "class": "card-status" }, [status, checks]), dl, links,
    ]);
    FACETS.forEach(function (key) {
      item.setAttribute("data-" + key, String(c[key]));
    });
    return item;
  }

  function writeAddress(s) {
    var parts = [];
    ["q"].concat(FACETS).forEach(function (key) {
      if (s[key]) {
        parts.push(key + "=" + encodeURIComponent(s[key]));
      }
    });
    if (s.sort && s.sort !== "name") {
      parts.push("sort=" + encodeURIComponent(s.sort));
    }
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (window.location.hash !== hash && !(hash === "" && window.location.hash === "#")) {
      history.replaceState(null, "", hash || window.location.pathname + window.location.search);
    }
  }

  function apply(keepLimit) {
    if (!keepLimit) {
      shownLimit = PAGE;
    }
    var s = state();
    s.terms = queryTerms(s.q);
    var found = updateFacets(s).sort(sorter(s.sort));
    var unknownKeys = FACETS.filter(function (key) {
      var option = selects[key].selectedOptions[0];
      return option && option.getAttribute("data-unknown") === "1";
    });
    if (unknownKeys.length) {
      found = [];
      unknownNote.textContent = "地址中的筛选值不存在，没有显示任何数据集：" +
        unknownKeys.map(function (k) { return k + " = " + s[k]; }).join("、") +
        " · Unknown filter value in the address, no dataset shown: " +
        unknownKeys.map(function (k) { return k + " = " + s[k]; }).join(", ");
    }
    unknownNote.hidden = unknownKeys.length === 0;
    list.textContent = "";
    var fragment = document.createDocumentFragment();
    found.slice(0, shownLimit).forEach(function (c) {
      fragment.appendChild(renderCard(c));
    });
    list.appendChild(fragment);
    var shown = Math.min(found.length, shownLimit);
    count.textContent = "找到 " + found.length + " / " + cards.length + " 个数据集，显示 " + shown +
      " 个 · " + found.length + " of " + cards.length + " datasets match, showing " + shown;
    count.setAttribute("data-found", String(found.length));
    more.hidden = found.length <= shownLimit;
    none.hidden = found.length !== 0 || cards.length === 0;
    writeAddress(s);
  }

  function fromAddress() {
    var hash = window.location.hash.replace(/^#/, "");
    // the address describes the whole view: what it does not name is cleared
    FACETS.forEach(function (key) {
      selects[key].value = "";
    });
    text.value = "";
    sortSelect.value = "name";
    var wanted = {};
    hash.split("&").forEach(function (pair) {
      if (!pair) {
        return;
      }
      var i = pair.indexOf("=");
      var key = decodeURIComponent(i < 0 ? pair : pair.slice(0, i));
      var value = i < 0 ? "" : decodeURIComponent(pair.slice(i + 1).replace(/\+/g, " "));
      wanted[key] = value;
    });
    text.value = wanted.q || "";
    if (wanted.sort && ["name", "year", "total"].indexOf(wanted.sort) !== -1) {
      sortSelect.value = wanted.sort;
    }
    // a value no dataset has gets an option marked unknown: it is reported, not dropped
    FACETS.forEach(function (key) {
      var value = wanted[key];
      if (value) {
        var select = selects[key];
        var option = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
        if (!option) {
          option = new Option(value + " (未知 · unknown, 0)", value);
          option.setAttribute("data-count", "0");
          option.setAttribute("data-unknown", "1");
          select.add(option);
          select.setAttribute("data-signature", "");  // the next fill starts afresh
        }
        select.value = value;
      }
    });
  }

  form.addEventListener("change", function () { apply(false); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  text.addEventListener("input", function () { apply(false); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { apply(false); }, 0);
  });
  more.addEventListener("click", function () {
    shownLimit += PAGE;
    apply(true);
  });
  window.addEventListener("hashchange", function () {
    fromAddress();
    apply(false);
  });
  fromAddress();
  apply(false);
  document.documentElement.setAttribute("data-catalogue-ready", "1");
  if (window.performance && performance.mark) {
    performance.mark("yusuan-ready");
  }
})();
