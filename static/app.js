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

// A ticket's file input says at once when a file is too large or there are
// too many, before anything is uploaded; the server checks again.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[type=file][data-max-size]")) {
    return;
  }
  var error = document.getElementById("e-" + input.name);
  var message = "";
  if (input.files.length > Number(input.dataset.maxCount)) {
    message = error.dataset.tooMany;
  }
  for (var i = 0; i < input.files.length; i++) {
    if (input.files[i].size > Number(input.dataset.maxSize)) {
      message = error.dataset.tooBig;
    }
  }
  input.setCustomValidity(message);
  error.textContent = message;
  error.hidden = message === "";
  input.closest(".field").classList.toggle("has-error", message !== "");
});

// A form whose files were refused above is not sent, by htmx or otherwise.
function refusedFiles(form) {
  var input = form && form.querySelector && form.querySelector("input[type=file][data-max-size]");
  return input && input.validationMessage !== "" ? input : null;
}
document.addEventListener("htmx:beforeRequest", function (event) {
  var input = refusedFiles(event.detail.elt);
  if (input) {
    event.preventDefault();
    input.focus();
  }
});
document.addEventListener("submit", function (event) {
  var input = refusedFiles(event.target);
  if (input) {
    event.preventDefault();
    input.focus();
  }
}, true);

// A part of a form shown only for some choices of one of its selects:
// data-when="country=RU" shows it for those values (comma-separated),
// "country!=RU,KZ" for any other. The server renders the first state.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.tagName !== "SELECT" || !select.form) {
    return;
  }
  select.form.querySelectorAll("[data-when]").forEach(function (el) {
    var rule = /^(\w+)(!?=)(.*)$/.exec(el.dataset.when);
    if (rule && rule[1] === select.name) {
      el.hidden = (rule[3].split(",").indexOf(select.value) >= 0) !== (rule[2] === "=");
    }
  });
});

// The header sticks to the top, so a jump to an anchor must stop below it:
// app.css reads --header-height. On a phone its tab bar scrolls sideways, so
// the current tab, when out of sight, is brought to the bar's middle. Both
// are done again after htmx swaps a page in, before it scrolls to the
// address's anchor; a part of a page refreshed (a poll, the bell) leaves
// the bar where the user scrolled it.
function fitHeader(event) {
  var header = document.querySelector(".topbar");
  if (!header) {
    return;
  }
  document.documentElement.style.setProperty("--header-height", header.offsetHeight + "px");
  if (event && event.type === "htmx:afterSettle" && event.detail.target !== document.body) {
    return;
  }
  var bar = header.querySelector(".tabs-in");
  var current = bar && bar.querySelector("a.active");
  if (!current) {
    return;
  }
  var shown = bar.getBoundingClientRect();
  var tab = current.getBoundingClientRect();
  if (tab.left < shown.left || tab.right > shown.right) {
    bar.scrollLeft += tab.left - shown.left - (shown.width - tab.width) / 2;
  }
}
fitHeader();
window.addEventListener("resize", fitHeader);
document.addEventListener("htmx:afterSettle", fitHeader);
