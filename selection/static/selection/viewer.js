/* The selection on the big screen: thumbnails loaded as they scroll into view, a
   full-screen viewer (← → Esc + − Space, swipe), two to four photos side by side, and one
   tap to put a photo in or out of the current pass through the same form as typed numbers
   (selection:picks), whose answer replaces the workspace with its counts and upsell. */
(function () {
  "use strict";
  var box = document.getElementById("photo-grid-box");
  if (!box) return;
  var grid = box.querySelector(".photo-grid");
  var tiles = Array.prototype.slice.call(grid.querySelectorAll(".photo-tile"));
  var byNumber = {};
  tiles.forEach(function (tile) { byNumber[tile.dataset.number] = tile; });
  var viewer = document.getElementById("photo-viewer");
  var image = viewer.querySelector("img");
  var label = viewer.querySelector("[data-testid=viewer-number]");
  var noteLabel = viewer.querySelector("[data-testid=viewer-note]");
  var compare = document.getElementById("photo-compare");
  var stage = compare.querySelector(".compare-stage");
  var compareButton = box.querySelector("[data-action=compare]");
  var compareMode = box.querySelector("[data-action=compare-mode]");
  var csrf = document.body.getAttribute("hx-headers");
  csrf = csrf ? JSON.parse(csrf)["X-CSRFToken"] : "";
  var picked = new Set();
  var current = -1;
  var zoom = 1;
  var chosen = [];

  // Thumbnails: only those within a screen of the grid's visible part are asked for.
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      var img = entry.target;
      img.src = img.dataset.src;
      observer.unobserve(img);
    });
  }, { root: grid, rootMargin: "200px 0px" });
  grid.querySelectorAll("img[data-src]").forEach(function (img) { observer.observe(img); });

  function sync() {
    var workspace = document.getElementById("workspace");
    var list = workspace && workspace.dataset.picked ? workspace.dataset.picked.split(",") : [];
    picked = new Set(list);
    tiles.forEach(function (tile) {
      var on = picked.has(tile.dataset.number);
      tile.classList.toggle("is-picked", on);
      var button = tile.querySelector(".photo-pick");
      if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (current >= 0) viewer.classList.toggle("is-picked", picked.has(tiles[current].dataset.number));
  }

  function toggle(number) {
    if (!box.dataset.editable) return Promise.resolve();
    var data = new FormData();
    data.append("numbers", number);
    data.append("pass_kind", box.dataset.pass);
    data.append("action", picked.has(String(number)) ? "unpick" : "pick");
    data.append("retouch", "on");
    return fetch(box.dataset.picksUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": csrf },
    }).then(function (response) { return response.text(); }).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var fresh = holder.firstElementChild;
      var old = document.getElementById("workspace");
      if (fresh && old) {
        old.replaceWith(fresh);
        if (window.htmx) window.htmx.process(fresh);
      }
      sync();
    });
  }

  function show(index) {
    var ready = tiles.filter(function (tile) { return tile.dataset.preview; });
    if (!ready.length) return;
    current = (index + tiles.length) % tiles.length;
    while (!tiles[current].dataset.preview) current = (current + 1) % tiles.length;
    var tile = tiles[current];
    setZoom(1);
    image.src = tile.dataset.preview;
    label.textContent = tile.dataset.number + (tile.classList.contains("is-favourite") ? " ♥" : "");
    noteLabel.textContent = tile.dataset.note || "";
    viewer.hidden = false;
    viewer.classList.toggle("is-picked", picked.has(tile.dataset.number));
  }

  function step(by) {
    var index = current;
    do { index = (index + by + tiles.length) % tiles.length; } while (!tiles[index].dataset.preview);
    show(index);
    tiles[current].scrollIntoView({ block: "nearest" });
  }

  function setZoom(value) {
    zoom = Math.min(4, Math.max(1, value));
    if (zoom === 1) {
      image.style.width = "";
      image.style.maxWidth = "";
      image.style.maxHeight = "";
    } else {
      var base = image.dataset.base || image.getBoundingClientRect().width;
      image.dataset.base = base;
      image.style.maxWidth = "none";
      image.style.maxHeight = "none";
      image.style.width = base * zoom + "px";
    }
    if (zoom === 1) delete image.dataset.base;
    viewer.dataset.zoom = zoom;
  }

  function close() {
    viewer.hidden = true;
    compare.hidden = true;
    current = -1;
  }

  function chooseForCompare(tile) {
    var at = chosen.indexOf(tile);
    if (at >= 0) chosen.splice(at, 1);
    else if (chosen.length < 4 && tile.dataset.preview) chosen.push(tile);
    drawChosen();
  }

  function drawChosen() {
    tiles.forEach(function (t) { t.classList.toggle("is-compared", chosen.indexOf(t) >= 0); });
    compareButton.querySelector("[data-role=compare-count]").textContent = chosen.length;
    compareButton.disabled = chosen.length < 2;
  }

  function showCompare() {
    stage.textContent = "";
    stage.classList.toggle("four", chosen.length > 2);
    chosen.forEach(function (tile) {
      var figure = document.createElement("figure");
      var img = document.createElement("img");
      img.src = tile.dataset.preview;
      img.alt = "";
      var caption = document.createElement("figcaption");
      caption.textContent = tile.dataset.number + (picked.has(tile.dataset.number) ? " ✓" : "");
      figure.appendChild(img);
      figure.appendChild(caption);
      stage.appendChild(figure);
    });
    compare.hidden = false;
  }

  grid.addEventListener("click", function (event) {
    var tile = event.target.closest(".photo-tile");
    if (!tile) return;
    if (event.target.closest(".photo-pick")) { toggle(tile.dataset.number); return; }
    if (compareMode.getAttribute("aria-pressed") === "true") { chooseForCompare(tile); return; }
    if (tile.dataset.preview) show(tiles.indexOf(tile));
  });
  compareMode.addEventListener("click", function () {
    var on = compareMode.getAttribute("aria-pressed") !== "true";
    compareMode.setAttribute("aria-pressed", on ? "true" : "false");
    compareMode.classList.toggle("active", on);
    if (!on) { chosen = []; drawChosen(); }
  });
  compareButton.addEventListener("click", showCompare);
  // The couple's favourites from home: the grid shows only those, or all again.
  var onlyFavourites = box.querySelector("[data-action=favourites-only]");
  if (onlyFavourites) onlyFavourites.addEventListener("click", function () {
    var on = onlyFavourites.getAttribute("aria-pressed") !== "true";
    onlyFavourites.setAttribute("aria-pressed", on ? "true" : "false");
    onlyFavourites.classList.toggle("active", on);
    grid.classList.toggle("only-favourites", on);
  });
  viewer.addEventListener("click", function (event) {
    var action = event.target.closest("[data-action]");
    if (!action) return;
    var name = action.dataset.action;
    if (name === "prev") step(-1);
    if (name === "next") step(1);
    if (name === "zoom-in") setZoom(zoom * 1.5);
    if (name === "zoom-out") setZoom(zoom / 1.5);
    if (name === "pick") toggle(tiles[current].dataset.number);
    if (name === "close") close();
  });
  compare.addEventListener("click", function (event) {
    if (event.target.closest("[data-action=close]")) close();
  });
  document.addEventListener("keydown", function (event) {
    if (viewer.hidden && compare.hidden) return;
    if (event.key === "Escape") { close(); event.preventDefault(); return; }
    if (viewer.hidden) return;
    if (event.key === "ArrowRight") step(1);
    else if (event.key === "ArrowLeft") step(-1);
    else if (event.key === "+" || event.key === "=") setZoom(zoom * 1.5);
    else if (event.key === "-") setZoom(zoom / 1.5);
    else if (event.key === " ") toggle(tiles[current].dataset.number);
    else return;
    event.preventDefault();
  });
  var touch = null;
  viewer.addEventListener("touchstart", function (event) {
    if (event.touches.length === 1) touch = { x: event.touches[0].clientX, y: event.touches[0].clientY };
  }, { passive: true });
  viewer.addEventListener("touchend", function (event) {
    if (!touch || zoom !== 1) { touch = null; return; }
    var dx = event.changedTouches[0].clientX - touch.x;
    var dy = event.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) step(dx < 0 ? 1 : -1);
  });
  // Typed numbers (the htmx form) change the picks too: follow the workspace.
  document.body.addEventListener("htmx:afterSwap", sync);
  sync();
})();
