/* Behaviour every page shares, loaded by the page frames (base.html, the portal layout).
 * The Content-Security-Policy allows no inline script, no inline event handler and no
 * inline style attribute, so what templates used to write inline is declared with data
 * attributes and done here:
 *
 * - data-width="42.5" on a bar's inner span: its width in percent;
 * - select[data-autosubmit]: the form is sent as soon as the choice changes (a
 *   <noscript> button does it without JavaScript);
 * - data-max-length="5000" on a textarea or input: a live counter of the characters
 *   under the field ("4,990 / 5,000 characters"), marked when near and over the limit.
 *   The limit is not the browser's maxlength, which would cut a pasted text silently:
 *   the server refuses an over-long text with a message naming the field. */
(function () {
  "use strict";

  var NEAR = 0.9; // from 90 % of the limit the counter is marked

  function setWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      var value = parseFloat(el.getAttribute("data-width"));
      if (isFinite(value)) {
        el.style.width = Math.max(0, Math.min(100, value)) + "%";
      }
    });
  }

  function autosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) { select.form.submit(); }
      });
    });
  }

  function grouped(n) {
    return n.toLocaleString("en-US");
  }

  function counter(field) {
    var limit = parseInt(field.getAttribute("data-max-length"), 10);
    if (!(limit > 0) || field.getAttribute("data-counted")) { return; }
    field.setAttribute("data-counted", "1");
    var out = document.createElement("p");
    out.className = "char-count";
    out.setAttribute("aria-live", "polite");
    if (field.id) {
      out.id = field.id + "-count";
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", (described ? described + " " : "") + out.id);
    }
    field.insertAdjacentElement("afterend", out);
    function update() {
      var used = field.value.length;
      var text = grouped(used) + " / " + grouped(limit) + " characters";
      if (used > limit) {
        text += ": " + grouped(used - limit) + " too many, shorten the text before saving";
      }
      out.textContent = text;
      out.classList.toggle("near", used >= NEAR * limit && used <= limit);
      out.classList.toggle("over", used > limit);
      field.classList.toggle("too-long", used > limit);
    }
    field.addEventListener("input", update);
    update();
  }

  function counters(root) {
    root.querySelectorAll("[data-max-length]").forEach(counter);
  }

  function start() {
    setWidths(document);
    autosubmit(document);
    counters(document);
  }

  window.rfpPage = { setWidths: setWidths, counters: counters };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
