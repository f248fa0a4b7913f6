// The poster's print button; a separate file because the Content Security Policy allows
// no inline script or event handler.
document.getElementById("print").addEventListener("click", () => window.print());
