/* The session's photos from the browser: one file a request, two at a time, a progress bar
   over all the bytes, three retries per file when the connection fails, and files the
   server already has (same number, name and size) skipped, so an interrupted upload is
   simply started again. Refusals (not a JPEG, broken, a number taken) are listed by file. */
(function () {
  "use strict";
  var form = document.getElementById("photo-upload");
  if (!form) return;
  var texts = {};
  document.getElementById("upload-texts").content.querySelectorAll("[data-key]").forEach(function (el) {
    texts[el.dataset.key] = el.textContent;
  });
  function fmt(text, params) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return params[key]; });
  }
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var input = form.querySelector("#id_files");
  var first = form.querySelector("#id_first");
  var progress = form.querySelector("[data-testid=progress]");
  var bar = progress.querySelector(".progress-bar");
  var status = form.querySelector("[data-testid=upload-status]");
  var errors = form.querySelector("[data-testid=upload-errors]");
  var retry = form.querySelector("[data-testid=retry]");
  var RETRIES = 3;
  var PARALLEL = 2;
  var jobs = [];

  function counts() {
    var c = { done: 0, uploaded: 0, skipped: 0, failed: 0, total: jobs.length, sent: 0, bytes: 0 };
    jobs.forEach(function (job) {
      c.bytes += job.file.size;
      c.sent += job.outcome ? job.file.size : job.sent;
      if (job.outcome) c.done += 1;
      if (job.outcome === "uploaded") c.uploaded += 1;
      if (job.outcome === "skipped") c.skipped += 1;
      if (job.outcome === "refused" || job.outcome === "network") c.failed += 1;
    });
    return c;
  }

  function draw() {
    var c = counts();
    var percent = c.bytes ? Math.round((100 * c.sent) / c.bytes) : 100;
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    progress.setAttribute("aria-valuenow", percent);
    status.textContent = fmt(texts.progress, c);
  }

  function refuse(job, message, outcome) {
    job.outcome = outcome || "refused";
    var li = document.createElement("li");
    li.textContent = job.number + " · " + job.file.name + ": " + message;
    li.dataset.testid = "upload-error";
    errors.appendChild(li);
    job.line = li;
  }

  function send(job) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.dataset.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.upload.onprogress = function (event) { job.sent = event.loaded; draw(); };
      xhr.onload = function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
        resolve({ status: xhr.status, body: body });
      };
      xhr.onerror = function () { resolve({ status: 0, body: {} }); };
      var data = new FormData();
      data.append("number", job.number);
      data.append("file", job.file, job.file.name);
      xhr.send(data);
    });
  }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  async function run(job) {
    for (var attempt = 0; attempt <= RETRIES; attempt += 1) {
      if (attempt) await wait(500 * Math.pow(2, attempt - 1));
      job.sent = 0;
      var answer = await send(job);
      if (answer.status === 200) { job.outcome = answer.body.status; return; }
      if (answer.status && answer.status < 500) {
        refuse(job, answer.body.error || String(answer.status));
        return;
      }
    }
    refuse(job, texts.network, "network");
  }

  async function worker(queue) {
    while (queue.length) {
      var job = queue.shift();
      await run(job);
      draw();
    }
  }

  async function upload(queue) {
    retry.hidden = true;
    progress.hidden = false;
    draw();
    var workers = [];
    for (var i = 0; i < PARALLEL; i += 1) workers.push(worker(queue));
    await Promise.all(workers);
    var c = counts();
    status.textContent = fmt(texts.done, c);
    retry.hidden = !jobs.some(function (job) { return job.outcome === "network"; });
  }

  function isJpeg(file) {
    return file.type === "image/jpeg" || /\.jpe?g$/i.test(file.name);
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files);
    errors.textContent = "";
    if (!files.length) { status.textContent = texts.none; return; }
    files.sort(function (a, b) { return a.name.localeCompare(b.name, undefined, { numeric: true }); });
    var start = Math.max(1, parseInt(first.value, 10) || 1);
    var there = {};
    try {
      var response = await fetch(form.dataset.listUrl, { credentials: "same-origin" });
      if (response.ok) there = (await response.json()).photos;
    } catch (e) { there = {}; }
    jobs = files.map(function (file, index) {
      return { file: file, number: start + index, sent: 0, outcome: null };
    });
    var queue = [];
    jobs.forEach(function (job) {
      var known = there[job.number];
      if (!isJpeg(job.file)) refuse(job, fmt(texts.notjpeg, { name: job.file.name }));
      else if (known && known.name === job.file.name && known.size === job.file.size) job.outcome = "skipped";
      else queue.push(job);
    });
    await upload(queue);
  });

  retry.addEventListener("click", function () {
    var again = jobs.filter(function (job) { return job.outcome === "network"; });
    again.forEach(function (job) { job.line.remove(); job.outcome = null; job.sent = 0; });
    upload(again);
  });
})();
