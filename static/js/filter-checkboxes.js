// Narrow a long list of checkboxes as the volunteer types. Without JavaScript the full list simply shows.
(function () {
  document.querySelectorAll("input[data-filter-target]").forEach(function (box) {
    var list = document.getElementById(box.getAttribute("data-filter-target"));
    if (!list) { return; }
    var status = document.createElement("p");
    status.className = "helptext";
    status.setAttribute("role", "status");
    box.insertAdjacentElement("afterend", status);
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      var shown = 0;
      list.querySelectorAll("label").forEach(function (label) {
        var match = !needle || label.textContent.toLowerCase().indexOf(needle) !== -1;
        var row = label.parentElement === list ? label : label.parentElement;
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = needle ? shown + " skill" + (shown === 1 ? "" : "s") + " shown" : "";
    });
  });
})();
