// A print button (shown only where scripts run: elsewhere the browser's own print command serves).
document.querySelectorAll("button[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
