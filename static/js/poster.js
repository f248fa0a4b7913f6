// The poster's print button; a separate file because the Content Security Policy allows
// no inline script or event handler.
const printButton = document.getElementById("print");
if (printButton) printButton.addEventListener("click", () => window.print());
