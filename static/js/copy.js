// A copy button beside a one-time secret: shown only where scripts run and the clipboard can be written.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = document.getElementById(button.dataset.copy).textContent.trim();
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = button.dataset.copied;
    } catch (error) {
      button.hidden = true;  // the browser refused: the box stays there to copy by hand
    }
  });
});
