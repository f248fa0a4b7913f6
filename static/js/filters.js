// Staff list filters and forms with a kelurahan/desa and a posyandu (data-village-posyandu):
// choosing a kelurahan/desa hides the posyandu of the others at once. Without this file a
// list does the same after "Terapkan", and a form says when the two do not match.
(function () {
  "use strict";
  document.querySelectorAll("form.filters, form[data-village-posyandu]").forEach((form) => {
    const village = form.elements.village;
    const posyandu = form.elements.posyandu;
    if (!village || !posyandu) return;

    function narrow() {
      const chosen = village.value;
      posyandu.querySelectorAll("option[data-village]").forEach((o) => {
        const show = !chosen || o.getAttribute("data-village") === chosen;
        o.hidden = !show;
        o.disabled = !show;
        if (!show && o.selected) posyandu.value = "";
      });
      posyandu.querySelectorAll("optgroup").forEach((g) => {
        g.hidden = !g.querySelector("option:not([hidden])");
      });
    }

    village.addEventListener("change", narrow);
    narrow();
  });
})();
