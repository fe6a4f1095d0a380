/* Active time on task, counted the same way for the web reader (activity.js) and the packages (player.js):
 * seconds count while the tab is visible and the learner has interacted in the last IDLE_LIMIT seconds,
 * and a segment counts at most maxSegmentSeconds (a computer waking from sleep does not report the time
 * it slept). window.ElearnActiveTime(maxSegmentSeconds, onHidden) returns a clock whose pending() says
 * the seconds counted and not yet taken, and take(n) removes n of them. */
(function () {
  "use strict";
  var IDLE_LIMIT = 120 * 1000;

  window.ElearnActiveTime = function (maxSegmentSeconds, onHidden) {
    var lastInteraction = Date.now();
    var pending = 0;
    var lastTick = Date.now();
    /* The tab's state since lastTick: a segment is counted by the state it had, not the state at its end
     * (when the tab is hidden, the seconds read just before still count). */
    var visible = document.visibilityState === "visible";

    /* Count the segment since lastTick: while visible, up to IDLE_LIMIT after the last interaction. */
    function tick() {
      var now = Date.now();
      var activeUntil = Math.min(now, lastInteraction + IDLE_LIMIT);
      if (visible && activeUntil > lastTick) {
        pending += Math.min((activeUntil - lastTick) / 1000, maxSegmentSeconds);
      }
      lastTick = now;
    }

    function interacted() {
      var now = Date.now();
      if (now - lastInteraction >= IDLE_LIMIT) { tick(); }  /* close the idle stretch before resuming */
      lastInteraction = now;
    }

    ["pointermove", "pointerdown", "keydown", "scroll", "touchstart", "focusin"].forEach(function (name) {
      window.addEventListener(name, interacted, { passive: true });
    });
    document.addEventListener("visibilitychange", function () {
      tick();
      visible = document.visibilityState === "visible";
      if (visible) { lastInteraction = Date.now(); } else if (onHidden) { onHidden(); }
    });

    return {
      pending: function () { tick(); return pending; },
      take: function (seconds) { pending = Math.max(0, pending - seconds); }
    };
  };
}());
