/* Where a package keeps the learner's progress: the LMS through the SCORM API it exposes (window.API for
 * SCORM 1.2, window.API_1484_11 for 2004), or this browser's localStorage (the offline edition, or a SCORM
 * package opened without an LMS). Both stores take the same calls: start, save, interactions, finish.
 * Reflection answers are only ever kept in localStorage. window.ElearnStores. */
(function () {
  "use strict";
  var STORAGE_PREFIX = "elearn-paquet:";
  var rules = window.ElearnRules;
  var isComplete = rules.isComplete;
  var isFailed = rules.isFailed;
  var moduleScore = rules.moduleScore;
  var encodeState = rules.encodeState;
  var decodeState = rules.decodeState;

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function readLocal(key) {
    var store = storage();
    if (!store) { return null; }
    try { return JSON.parse(store.getItem(STORAGE_PREFIX + key) || "null"); } catch (error) { return null; }
  }

  function writeLocal(key, value) {
    var store = storage();
    if (!store) { return false; }
    try { store.setItem(STORAGE_PREFIX + key, JSON.stringify(value)); return true; } catch (error) { return false; }
  }

  function reflectionKey(module, id) { return module.slug + ":reflexion:" + id; }

  function reflectionText(module, id) {
    var saved = readLocal(reflectionKey(module, id));
    return saved && typeof saved.text === "string" ? saved.text : "";
  }

  function findApi(name) {
    function climb(win) {
      for (var depth = 0; win && depth < 10; depth++) {
        try { if (win[name]) { return win[name]; } } catch (error) { /* another origin: look further up */ }
        if (win.parent === win) { break; }
        win = win.parent;
      }
      return null;
    }
    return climb(window) || (window.opener ? climb(window.opener) : null);
  }

  function pad(number, width) { return String(number).padStart(width || 2, "0"); }

  function scorm12Time(seconds) {
    var total = Math.max(0, Math.round(seconds));
    return pad(Math.min(9999, Math.floor(total / 3600)), 2) + ":" + pad(Math.floor(total % 3600 / 60)) + ":" + pad(total % 60);
  }

  function scorm2004Duration(seconds) {
    var total = Math.max(0, Math.round(seconds));
    return "PT" + Math.floor(total / 3600) + "H" + Math.floor(total % 3600 / 60) + "M" + (total % 60) + "S";
  }

  function clockTime(date) { return pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()); }

  function timestamp(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" + clockTime(date);
  }

  /* The names each SCORM version gives to the same data. */
  var SCORM = {
    scorm12: {
      api: "API", init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish",
      location: "cmi.core.lesson_location", entry: "cmi.core.entry", exit: "cmi.core.exit", sessionTime: "cmi.core.session_time",
      score: "cmi.core.score", time: scorm12Time, response: "student_response", wrong: "wrong", separator: ",",
      choice: function (id) { return String.fromCharCode(96 + parseInt(id.slice(1), 10)); },  /* c1 -> a: 1.2 wants one character */
      normalExit: ""
    },
    scorm2004: {
      api: "API_1484_11", init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate",
      location: "cmi.location", entry: "cmi.entry", exit: "cmi.exit", sessionTime: "cmi.session_time",
      score: "cmi.score", time: scorm2004Duration, response: "learner_response", wrong: "incorrect", separator: "[,]",
      choice: function (id) { return id; },
      normalExit: "normal"
    }
  };

  function ScormStore(api, names, limit) {
    this.api = api;
    this.names = names;
    this.limit = limit;
    this.finished = false;
  }
  ScormStore.prototype.call = function (method, a, b) {
    try { return this.api[method](a === undefined ? "" : a, b); } catch (error) { return ""; }
  };
  ScormStore.prototype.get = function (element) { return String(this.call(this.names.get, element) || ""); };
  ScormStore.prototype.set = function (element, value) { return this.call(this.names.set, element, String(value)); };
  ScormStore.prototype.start = function () {
    var started = String(this.call(this.names.init)) === "true";
    var state = decodeState(this.get("cmi.suspend_data"));
    return { ok: started, state: state, location: this.get(this.names.location), resumed: this.get(this.names.entry) === "resume" };
  };
  ScormStore.prototype.save = function (module, state, location, seconds, commit) {
    var n = this.names;
    var complete = isComplete(module, state);
    var failed = !complete && isFailed(module, state);
    if (n.api === "API") {
      var status = complete ? (module.quizzes.length ? "passed" : "completed") : (failed ? "failed" : "incomplete");
      this.set("cmi.core.lesson_status", status);
    } else {
      this.set("cmi.completion_status", complete ? "completed" : "incomplete");
      this.set("cmi.success_status", complete ? "passed" : (failed ? "failed" : "unknown"));
    }
    var score = moduleScore(module, state);
    if (score !== null) {
      this.set(n.score + ".min", 0);
      this.set(n.score + ".max", 100);
      this.set(n.score + ".raw", score);
      if (n.api === "API_1484_11") { this.set("cmi.score.scaled", Math.round(score * 10) / 1000); }
    }
    if (location) { this.set(n.location, location); }
    this.set("cmi.suspend_data", encodeState(state, this.limit));
    this.set(n.sessionTime, n.time(seconds));
    this.set(n.exit, complete ? n.normalExit : "suspend");
    if (commit) { this.call(n.commit); }
  };
  /* One interaction per question answered, with the learner's response and the result. */
  ScormStore.prototype.interactions = function (quiz, result) {
    var n = this.names;
    var now = new Date();
    var self = this;
    result.questions.forEach(function (answer) {
      var question = quiz.questions.filter(function (q) { return q.id === answer.id; })[0];
      var index = parseInt(self.get("cmi.interactions._count"), 10) || 0;
      var prefix = "cmi.interactions." + index + ".";
      self.set(prefix + "id", quiz.id + "-" + answer.id);
      self.set(prefix + "type", "choice");
      if (n.api === "API") {
        self.set(prefix + "time", clockTime(now));
      } else {
        self.set(prefix + "timestamp", timestamp(now));
        self.set(prefix + "description", question.prompt);
      }
      self.set(prefix + "weighting", answer.weight);
      self.set(prefix + "correct_responses.0.pattern", question.correct.map(n.choice).join(n.separator));
      self.set(prefix + n.response, answer.picked.map(n.choice).join(n.separator));
      self.set(prefix + "result", answer.correct ? "correct" : n.wrong);
    });
  };
  ScormStore.prototype.finish = function (module, state, location, seconds) {
    if (this.finished) { return; }
    this.save(module, state, location, seconds, true);
    this.finished = true;
    this.call(this.names.finish);
  };

  /* The offline edition (and a SCORM package opened without an LMS): this browser's localStorage. */
  function LocalStore(module) { this.module = module; this.counted = 0; }
  LocalStore.prototype.start = function () {
    var saved = readLocal(this.module.slug) || {};
    this.saved = saved;
    return { ok: true, state: decodeState(saved.state), location: saved.location || "", resumed: !!saved.location };
  };
  LocalStore.prototype.save = function (module, state, location, seconds) {
    var now = new Date().toISOString();
    var saved = this.saved;
    saved.state = encodeState(state, null);
    if (location) { saved.location = location; }
    saved.seconds = (saved.seconds || 0) + (seconds - this.counted);  /* seconds: this visit's total so far */
    this.counted = seconds;
    saved.first = saved.first || now;
    saved.last = now;
    saved.completed = saved.completed || (isComplete(module, state) ? now : null);
    saved.score = moduleScore(module, state);
    saved.version = module.version;
    writeLocal(module.slug, saved);
  };
  LocalStore.prototype.interactions = function () { /* the offline edition keeps the best attempt only */ };
  LocalStore.prototype.finish = function (module, state, location, seconds) { this.save(module, state, location, seconds); };

  /* The store of a module page: the LMS's when ``format`` is SCORM and the LMS answers, else this browser's. */
  function open(module, format, limit) {
    var names = SCORM[format];
    var api = names ? findApi(names.api) : null;
    if (api) {
      var store = new ScormStore(api, names, limit);
      var started = store.start();
      if (started.ok) { return { store: store, started: started, lms: true }; }
    }
    var local = new LocalStore(module);
    return { store: local, started: local.start(), lms: !names };
  }

  window.ElearnStores = {
    open: open, readLocal: readLocal, writeLocal: writeLocal, reflectionText: reflectionText, reflectionKey: reflectionKey,
    scorm12Time: scorm12Time, scorm2004Duration: scorm2004Duration
  };
}());
