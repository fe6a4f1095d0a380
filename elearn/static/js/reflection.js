/* Reflection answers: saved while the learner types (after a short pause) and when the page is hidden or
 * closed (navigator.sendBeacon), so a closed tab loses nothing. Configuration comes from data- attributes
 * (the Content-Security-Policy forbids inline scripts). Without JavaScript the form's buttons still work. */
(function () {
  "use strict";

  function setup(form) {
    if (form.dataset.reflectionReady) { return; }
    form.dataset.reflectionReady = "1";
    var url = form.dataset.reflectionAutosave;
    var delay = parseInt(form.dataset.delay, 10) || 1200;
    var failed = form.dataset.failedMessage;  // in the page's language
    var textarea = form.querySelector("textarea");
    var status = form.querySelector("[data-reflection-status]");
    var blockers = form.querySelector("[data-share-blockers]");
    var token = form.querySelector("input[name=csrf_token]").value;
    var saved = textarea.value;
    var timer = null;
    var inflight = false;
    var again = false;

    function dirty() { return textarea.value !== saved; }

    function showBlockers(messages) {
      if (!blockers || !messages) { return; }
      var list = blockers.querySelector("ul");
      list.textContent = "";
      messages.forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
      blockers.hidden = messages.length === 0;
    }

    function save() {
      timer = null;
      if (!dirty()) { return; }
      if (inflight) { again = true; return; }
      inflight = true;
      var text = textarea.value;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ text: text })
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok || !data.ok) { throw new Error(data.message || ""); }
          return data;
        });
      }).then(function (data) {
        saved = text;
        status.textContent = data.message;
        showBlockers(data.share_blockers);
        form.querySelectorAll("[data-share-stale]").forEach(function (element) {
          element.hidden = !data.shared || data.shared_is_current;
        });
      }).catch(function (error) {
        status.textContent = error.message ? error.message : failed;
      }).then(function () {
        inflight = false;
        if (again) { again = false; save(); }
      });
    }

    function sendNow() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (!dirty() || !navigator.sendBeacon) { return; }
      var data = new FormData();
      data.append("text", textarea.value);
      data.append("csrf_token", token);
      if (navigator.sendBeacon(url, data)) { saved = textarea.value; }
    }

    textarea.addEventListener("input", function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, delay);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { sendNow(); }
    });
    window.addEventListener("pagehide", sendNow);
    /* A button posts the whole form: the text goes with it, nothing is left for the beacon to send. */
    form.addEventListener("submit", function () {
      if (timer) { clearTimeout(timer); timer = null; }
      saved = textarea.value;
    });
  }

  document.querySelectorAll("form[data-reflection-autosave]").forEach(setup);
}());
