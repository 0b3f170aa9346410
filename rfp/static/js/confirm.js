/* Ask before a destructive POST: forms with data-confirm="question?" (the post_button
 * macro's `confirm`). Used by the references and consensus pages. Without JavaScript
 * the form posts directly. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
}());
