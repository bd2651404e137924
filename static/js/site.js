// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".notice-error[role=alert]");
  if (summary) summary.focus();
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
