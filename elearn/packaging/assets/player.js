/* The player of an elearn package (SCORM 1.2, SCORM 2004 or offline HTML edition).
 *
 * It shows a module one page at a time, scores quizzes with the server's rules (elearn/content/quiz.py:
 * a question scores its weight when exactly its correct choices are picked; elearn/learning/progress.py:
 * the best attempt counts, a module is complete when every section is read and every quiz passed), and
 * reports to the LMS through the SCORM API the LMS exposes (window.API or window.API_1484_11), or keeps
 * the progress in this browser's storage (offline edition, or no LMS found).
 *
 * Reflection answers never leave the browser: they are kept in localStorage only.
 * The test suite checks scoreQuiz against the server's scoring (tests/e2e/test_packages.py). */
(function () {
  "use strict";
  var node = document.getElementById("elearn-package");
  if (!node) { return; }
  var config = JSON.parse(node.textContent);
  var STORAGE_PREFIX = "elearn-paquet:";
  var COMMIT_INTERVAL = 30 * 1000;

  /* Scoring: the server's rules ------------------------------------------------------------------- */

  function sameSet(a, b) {
    if (a.length !== b.length) { return false; }
    return a.every(function (id) { return b.indexOf(id) !== -1; });
  }

  /* answers: question id -> picked choice ids. Ids the question does not have are ignored. */
  function scoreQuiz(quiz, answers) {
    var points = 0;
    var maxPoints = 0;
    var questions = quiz.questions.map(function (q) {
      var picked = (answers[q.id] || []).filter(function (id, i, all) {
        return q.choices.indexOf(id) !== -1 && all.indexOf(id) === i;
      }).sort();
      var correct = picked.length > 0 && sameSet(picked, q.correct);
      points += correct ? q.weight : 0;
      maxPoints += q.weight;
      return { id: q.id, correct: correct, picked: picked, weight: q.weight };
    });
    var percent = maxPoints ? Math.round(10000 * points / maxPoints) / 100 : 0;
    return { questions: questions, points: points, max: maxPoints, percent: percent };
  }

  /* Best points over maximum points across the module's quizzes, once every quiz was attempted. */
  function moduleScore(module, state) {
    var points = 0;
    var maxPoints = 0;
    for (var i = 0; i < module.quizzes.length; i++) {
      var best = state.quizzes[module.quizzes[i].id];
      if (!best) { return null; }
      points += best.points;
      maxPoints += best.max;
    }
    if (!module.quizzes.length) { return null; }
    return maxPoints ? Math.round(1000 * points / maxPoints) / 10 : 100;
  }

  function missing(module, state) {
    return {
      sections: module.sections.filter(function (s) { return !(s.id in state.read); }),
      quizzes: module.quizzes.filter(function (q) { return !(state.quizzes[q.id] && state.quizzes[q.id].passed); }),
      reflections: module.reflectionRequired ? module.reflections.filter(function (id) { return !reflectionText(module, id).trim(); }).length : 0
    };
  }

  function isComplete(module, state) {
    var left = missing(module, state);
    return !left.sections.length && !left.quizzes.length && !left.reflections;
  }

  /* A quiz failed with no attempt left: the module cannot be passed any more in this package. */
  function isFailed(module, state) {
    return module.maxAttempts !== null && module.quizzes.some(function (q) {
      var best = state.quizzes[q.id];
      return best && !best.passed && best.attempts >= module.maxAttempts;
    });
  }

  function statusOf(module, state) {
    if (isComplete(module, state)) { return "completed"; }
    if (module.quizzes.some(function (q) { return state.quizzes[q.id] && !state.quizzes[q.id].passed; })) { return "retake"; }
    return Object.keys(state.read).length || Object.keys(state.quizzes).length || state.started ? "in_progress" : "not_started";
  }

  function percentDone(module, state) {
    if (isComplete(module, state)) { return 100; }
    var total = module.sections.length + module.quizzes.length;
    var left = missing(module, state);
    return total ? Math.round(100 * (total - left.sections.length - left.quizzes.length) / total) : 0;
  }

  /* State and suspend_data ------------------------------------------------------------------------ */

  function emptyState() { return { read: {}, quizzes: {}, seq: 0, started: false }; }

  /* Entries in the order they last changed, oldest first: a read section ["r", id], a quiz
   * ["q", id, attempts, points, max, percent, passed]. When the text exceeds ``limit``, whole entries
   * are dropped from the oldest on, so what is kept is always valid and the newest is kept. */
  function encodeState(state, limit) {
    var entries = [];
    Object.keys(state.read).forEach(function (id) { entries.push([state.read[id], ["r", id]]); });
    Object.keys(state.quizzes).forEach(function (id) {
      var q = state.quizzes[id];
      entries.push([q.seq, ["q", id, q.attempts, q.points, q.max, q.percent, q.passed ? 1 : 0]]);
    });
    entries.sort(function (a, b) { return a[0] - b[0]; });
    var kept = entries.map(function (e) { return e[1]; });
    var text = JSON.stringify({ v: 1, e: kept });
    if (!limit || text.length <= limit) { return text; }
    var low = 0;
    var high = kept.length;
    while (low < high) {  /* the fewest oldest entries to drop for the text to fit */
      var middle = Math.floor((low + high) / 2);
      if (JSON.stringify({ v: 1, e: kept.slice(middle) }).length <= limit) { high = middle; } else { low = middle + 1; }
    }
    text = JSON.stringify({ v: 1, e: kept.slice(low) });
    return text.length <= limit ? text : "";
  }

  function decodeState(text) {
    var state = emptyState();
    var data;
    try { data = JSON.parse(text || "null"); } catch (error) { return state; }
    if (!data || data.v !== 1 || !Array.isArray(data.e)) { return state; }
    data.e.forEach(function (entry) {
      if (!Array.isArray(entry) || typeof entry[1] !== "string") { return; }
      state.seq += 1;
      if (entry[0] === "r") { state.read[entry[1]] = state.seq; }
      if (entry[0] === "q" && entry.length >= 7) {
        state.quizzes[entry[1]] = {
          attempts: +entry[2] || 0, points: +entry[3] || 0, max: +entry[4] || 0, percent: +entry[5] || 0,
          passed: entry[6] === 1, seq: state.seq
        };
      }
    });
    state.started = state.seq > 0;
    return state;
  }

  /* Storage: the LMS, or this browser ---------------------------------------------------------------- */

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

  /* The module page ------------------------------------------------------------------------------- */

  function ModulePlayer(module) {
    this.module = module;
    this.pages = Array.prototype.slice.call(document.querySelectorAll("[data-page]"));
    this.current = null;
    var names = SCORM[config.format];
    var api = names ? findApi(names.api) : null;
    this.store = api ? new ScormStore(api, names, config.suspendLimit) : new LocalStore(module);
    var started = this.store.start();
    if (!started.ok && api) {  /* the LMS refused to start: keep the learner's work in the browser */
      this.store = new LocalStore(module);
      started = this.store.start();
    }
    if (names && !(this.store instanceof ScormStore)) { document.querySelector("[data-no-lms]").hidden = false; }
    this.state = started.state;
    this.state.started = true;
    var self = this;
    this.clock = window.ElearnActiveTime ? window.ElearnActiveTime(31, function () { self.save(true); }) : null;
    this.sessionSeconds = 0;
    this.bindNavigation();
    this.bindQuizzes();
    this.bindReflections();
    this.refresh();
    var target = location.hash.slice(1) || (started.resumed ? started.location : "") || "accueil-module";
    this.show(target, false);
    if (started.resumed && started.location && this.pageIds().indexOf(started.location) > 0) {
      var start = document.querySelector("[data-start]");
      if (start) { start.textContent = start.dataset.resumeLabel + " →"; start.setAttribute("href", "#" + started.location); }
    }
    this.save(true);
    window.addEventListener("pagehide", function () { self.finish(); });
    setInterval(function () { self.save(true); }, COMMIT_INTERVAL);
  }

  ModulePlayer.prototype.pageIds = function () { return this.pages.map(function (p) { return p.dataset.page; }); };

  ModulePlayer.prototype.seconds = function () {
    if (this.clock) {
      var pending = this.clock.pending();
      this.clock.take(pending);
      this.sessionSeconds += pending;
    }
    return this.sessionSeconds;
  };

  ModulePlayer.prototype.save = function (commit) {
    if (this.finished) { return; }
    this.store.save(this.module, this.state, this.current, this.seconds(), commit);
  };

  ModulePlayer.prototype.finish = function () {
    if (this.finished) { return; }
    this.store.finish(this.module, this.state, this.current, this.seconds());
    this.finished = true;
  };

  ModulePlayer.prototype.bindNavigation = function () {
    var self = this;
    document.querySelectorAll("[data-next]").forEach(function (link) {
      link.addEventListener("click", function () { self.markRead(link.dataset.next); });
    });
    window.addEventListener("hashchange", function () { self.show(location.hash.slice(1), true); });
  };

  /* Show the page ``id``, or the page holding the element ``id`` (a footnote, an anchor in the text). */
  ModulePlayer.prototype.show = function (id, focus) {
    var target = id ? document.getElementById(id) : null;
    var page = target && target.closest("[data-page]");
    if (!page) { page = this.pages[0]; target = null; }
    var changed = this.current !== page.dataset.page;
    this.pages.forEach(function (p) { p.hidden = p !== page; });
    this.current = page.dataset.page;
    document.querySelectorAll("[data-toc]").forEach(function (link) {
      if (link.dataset.toc === page.dataset.page) { link.setAttribute("aria-current", "page"); } else { link.removeAttribute("aria-current"); }
    });
    if (target && target !== page) {
      target.scrollIntoView();
    } else if (focus || changed) {
      window.scrollTo(0, 0);
      var heading = page.querySelector("h1");
      if (focus && heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
    if (this.current === "fin-module") { this.showEnd(); }
    if (changed) { this.save(true); }
  };

  ModulePlayer.prototype.touch = function () { this.state.seq += 1; return this.state.seq; };

  ModulePlayer.prototype.markRead = function (sectionId) {
    if (!(sectionId in this.state.read)) { this.state.read[sectionId] = this.touch(); }
    this.refresh();
    this.save(true);
  };

  /* Table of contents ticks, progress bar and each quiz's best score. */
  ModulePlayer.prototype.refresh = function () {
    var state = this.state;
    document.querySelectorAll("[data-toc]").forEach(function (link) {
      var read = link.dataset.toc in state.read;
      link.parentNode.querySelectorAll("[data-tick], [data-read-label]").forEach(function (mark) { mark.hidden = !read; });
    });
    var percent = percentDone(this.module, state);
    document.querySelectorAll(".reader-toc progress").forEach(function (bar) { bar.value = percent; bar.textContent = percent + " %"; });
    document.querySelectorAll(".reader-toc .progress-value").forEach(function (label) { label.textContent = percent + " %"; });
    var module = this.module;
    document.querySelectorAll("[data-quiz]").forEach(function (section) {
      var best = state.quizzes[section.dataset.quiz];
      var line = section.querySelector("[data-quiz-best]");
      line.hidden = !best;
      if (best) { line.textContent = (best.passed ? line.dataset.passed : line.dataset.failed).replace("{score}", Math.round(best.percent)); }
      var closed = !!best && !best.passed && module.maxAttempts !== null && best.attempts >= module.maxAttempts;
      section.querySelector("[data-quiz-closed]").hidden = !closed;
      section.querySelector("[data-quiz-submit]").disabled = closed;
    });
  };

  ModulePlayer.prototype.showEnd = function () {
    var module = this.module;
    var left = missing(module, this.state);
    var complete = isComplete(module, this.state);
    document.querySelector("[data-done]").hidden = !complete;
    document.querySelector("[data-missing]").hidden = complete;
    var list = document.querySelector("[data-missing-list]");
    list.textContent = "";
    function add(templateName, values) {
      var item = document.querySelector("[data-missing-" + templateName + "]").content.firstElementChild.cloneNode(true);
      item.textContent = item.textContent.replace(/\{(\w+)\}/g, function (whole, key) { return values[key]; });
      list.appendChild(item);
    }
    left.sections.forEach(function (s) { add("section", { title: s.title }); });
    left.quizzes.forEach(function (q) { add("quiz", { title: q.title }); });
    if (left.reflections) { add("reflections", { count: left.reflections }); }
    var score = moduleScore(module, this.state);
    document.querySelector("[data-score-line]").hidden = score === null;
    document.querySelector("[data-module-score]").textContent = score === null ? "" : score.toLocaleString("fr-FR") + " %";
  };

  ModulePlayer.prototype.bindQuizzes = function () {
    var self = this;
    document.querySelectorAll("[data-quiz]").forEach(function (section) {
      var quiz = self.module.quizzes.filter(function (q) { return q.id === section.dataset.quiz; })[0];
      var form = section.querySelector("[data-quiz-form]");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        self.submitQuiz(quiz, section, form);
      });
      section.querySelector("[data-quiz-retry]").addEventListener("click", function () { self.resetQuiz(section, form); });
    });
  };

  ModulePlayer.prototype.submitQuiz = function (quiz, section, form) {
    var answers = {};
    var unanswered = [];
    quiz.questions.forEach(function (q) {
      answers[q.id] = Array.prototype.map.call(form.querySelectorAll('input[name="' + q.id + '"]:checked'), function (input) { return input.value; });
      var fieldset = document.getElementById(quiz.id + "-" + q.id);
      fieldset.classList.toggle("question-error", !answers[q.id].length);
      if (!answers[q.id].length) { unanswered.push(fieldset); }
    });
    var warning = section.querySelector("[data-quiz-missing]");
    warning.hidden = !unanswered.length;
    if (unanswered.length) { unanswered[0].scrollIntoView(); return; }
    var previous = this.state.quizzes[quiz.id];
    var attempts = previous ? previous.attempts : 0;
    if (this.module.maxAttempts !== null && attempts >= this.module.maxAttempts) { return; }
    var result = scoreQuiz(quiz, answers);
    var passed = result.percent >= this.module.passMark;
    var better = !previous || result.percent > previous.percent;  /* the best attempt counts, the earliest on ties */
    this.state.quizzes[quiz.id] = {
      attempts: attempts + 1,
      points: better ? result.points : previous.points,
      max: better ? result.max : previous.max,
      percent: better ? result.percent : previous.percent,
      passed: better ? passed : previous.passed,
      seq: this.touch()
    };
    this.store.interactions(quiz, result);
    this.showCorrection(quiz, section, form, result, passed, attempts + 1);
    this.refresh();
    this.save(true);
  };

  ModulePlayer.prototype.showCorrection = function (quiz, section, form, result, passed, number) {
    var box = section.querySelector("[data-quiz-result]");
    box.hidden = false;
    box.className = "result-summary " + (passed ? "is-pass" : "is-fail");
    box.querySelector("[data-score]").textContent = Math.round(result.percent) + " %";
    var verdict = box.querySelector("[data-verdict]");
    verdict.textContent = (passed ? verdict.dataset.pass : verdict.dataset.fail) + " " + verdict.dataset.attempt.replace("{number}", number);
    result.questions.forEach(function (answer) {
      var question = quiz.questions.filter(function (q) { return q.id === answer.id; })[0];
      var fieldset = document.getElementById(quiz.id + "-" + answer.id);
      fieldset.classList.add("correction", answer.correct ? "is-right" : "is-wrong");
      var mark = document.createElement("p");
      mark.className = "verdict";
      mark.setAttribute("data-correction", "");
      mark.textContent = answer.correct ? section.dataset.right : section.dataset.wrong;
      fieldset.insertBefore(mark, fieldset.querySelector(".hint"));
      fieldset.querySelectorAll(".choice").forEach(function (choice) {
        var input = choice.querySelector("input");
        var isCorrect = question.correct.indexOf(input.value) !== -1;
        var picked = answer.picked.indexOf(input.value) !== -1;
        input.disabled = true;
        choice.classList.toggle("is-correct", isCorrect);
        choice.classList.toggle("is-picked", picked);
        var feedback = choice.querySelector("[data-feedback]");
        if (feedback) { feedback.hidden = !(picked || isCorrect); }
        var tags = [];
        if (picked) { tags.push(["badge", section.dataset.pickedBadge]); }
        if (isCorrect) { tags.push(["badge badge-ok", section.dataset.correctBadge]); }
        tags.forEach(function (tag) {
          var badge = document.createElement("span");
          badge.className = tag[0];
          badge.setAttribute("data-correction", "");
          badge.textContent = tag[1];
          choice.querySelector("label").appendChild(document.createTextNode(" "));
          choice.querySelector("label").appendChild(badge);
        });
      });
      var explanation = fieldset.querySelector("[data-explanation]");
      if (explanation) { explanation.hidden = false; }
    });
    var best = this.state.quizzes[quiz.id];
    var closed = this.module.maxAttempts !== null && best.attempts >= this.module.maxAttempts;
    form.querySelector("[data-quiz-submit]").hidden = true;
    form.querySelector("[data-quiz-retry]").hidden = closed && !best.passed;
    box.scrollIntoView();
  };

  ModulePlayer.prototype.resetQuiz = function (section, form) {
    form.reset();
    section.querySelector("[data-quiz-result]").hidden = true;
    form.querySelectorAll("[data-correction]").forEach(function (mark) { mark.remove(); });
    form.querySelectorAll("[data-feedback], [data-explanation]").forEach(function (part) { part.hidden = true; });
    form.querySelectorAll(".question").forEach(function (fieldset) { fieldset.classList.remove("correction", "is-right", "is-wrong"); });
    form.querySelectorAll(".choice").forEach(function (choice) { choice.classList.remove("is-correct", "is-picked"); });
    form.querySelectorAll("input").forEach(function (input) { input.disabled = false; });
    form.querySelector("[data-quiz-submit]").hidden = false;
    form.querySelector("[data-quiz-retry]").hidden = true;
    this.refresh();
    form.querySelector("input").focus();
  };

  ModulePlayer.prototype.bindReflections = function () {
    var self = this;
    document.querySelectorAll("[data-reflection]").forEach(function (section) {
      var id = section.dataset.reflection;
      var area = section.querySelector("textarea");
      var status = section.querySelector("[data-reflection-status]");
      area.value = reflectionText(self.module, id);
      area.addEventListener("input", function () {
        var saved = writeLocal(reflectionKey(self.module, id), { text: area.value, at: new Date().toISOString() });
        status.textContent = saved ? status.dataset.saved : status.dataset.unsaved;
        if (self.module.reflectionRequired) { self.refresh(); self.save(false); }
      });
    });
  };

  /* The offline edition's home and summary pages --------------------------------------------------- */

  function localProgress(module) {
    var saved = readLocal(module.slug) || {};
    var state = decodeState(saved.state);
    return { saved: saved, state: state, status: saved.state ? statusOf(module, state) : "not_started" };
  }

  function minutes(seconds) { return Math.max(0, Math.round((seconds || 0) / 60)) + " min"; }

  function showHome() {
    var list = document.querySelector("[data-home]");
    var labels = JSON.parse(list.dataset.statusLabels);
    config.modules.forEach(function (module) {
      var progress = localProgress(module);
      document.querySelector('[data-home-module="' + module.slug + '"] [data-home-status]').textContent = labels[progress.status];
    });
  }

  function showSummary() {
    var table = document.querySelector("[data-summary]");
    var labels = JSON.parse(table.dataset.statusLabels);
    config.modules.forEach(function (module) {
      var progress = localProgress(module);
      var row = table.querySelector('[data-summary-module="' + module.slug + '"]');
      var read = module.sections.filter(function (s) { return s.id in progress.state.read; }).length;
      var score = moduleScore(module, progress.state);
      row.querySelector('[data-cell="status"]').textContent = labels[progress.status] +
        (progress.saved.completed ? " (" + new Date(progress.saved.completed).toLocaleDateString("fr-FR") + ")" : "");
      row.querySelector('[data-cell="read"]').textContent = read + " / " + module.sections.length;
      row.querySelector('[data-cell="score"]').textContent = score === null ? "—" : score.toLocaleString("fr-FR") + " %";
      row.querySelector('[data-cell="time"]').textContent = progress.saved.seconds ? minutes(progress.saved.seconds) : "—";
    });
    document.querySelector("[data-summary-date]").textContent = new Date().toLocaleDateString("fr-FR");
    document.querySelector("[data-print]").addEventListener("click", function () { window.print(); });
  }

  window.ElearnPackage = {
    scoreQuiz: scoreQuiz, moduleScore: moduleScore, encodeState: encodeState, decodeState: decodeState,
    scorm12Time: scorm12Time, scorm2004Duration: scorm2004Duration
  };
  if (config.page === "module") {
    window.ElearnPackage.player = new ModulePlayer(config.modules[0]);
  } else if (config.page === "home") {
    showHome();
  } else if (config.page === "summary") {
    showSummary();
  }
}());
