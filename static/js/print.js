// The program page's Print button: shown only where scripts run (without them, the browser's own Print works).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
