/* Approve and reject on the review queue without reloading it: the coordinator keeps their place.
   Without JavaScript the same forms post and come back to the same match (#match-N). */
(function () {
  "use strict";
  function settle(item, data) {
    var badge = item.querySelector("[data-status]");
    if (badge && data.status) {
      badge.textContent = data.status_label;
      badge.className = "badge status-" + data.status;
    }
    item.querySelectorAll("[data-actions], details.reject, input[name=match]").forEach(function (el) { el.remove(); });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-inplace]") || !window.fetch) { return; }
    event.preventDefault();
    var item = form.closest("li.match");
    var result = item.querySelector(".inplace-result");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"X-Inplace": "1", "Accept": "application/json"}})
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (pair) {
        result.textContent = pair[1].message;
        result.className = "inplace-result message " + (pair[0] ? "success" : "error");
        if (pair[0]) { settle(item, pair[1]); } else { button.disabled = false; }
      })
      .catch(function () { form.submit(); });
  });
}());
