/* Refused forms (GOV.UK error summary pattern): the summary of what went wrong takes focus when
   the page loads, so it is on screen and read out first; its links move focus to the field they
   name, with the field's label in view. Without JavaScript the form's action carries the
   #anchor that brings the reader back to the form. */
(function () {
  "use strict";
  if (window.errorSummaryReady) return;  // one page, one set of listeners
  window.errorSummaryReady = true;

  function openDetails(node) {
    for (var el = node.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
  }

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    openDetails(summary);
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    openDetails(field);
    var label = field.id && document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
  // The browser's own scroll to the #anchor in the URL, which comes later, takes focus away.
  window.addEventListener("load", function () {
    if (document.activeElement === document.body) setTimeout(focusSummary, 0);
  });
})();
