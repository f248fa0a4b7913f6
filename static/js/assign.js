// The assign page: once a partner and a kind are chosen, each child says whether it already
// has that help. The server decides the same again when the form is sent; the messages
// come from the page.
(function () {
  "use strict";
  const form = document.getElementById("assign-form");
  const list = document.getElementById("selected-children");
  if (!form || !list) return;

  function update() {
    const kind = form.elements.kind.value;
    const partner = form.elements.partner.value;
    list.querySelectorAll("li[data-child]").forEach((child) => {
      const note = child.querySelector(".assign-note");
      const same = kind
        ? Array.from(child.querySelectorAll("li[data-kind]")).filter(
            (i) => i.getAttribute("data-kind") === kind,
          )
        : [];
      const duplicate = same.find((i) => partner && i.getAttribute("data-partner") === partner);
      let text = "";
      let level = "";
      if (duplicate) {
        text = list.getAttribute("data-msg-duplicate");
        text = text.replace("{intervensi}", duplicate.getAttribute("data-label"));
        level = "duplicate";
      } else if (same.length && partner) {
        const labels = same.map((i) => i.getAttribute("data-label")).join(", ");
        text = list.getAttribute("data-msg-other").replace("{intervensi}", labels);
        level = "other-partner";
      }
      note.textContent = text;
      note.hidden = !text;
      note.className = "assign-note" + (level ? " assign-" + level : "");
    });
  }

  form.addEventListener("change", (e) => {
    if (e.target.name === "kind" || e.target.name === "partner") update();
  });
  update();
})();
