// htmx sends the session's CSRF token (from the layout's meta tag) as a header
// with every request it makes. Forms that rotate the session (login, logout,
// password change) are not boosted, so the page and its token load anew.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// A button with data-copy copies the text of the element it names.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) {
    return;
  }
  var source = document.getElementById(button.dataset.copy);
  if (source) {
    navigator.clipboard.writeText(source.textContent.trim());
    button.classList.add("copied");
  }
});
