// The error summary: focused when the page opens with errors, its links lead to the input.
// Progressive enhancement only: the form works without this file.
(function () {
  "use strict";

  function showInput(input) {
    var wrapper = input.closest(".field");
    // The label sits above the input: bring the whole field into view, then focus.
    (wrapper || input).scrollIntoView();
    input.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("#form-errors a[href^='#']");
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    e.preventDefault();
    showInput(input);
  });

  var summary = document.getElementById("form-errors");
  if (summary) summary.focus();
})();
