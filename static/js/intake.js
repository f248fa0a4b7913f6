// Progressive enhancement only: the form works without this file.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) return;
  var village = form.elements.village;
  var posyandu = form.elements.posyandu;
  var other = document.getElementById("field-posyandu_other");

  function filterPosyandu() {
    var code = village.value;
    Array.prototype.forEach.call(posyandu.querySelectorAll("option[data-village]"), function (o) {
      var show = !code || o.getAttribute("data-village") === code;
      o.hidden = !show;
      o.disabled = !show;
      if (!show && o.selected) posyandu.value = "";
    });
    Array.prototype.forEach.call(posyandu.querySelectorAll("optgroup"), function (g) {
      g.hidden = !g.querySelector("option:not([hidden])");
    });
  }

  function toggleOther() {
    var needed = posyandu.value === "lain";
    var input = form.elements.posyandu_other;
    other.hidden = !needed && !input.value;
  }

  village.addEventListener("change", filterPosyandu);
  posyandu.addEventListener("change", toggleOther);
  form.addEventListener("submit", function () {
    var button = document.getElementById("send");
    // The idempotency key makes a second tap harmless; this only shows progress.
    setTimeout(function () { button.disabled = true; button.textContent = "Mengirim…"; }, 0);
  });
  filterPosyandu();
  toggleOther();
})();
