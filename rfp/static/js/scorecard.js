/* Scorecard: save as you go.
 *
 * Each question card (<article data-save-url>) is saved on its own when its score
 * changes, or when its justification changes (after a pause in typing, or on leaving
 * the field), by a JSON POST with the CSRF header. The state is shown next to the
 * question: "saving…", "saved", or the server's error. Saves of one question never
 * overlap: a change made while one is in flight is sent after it.
 *
 * Keyboard: Tab moves between questions, arrow keys move along the scale, and a digit
 * key picks that point while the scale has focus.
 *
 * "Abstain" is one more choice of the question's radio group: it needs a reason in the
 * justification box before it is saved, like the scale's extreme points.
 *
 * Without JavaScript the page is a plain form that saves every changed question at once.
 */
(function () {
  "use strict";

  var form = document.getElementById("scorecard");
  if (!form || form.getAttribute("data-writable") !== "1" || !window.fetch) {
    return;
  }
  var meta = document.querySelector('meta[name="csrf-token"]');
  var hidden = form.querySelector('input[name="csrf_token"]');
  var token = (meta && meta.getAttribute("content")) || (hidden && hidden.value) || "";
  var TYPING_PAUSE_MS = 900;

  var note = form.querySelector("[data-js-note]");
  if (note) { note.hidden = false; }

  var cards = Array.prototype.slice.call(form.querySelectorAll("article[data-save-url]"));
  var states = new Map();

  cards.forEach(function (card) {
    states.set(card, {
      inflight: false,
      queued: false,
      timer: null,
      unsaved: false,
      saved: {
        score: card.getAttribute("data-saved-score") || "",
        comment: card.getAttribute("data-saved-comment") || ""
      }
    });
    var textarea = card.querySelector("textarea");
    card.addEventListener("change", function (event) {
      if (event.target.type === "radio") {
        markRequirement(card);
        save(card);
      } else if (event.target === textarea) {
        save(card);
      }
    });
    if (textarea) {
      textarea.addEventListener("input", function () {
        var state = states.get(card);
        state.unsaved = true;
        markRequirement(card);
        clearTimeout(state.timer);
        state.timer = setTimeout(function () { save(card); }, TYPING_PAUSE_MS);
      });
    }
    card.addEventListener("keydown", function (event) {
      if (event.target.type !== "radio" || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      var radio = card.querySelector('input[type="radio"][value="' + cssEscape(event.key) + '"]');
      if (radio && !radio.disabled) {
        event.preventDefault();
        radio.checked = true;
        radio.focus();
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    markRequirement(card);
  });

  function cssEscape(text) {
    return String(text).replace(/["\\]/g, "\\$&");
  }

  function current(card) {
    var checked = card.querySelector('input[type="radio"]:checked');
    var textarea = card.querySelector("textarea");
    return {
      score: checked ? checked.value : "",
      extreme: checked ? checked.getAttribute("data-extreme") === "1" : false,
      abstain: checked ? checked.getAttribute("data-needs-reason") === "1" : false,
      comment: textarea ? textarea.value.trim() : ""
    };
  }

  function markRequirement(card) {
    var now = current(card);
    var textarea = card.querySelector("textarea");
    var required = now.extreme || now.abstain;
    card.classList.toggle("needs-comment", required && !now.comment);
    if (textarea) { textarea.required = required; }
  }

  function setStatus(card, kind, text) {
    var slot = card.querySelector("[data-status]");
    if (!slot) { return; }
    slot.textContent = "";
    var span = document.createElement("span");
    span.className = kind;
    span.textContent = text;
    slot.appendChild(span);
  }

  function save(card) {
    var state = states.get(card);
    clearTimeout(state.timer);
    var now = current(card);
    if (!now.score) {
      if (now.comment) {
        state.unsaved = true;
        setStatus(card, "warn", "choose a score to save");
      }
      return;
    }
    if (now.abstain && !now.comment) {
      state.unsaved = true;
      setStatus(card, "warn", "say why you abstain to save it");
      return;
    }
    if (now.extreme && !now.comment) {
      state.unsaved = true;
      setStatus(card, "warn", "add a justification to save a " + now.score);
      return;
    }
    if (now.score === state.saved.score && now.comment === state.saved.comment) {
      state.unsaved = false;
      return;
    }
    if (state.inflight) {
      state.queued = true;
      return;
    }
    state.inflight = true;
    state.unsaved = true;
    setStatus(card, "saving", "saving…");
    fetch(card.getAttribute("data-save-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": token
      },
      body: JSON.stringify({ score: now.score, comment: now.comment })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    }).then(function (result) {
      state.inflight = false;
      if (result.ok) {
        state.saved = { score: now.score, comment: now.comment };
        var again = current(card);
        state.unsaved = again.score !== now.score || again.comment !== now.comment;
        card.classList.add("is-scored");
        card.classList.remove("has-error");
        setStatus(card, "saved", "saved");
        updateProgress(result.body);
      } else {
        state.unsaved = true;
        card.classList.add("has-error");
        setStatus(card, "error", errorText(result));
      }
      if (state.queued) {
        state.queued = false;
        save(card);
      }
    }).catch(function () {
      state.inflight = false;
      state.unsaved = true;
      setStatus(card, "error", "not saved: no connection. Your entry is still here; change it or press Save changes.");
    });
  }

  function errorText(result) {
    if (result.status === 401) {
      return "not saved: your session has ended. Log in again in another tab, then change the score.";
    }
    var body = result.body || {};
    return "not saved: " + (body.detail || body.error || ("error " + result.status));
  }

  function setText(name, value) {
    var el = document.querySelector('[data-progress="' + name + '"]');
    if (el) { el.textContent = value; }
  }

  function setBar(name, entered, expected) {
    var el = document.querySelector('[data-progress="' + name + '"]');
    if (el) { el.style.width = (expected ? (100 * entered / expected) : 100) + "%"; }
  }

  function updateProgress(body) {
    if (body.vendor_progress) {
      setText("vendor-entered", body.vendor_progress.entered);
      setBar("vendor-bar", body.vendor_progress.entered, body.vendor_progress.expected);
    }
    if (body.overall) {
      setText("overall-entered", body.overall.entered);
      setBar("overall-bar", body.overall.entered, body.overall.expected);
    }
    var done = document.querySelector('[data-progress="complete"]');
    if (done) { done.hidden = !body.complete; }
    Array.prototype.forEach.call(form.querySelectorAll("[data-criterion]"), function (section) {
      var count = section.querySelector("[data-group-entered]");
      if (count) { count.textContent = section.querySelectorAll("article.is-scored").length; }
    });
  }

  var submitting = false;
  form.addEventListener("submit", function () { submitting = true; });

  window.addEventListener("beforeunload", function (event) {
    if (submitting) { return; }
    var pending = cards.some(function (card) {
      var state = states.get(card);
      return state.inflight || state.queued || state.unsaved;
    });
    if (pending) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}());
