/* Active-time heartbeats of the reader: the seconds active-time.js counts are sent every data-interval
 * seconds (a minute), and at once with a beacon when the page is hidden or left, so that leaving a page
 * never waits for the next heartbeat. The server caps every heartbeat, so this script cannot inflate
 * anything: it only reports less when the learner is away. */
(function () {
  "use strict";
  var reader = document.querySelector("[data-activity-url]");
  if (!reader || !window.ElearnActiveTime) { return; }
  var url = reader.dataset.activityUrl;
  var interval = (parseInt(reader.dataset.interval, 10) || 60) * 1000;
  var clock = window.ElearnActiveTime(interval / 1000 + 1, function () { send(true); });

  function send(useBeacon) {
    var pending = clock.pending();
    if (pending < 1) { return; }
    clock.take(pending);  /* the fraction rounded away is dropped, as it always was */
    var data = { module: reader.dataset.module, section: reader.dataset.section, seconds: Math.round(pending) };
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
