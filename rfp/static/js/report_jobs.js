/* The reports page: follow the reports being built. Each [data-job-status-url] item is
 * polled (GET, JSON: rfp.areas.reports.routes.job) until its job is done or failed; the
 * progress bar and note follow, and the page reloads to list the file (or to offer
 * "Try again"). An item with data-download fetches its file as soon as it is ready
 * (the results page's buttons). Without JavaScript, reloading the page does the same. */
(function () {
  "use strict";
  var POLL_MS = 1500;

  function follow(item) {
    var url = item.getAttribute("data-job-status-url");
    var bar = item.querySelector("[data-job-progress]");
    var label = item.querySelector("[data-job-label]");
    var note = item.querySelector("[data-job-note]");

    function poll() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error("status " + response.status); }
          return response.json();
        })
        .then(function (job) {
          if (bar) { bar.value = job.progress; bar.textContent = job.progress + " %"; }
          if (label) { label.textContent = job.status_label; }
          if (note) { note.textContent = job.note ? ": " + job.note : ""; }
          if (job.status === "done") {
            if (item.hasAttribute("data-download") && job.report) {
              window.location.assign(job.report.url);
              window.setTimeout(function () { window.location.replace(window.location.pathname); }, 1000);
            } else {
              window.location.replace(window.location.pathname);
            }
          } else if (job.status === "failed") {
            window.location.replace(window.location.pathname);
          } else {
            window.setTimeout(poll, POLL_MS);
          }
        })
        .catch(function () { window.setTimeout(poll, POLL_MS * 4); });
    }
    window.setTimeout(poll, POLL_MS);
  }

  document.querySelectorAll("[data-job-status-url]").forEach(function (item) {
    if (!item.classList.contains("job-failed")) { follow(item); }
  });
}());
