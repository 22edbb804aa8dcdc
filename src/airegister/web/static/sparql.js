// Enhances the SPARQL query form; the page works the same without it.
// Ctrl+Enter (or Cmd+Enter) in the query box runs the query.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var query = document.getElementById("query");
  var hint = document.getElementById("shortcut");
  if (!form || !query) {
    return;
  }
  if (hint) {
    hint.hidden = false;
  }
  query.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }
  });
})();
