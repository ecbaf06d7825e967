// Autosave of the self-evaluation form (htmx posts the form while the reporter types).
// One save at a time per page: autosaves queue (hx-sync), and pressing "Save draft" or
// "Submit" while an autosave is under way waits for it, then submits.
(function () {
  var form = document.getElementById("evaluation-form");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var inFlight = 0;
  var submitting = false;
  var waitingSubmitter = null;

  form.addEventListener("htmx:beforeRequest", function (event) {
    if (submitting) { event.preventDefault(); return; }
    inFlight += 1;
  });
  form.addEventListener("htmx:afterRequest", function () {
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0 && waitingSubmitter) {
      var submitter = waitingSubmitter;
      waitingSubmitter = null;
      form.requestSubmit(submitter);
    }
  });
  form.addEventListener("submit", function (event) {
    submitting = true;
    if (inFlight > 0) {
      event.preventDefault();
      waitingSubmitter = event.submitter || null;
    }
  });
  // A conflict (409: a colleague saved meanwhile) is shown on the page: their answers beside the reporter's.
  form.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // htmx does not swap other 4xx answers: show the server's explanation (e.g. an expired session).
  form.addEventListener("htmx:responseError", function (event) {
    if (status && event.detail.xhr) {
      status.textContent = event.detail.xhr.responseText;
      status.classList.add("text-danger");
    }
  });
  form.addEventListener("htmx:afterSwap", function () {
    if (status) { status.classList.remove("text-danger"); }
  });
})();
