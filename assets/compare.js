// The compare page's keyboard and synchronised panning (ui/pages/compare.py).
// Left/right: the previous/next pair of versions; 1-5: the views; + - 0: zoom. Keys typed into a
// field are left alone. Scrolling one side of "side by side" scrolls the other to the same place.
(function () {
  if (window.__damCompare) return;
  window.__damCompare = true;
  var keys = {ArrowLeft: "compare-prev", ArrowRight: "compare-next", "+": "zoom-in", "=": "zoom-in", "-": "zoom-out", "0": "zoom-reset"};
  document.addEventListener("keydown", function (event) {
    if (!document.getElementById("compare-page")) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var id = /^[1-5]$/.test(event.key) ? "view-" + event.key : keys[event.key];
    var button = id && document.getElementById(id);
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
  var syncing = false;
  document.addEventListener("scroll", function (event) {
    var source = event.target;
    if (syncing || !source.classList || !source.classList.contains("dam-sync")) return;
    syncing = true;
    document.querySelectorAll(".dam-sync").forEach(function (other) {
      if (other !== source) {
        other.scrollLeft = source.scrollLeft;
        other.scrollTop = source.scrollTop;
      }
    });
    syncing = false;
  }, true);
})();
