// Vendor intake: copy a newly made portal link (buttons are confirmed by confirm.js).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.querySelector(button.getAttribute("data-copy"));
      var state = button.parentElement.querySelector(".copy-state");
      function done(message) { if (state) { state.textContent = message; } }
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(
          function () { done("Copied."); },
          function () { done("Press Ctrl+C to copy."); }
        );
      } else {
        try { document.execCommand("copy"); done("Copied."); }
        catch (e) { done("Press Ctrl+C to copy."); }
      }
    });
  });
})();
