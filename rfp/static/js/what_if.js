/* What-if weights on the results page (templates/results/_what_if.html).
 *
 * Re-ranks the vendors in the browser from <script id="results-data"> (criteria with
 * their official shares, vendors with their criterion scores) by the engine's rules
 * (rfp/scoring/engine.py, ranking.py):
 *   - weights normalised over all criteria: w_k / sum(w), all 0 when the sum is 0;
 *   - total = sum of score_k * w_k (summed exactly like Python's math.fsum), clamped
 *     to 0..100;
 *   - qualified vendors by total, highest first; totals within 1e-9 of a group's first
 *     share its rank and the next rank skips (1, 2, 2, 4); ties listed by name, then key
 *     (compared by code point, as Python compares strings);
 *   - disqualified vendors after them, without rank, by total then name.
 * Nothing is sent to the server and the official weights do not change.
 */
(function () {
  "use strict";

  var TIE_TOLERANCE = 1e-9;

  /* Python's math.fsum: Shewchuk's exact partial sums, correctly rounded. */
  function fsum(values) {
    var partials = [];
    values.forEach(function (value) {
      var x = value;
      var kept = 0;
      for (var j = 0; j < partials.length; j++) {
        var y = partials[j];
        if (Math.abs(x) < Math.abs(y)) { var swap = x; x = y; y = swap; }
        var hi = x + y;
        var lo = y - (hi - x);
        if (lo !== 0) { partials[kept++] = lo; }
        x = hi;
      }
      partials.length = kept;
      partials.push(x);
    });
    var n = partials.length;
    if (n === 0) { return 0; }
    var high = partials[--n];
    var low = 0;
    while (n > 0) {
      var a = high;
      var b = partials[--n];
      high = a + b;
      low = b - (high - a);
      if (low !== 0) { break; }
    }
    if (n > 0 && ((low < 0 && partials[n - 1] < 0) || (low > 0 && partials[n - 1] > 0))) {
      var twice = low * 2;
      var sum = high + twice;
      if (twice === sum - high) { high = sum; }
    }
    return high;
  }

  function compareText(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var p = x[i].codePointAt(0), q = y[i].codePointAt(0);
      if (p !== q) { return p < q ? -1 : 1; }
    }
    return x.length - y.length;
  }

  function byNameThenKey(a, b) {
    return compareText(a.name, b.name) || compareText(a.key, b.key);
  }

  /* Vendors with their what-if rank (null when disqualified) and total, in order. */
  function rank(data, weights) {
    var keys = data.criteria.map(function (c) { return c.key; });
    var sum = fsum(keys.map(function (k) { return weights[k]; }));
    var share = {};
    keys.forEach(function (k) { share[k] = sum > 0 ? weights[k] / sum : 0; });
    var scored = data.vendors.map(function (v) {
      var total = fsum(keys.map(function (k) { return v.criteria[k] * share[k]; }));
      return {
        key: v.key, name: v.name, disqualified: v.disqualified,
        official: v.rank, total: Math.min(100, Math.max(0, total)),
      };
    });
    var qualified = scored.filter(function (v) { return !v.disqualified; });
    qualified.sort(function (a, b) { return b.total - a.total; });
    var ordered = [];
    var position = 0;
    while (position < qualified.length) {
      var head = qualified[position].total;
      var end = position;
      while (end < qualified.length && head - qualified[end].total <= TIE_TOLERANCE) { end++; }
      var group = qualified.slice(position, end).sort(byNameThenKey);
      group.forEach(function (v) { v.rank = position + 1; ordered.push(v); });
      position = end;
    }
    var out = scored.filter(function (v) { return v.disqualified; });
    out.sort(function (a, b) { return (b.total - a.total) || byNameThenKey(a, b); });
    out.forEach(function (v) { v.rank = null; ordered.push(v); });
    return ordered;
  }

  /* One decimal as Python prints it (the ranking above): an exact tie, x.25 or x.75,
     goes to the even digit, where toFixed would round it up. */
  function oneDecimal(value) {
    if (Number.isInteger(value * 4) && !Number.isInteger(value * 2)) {
      var down = Math.floor(value * 10);
      return ((down % 2 === 0 ? down : down + 1) / 10).toFixed(1);
    }
    return value.toFixed(1);
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function start() {
    var section = document.querySelector("[data-what-if]");
    var source = document.getElementById("results-data");
    if (!section || !source) { return; }
    var data = JSON.parse(source.textContent);
    var official = {};
    data.criteria.forEach(function (c) { official[c.key] = 100 * c.weight; });
    var weights = Object.assign({}, official);
    var body = section.querySelector("[data-what-if-rows]");
    var state = section.querySelector("[data-what-if-state]");
    var ranges = {}, numbers = {}, shares = {};
    section.querySelectorAll("[data-weight-range]").forEach(function (el) {
      ranges[el.getAttribute("data-weight-range")] = el;
    });
    section.querySelectorAll("[data-weight-number]").forEach(function (el) {
      numbers[el.getAttribute("data-weight-number")] = el;
    });
    section.querySelectorAll("[data-share]").forEach(function (el) {
      shares[el.getAttribute("data-share")] = el;
    });

    function isOfficial() {
      return data.criteria.every(function (c) { return weights[c.key] === official[c.key]; });
    }

    function render() {
      var atOfficial = isOfficial();
      /* At the official weights the official figures are shown as they are. */
      var rows = atOfficial
        ? data.vendors.map(function (v) {
            return { key: v.key, name: v.name, disqualified: v.disqualified,
                     official: v.rank, rank: v.rank, total: v.total };
          })
        : rank(data, weights);
      var sum = fsum(data.criteria.map(function (c) { return weights[c.key]; }));
      data.criteria.forEach(function (c) {
        var value = sum > 0 ? 100 * weights[c.key] / sum : 0;
        shares[c.key].textContent = oneDecimal(value) + " %";
      });
      body.textContent = "";
      rows.forEach(function (v) {
        var tr = document.createElement("tr");
        tr.setAttribute("data-vendor", v.key);
        if (v.disqualified) { tr.className = "disqualified"; }
        cell(tr, v.rank === null ? "–" : String(v.rank), "num wi-rank");
        var name = cell(tr, v.name, "wi-name");
        if (v.disqualified) {
          var badge = document.createElement("span");
          badge.className = "badge badge-bad";
          badge.textContent = "disqualified";
          name.appendChild(document.createTextNode(" "));
          name.appendChild(badge);
        }
        cell(tr, oneDecimal(v.total), "num wi-total");
        var moved = cell(tr, v.official === null ? "–" : String(v.official), "num wi-official");
        if (v.rank !== null && v.official !== null && v.rank !== v.official) {
          var arrow = document.createElement("span");
          arrow.className = v.rank < v.official ? "wi-up" : "wi-down";
          arrow.textContent = v.rank < v.official ? " ▲" : " ▼";
          arrow.title = v.rank < v.official ? "higher than officially" : "lower than officially";
          moved.appendChild(arrow);
        }
        body.appendChild(tr);
      });
      state.textContent = atOfficial
        ? "Showing the official weights."
        : "Showing what-if weights (not saved; the official weights are unchanged).";
      section.classList.toggle("changed", !atOfficial);
    }

    function setWeight(key, value, from) {
      if (!isFinite(value) || value < 0) { return; }
      weights[key] = value;
      if (from !== ranges[key]) { ranges[key].value = String(Math.round(Math.min(100, value))); }
      if (from !== numbers[key]) { numbers[key].value = String(value); }
      render();
    }

    Object.keys(ranges).forEach(function (key) {
      ranges[key].addEventListener("input", function () {
        setWeight(key, parseFloat(ranges[key].value), ranges[key]);
      });
      numbers[key].addEventListener("input", function () {
        var value = parseFloat(numbers[key].value);
        if (numbers[key].value.trim() !== "") { setWeight(key, value, numbers[key]); }
      });
    });
    section.querySelector("[data-what-if-reset]").addEventListener("click", function () {
      weights = Object.assign({}, official);
      data.criteria.forEach(function (c) {
        ranges[c.key].value = String(Math.round(official[c.key]));
        numbers[c.key].value = String(Math.round(official[c.key] * 100) / 100);
      });
      render();
    });

    section.hidden = false;
    render();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
