// Autosave status for the self-evaluation form: htmx leaves 4xx answers unswapped,
// so show the server's explanation (e.g. an expired session) in the status line.
document.addEventListener("htmx:responseError", function (event) {
  var target = document.getElementById("autosave-status");
  if (target && event.detail.xhr) {
    target.textContent = event.detail.xhr.responseText;
    target.classList.add("text-danger");
  }
});
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.target.id === "autosave-status") { event.target.classList.remove("text-danger"); }
});
