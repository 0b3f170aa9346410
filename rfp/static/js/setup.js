/* Set-up pages: live weight percentages and fields shown for the chosen option.
   Progressive: every page works without this script. */
(function () {
  "use strict";

  function fmt(value) { return (Math.round(value * 10) / 10).toFixed(1) + " %"; }
  function num(input) { var v = parseFloat(input.value); return isFinite(v) && v > 0 ? v : 0; }

  // Criteria editor: recompute "% of level" and "% of total" as weights are typed.
  var weights = document.querySelector("form[data-weights]");
  if (weights) {
    var inputs = Array.prototype.slice.call(weights.querySelectorAll("input[data-level]"));
    var recompute = function () {
      var sums = {};
      inputs.forEach(function (input) {
        sums[input.dataset.level] = (sums[input.dataset.level] || 0) + num(input);
      });
      var share = {};
      inputs.forEach(function (input) {
        var sum = sums[input.dataset.level];
        var pct = sum ? 100 * num(input) / sum : 0;
        var cell = weights.querySelector('[data-pct-for="' + input.dataset.key + '"]');
        if (cell) { cell.textContent = fmt(pct); }
        if (input.dataset.level === "criteria") { share[input.dataset.key] = pct; }
      });
      inputs.forEach(function (input) {
        var out = weights.querySelector('[data-share-for="' + input.dataset.key + '"]');
        if (!out) { return; }
        var sum = sums[input.dataset.level];
        var pct = sum ? 100 * num(input) / sum : 0;
        out.textContent = fmt(input.dataset.parent ? share[input.dataset.parent] * pct / 100 : pct);
      });
      Object.keys(sums).forEach(function (level) {
        document.querySelectorAll('[data-sum-for="' + level + '"]').forEach(function (el) {
          el.textContent = String(Math.round(sums[level] * 1000) / 1000);
        });
        document.querySelectorAll('[data-level-warning="' + level + '"]').forEach(function (el) {
          el.hidden = Math.abs(sums[level] - 100) < 1e-9;
        });
      });
    };
    inputs.forEach(function (input) { input.addEventListener("input", recompute); });
    recompute();  // a refused save comes back with the typed weights: show their shares
  }

  // Show the parts of a form that belong to the option chosen in a radio group or select.
  function toggle(attr, getValue) {
    var blocks = document.querySelectorAll("[" + attr + "]");
    if (!blocks.length) { return null; }
    var update = function () {
      var value = getValue();
      blocks.forEach(function (block) { block.hidden = block.getAttribute(attr) !== value; });
    };
    update();
    return update;
  }
  function radioValue(name) {
    return function () {
      var checked = document.querySelector('input[name="' + name + '"]:checked');
      return checked ? checked.value : "";
    };
  }
  [["data-show-for", "start"], ["data-show-for-account", "account"], ["data-show-for-role", "role"]]
    .forEach(function (pair) {
      var update = toggle(pair[0], radioValue(pair[1]));
      if (update) {
        document.querySelectorAll('input[name="' + pair[1] + '"]').forEach(function (radio) {
          radio.addEventListener("change", update);
        });
      }
    });
  var kind = document.querySelector("[data-question-form] select[name=kind]");
  if (kind) {
    var update = toggle("data-show-for-kind", function () { return kind.value; });
    kind.addEventListener("change", update);
  }
})();
