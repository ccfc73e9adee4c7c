/* The couple's photos at home, on a phone: one tap on ♥ marks or unmarks a favourite
   (the state wanted is sent, and a tile ignores taps while its answer is on the way, so a
   double tap marks once); a tap on the photo opens it large with its heart and a note.
   Images load as they scroll into view (loading="lazy"). Without this script the hearts
   are plain forms. */
(function () {
  "use strict";
  var section = document.getElementById("photos");
  if (!section) return;
  var grid = section.querySelector(".home-grid");
  var tiles = Array.prototype.slice.call(grid.querySelectorAll(".home-tile"));
  var count = section.querySelector("[data-testid=favourite-count]");
  var viewer = document.getElementById("home-viewer");
  var image = viewer.querySelector("img");
  var number = viewer.querySelector("[data-role=number]");
  var heart = viewer.querySelector("[data-action=heart]");
  var noteForm = viewer.querySelector("[data-role=note-form]");
  var noteInput = noteForm.querySelector("input");
  var status = viewer.querySelector("[data-role=note-status]");
  var only = section.querySelector("[data-action=only-favourites]");
  var token = section.querySelector("input[name=csrfmiddlewaretoken]");
  var current = -1;
  var busy = new Set();

  function post(url, fields) {
    var data = new FormData();
    Object.keys(fields).forEach(function (key) { data.append(key, fields[key]); });
    data.append("csrfmiddlewaretoken", token ? token.value : "");
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.error || response.statusText);
        return body;
      });
    });
  }

  function draw(tile, answer) {
    var on = !!answer.favourite;
    tile.classList.toggle("is-favourite", on);
    tile.dataset.note = answer.note || "";
    var button = tile.querySelector(".home-heart");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    tile.querySelector("input[name=favourite]").value = on ? "no" : "yes";
    if (typeof answer.count === "number") count.textContent = answer.count;
    if (current >= 0 && tiles[current] === tile) drawViewer();
  }

  function mark(tile) {
    if (busy.has(tile)) return;
    busy.add(tile);
    var want = !tile.classList.contains("is-favourite");
    var form = tile.querySelector("form");
    post(form.action, { favourite: want ? "yes" : "no" })
      .then(function (answer) { draw(tile, answer); })
      .catch(function (error) { window.alert(error.message); })
      .finally(function () { busy.delete(tile); });
  }

  function drawViewer() {
    var tile = tiles[current];
    number.textContent = tile.dataset.number;
    heart.setAttribute("aria-pressed", tile.classList.contains("is-favourite") ? "true" : "false");
  }

  function show(index) {
    current = (index + tiles.length) % tiles.length;
    var tile = tiles[current];
    image.src = tile.dataset.image;
    noteInput.value = tile.dataset.note || "";
    status.textContent = "";
    drawViewer();
    viewer.hidden = false;
  }

  function close() {
    viewer.hidden = true;
    if (current >= 0) tiles[current].scrollIntoView({ block: "nearest" });
    current = -1;
  }

  grid.addEventListener("submit", function (event) {
    event.preventDefault();
    mark(event.target.closest(".home-tile"));
  });
  grid.addEventListener("click", function (event) {
    var tile = event.target.closest(".home-tile");
    if (tile && event.target.closest(".home-open")) show(tiles.indexOf(tile));
  });
  viewer.addEventListener("click", function (event) {
    var action = event.target.closest("[data-action]");
    if (!action) return;
    var name = action.dataset.action;
    if (name === "prev") show(current - 1);
    if (name === "next") show(current + 1);
    if (name === "heart") mark(tiles[current]);
    if (name === "close") close();
  });
  noteForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var tile = tiles[current];
    post(tile.dataset.noteUrl, { note: noteInput.value })
      .then(function (answer) {
        draw(tile, answer);
        var caption = tile.querySelector("figcaption");
        caption.textContent = tile.dataset.number + (answer.note ? " ✎" : "");
        status.textContent = status.dataset.saved;
      })
      .catch(function (error) { status.textContent = error.message; });
  });
  only.addEventListener("click", function () {
    var on = only.getAttribute("aria-pressed") !== "true";
    only.setAttribute("aria-pressed", on ? "true" : "false");
    only.classList.toggle("active", on);
    grid.classList.toggle("only-favourites", on);
  });
  document.addEventListener("keydown", function (event) {
    if (viewer.hidden || event.target === noteInput) return;
    if (event.key === "Escape") close();
    else if (event.key === "ArrowRight") show(current + 1);
    else if (event.key === "ArrowLeft") show(current - 1);
  });
  var touch = null;
  viewer.querySelector(".home-stage").addEventListener("touchstart", function (event) {
    if (event.touches.length === 1) touch = { x: event.touches[0].clientX, y: event.touches[0].clientY };
  }, { passive: true });
  viewer.querySelector(".home-stage").addEventListener("touchend", function (event) {
    if (!touch) return;
    var dx = event.changedTouches[0].clientX - touch.x;
    var dy = event.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
  });
})();
