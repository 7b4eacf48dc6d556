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
  // Panning: the other side goes to the same place, as a share of its scrollable length (the two
  // pictures may differ in height). Scroll events caused by this arrive later; they are recognised
  // by the target already standing where it was sent, and not echoed back.
  var sent = new WeakMap();
  document.addEventListener("scroll", function (event) {
    var source = event.target;
    if (!source.classList || !source.classList.contains("dam-sync")) return;
    var mark = sent.get(source);
    sent.delete(source);
    if (mark && Math.abs(mark[0] - source.scrollLeft) < 2 && Math.abs(mark[1] - source.scrollTop) < 2) return;
    var x = source.scrollLeft / Math.max(1, source.scrollWidth - source.clientWidth);
    var y = source.scrollTop / Math.max(1, source.scrollHeight - source.clientHeight);
    document.querySelectorAll(".dam-sync").forEach(function (other) {
      if (other === source) return;
      var left = Math.round(x * (other.scrollWidth - other.clientWidth));
      var top = Math.round(y * (other.scrollHeight - other.clientHeight));
      sent.set(other, [left, top]);
      other.scrollLeft = left;
      other.scrollTop = top;
    });
  }, true);
})();
