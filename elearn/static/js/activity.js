/* Active time on task: counts seconds while the tab is visible and the learner has interacted in the
 * last IDLE_LIMIT seconds, and sends them in small heartbeats. The server caps every heartbeat, so this
 * script cannot inflate anything: it only reports less when the learner is away. */
(function () {
  "use strict";
  var reader = document.querySelector("[data-activity-url]");
  if (!reader) { return; }
  var url = reader.dataset.activityUrl;
  var interval = (parseInt(reader.dataset.interval, 10) || 15) * 1000;
  var IDLE_LIMIT = 120 * 1000;
  var lastInteraction = Date.now();
  var pending = 0;
  var lastTick = Date.now();

  function payload() {
    return { module: reader.dataset.module, section: reader.dataset.section, seconds: Math.round(pending) };
  }

  function tick() {
    var now = Date.now();
    var delta = (now - lastTick) / 1000;
    lastTick = now;
    if (document.visibilityState === "visible" && now - lastInteraction < IDLE_LIMIT) {
      pending += Math.min(delta, interval / 1000 + 1);
    }
  }

  function send(useBeacon) {
    tick();
    if (pending < 1) { return; }
    var data = payload();
    pending = 0;
    if (useBeacon && navigator.sendBeacon) {
      var form = new FormData();
      form.append("module", data.module);
      form.append("section", data.section);
      form.append("seconds", String(data.seconds));
      form.append("csrf_token", reader.dataset.csrf);
      navigator.sendBeacon(url, form);
      return;
    }
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": reader.dataset.csrf },
      body: JSON.stringify(data)
    }).catch(function () { /* offline: the seconds are lost rather than counted twice */ });
  }

  ["pointermove", "pointerdown", "keydown", "scroll", "touchstart", "focusin"].forEach(function (name) {
    window.addEventListener(name, function () { lastInteraction = Date.now(); }, { passive: true });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { send(true); } else { lastTick = Date.now(); lastInteraction = Date.now(); }
  });
  window.addEventListener("pagehide", function () { send(true); });
  setInterval(function () { send(false); }, interval);

  /* A quiz form is sent once: a double click does not post it twice (the server also refuses it). */
  document.querySelectorAll("form.quiz-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-once]");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
}());
