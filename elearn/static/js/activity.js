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
  /* The tab's state since lastTick: a segment is counted by the state it had, not the state at its end
   * (when the tab is hidden, the seconds read just before still count). */
  var visible = document.visibilityState === "visible";

  function payload() {
    return { module: reader.dataset.module, section: reader.dataset.section, seconds: Math.round(pending) };
  }

  /* Count the segment since lastTick: while visible, up to IDLE_LIMIT after the last interaction, and no
   * more than one interval (a computer waking from sleep does not report the time it slept). */
  function tick() {
    var now = Date.now();
    var activeUntil = Math.min(now, lastInteraction + IDLE_LIMIT);
    if (visible && activeUntil > lastTick) {
      pending += Math.min((activeUntil - lastTick) / 1000, interval / 1000 + 1);
    }
    lastTick = now;
  }

  function interacted() {
    var now = Date.now();
    if (now - lastInteraction >= IDLE_LIMIT) { tick(); }  /* close the idle stretch before resuming */
    lastInteraction = now;
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
    window.addEventListener(name, interacted, { passive: true });
  });
  document.addEventListener("visibilitychange", function () {
    tick();
    visible = document.visibilityState === "visible";
    if (visible) { lastInteraction = Date.now(); } else { send(true); }
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
