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
  var COMMIT_INTERVAL = 30 * 1000;
  var rules = window.ElearnRules;
  var stores = window.ElearnStores;

  /* The reflections answered in this browser (their text never leaves it). */
  function answeredReflections(module) {
    var answered = {};
    module.reflections.forEach(function (id) { answered[id] = !!stores.reflectionText(module, id).trim(); });
    return answered;
  }

  /* The module page ------------------------------------------------------------------------------- */

  function ModulePlayer(module) {
    this.module = module;
    this.pages = Array.prototype.slice.call(document.querySelectorAll("[data-page]"));
    this.current = null;
    var opened = stores.open(module, config.format, config.suspendLimit);
    var started = opened.started;
    this.store = opened.store;
    document.querySelector("[data-no-lms]").hidden = opened.lms;  /* a SCORM package with no LMS answering */
    this.state = started.state;
    this.state.started = true;
    this.state.answered = answeredReflections(module);
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
    /* A link to a module that is not in this package (source.py writes #module-<slug>) becomes plain text. */
    document.querySelectorAll('.prose a[href^="#module-"]').forEach(function (link) {
      var text = document.createElement("span");
      while (link.firstChild) { text.appendChild(link.firstChild); }
      link.replaceWith(text);
    });
    /* A link to another website opens beside the module: leaving the page would end the LMS session. */
    document.querySelectorAll('.prose a[href^="http:"], .prose a[href^="https:"]').forEach(function (link) {
      link.target = "_blank";
    });
  };

  /* Show the page ``id``, or the page holding the element ``id`` (a footnote, an anchor in the text). */
  ModulePlayer.prototype.show = function (id, focus) {
    var target = id ? document.getElementById(id) : null;
    var page = target && target.closest("[data-page]");
    if (!page && this.current) { return; }  /* an anchor this page does not have: stay where the learner is */
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
    var percent = rules.percentDone(this.module, state);
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
    var left = rules.missing(module, this.state);
    var complete = rules.isComplete(module, this.state);
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
    var score = rules.moduleScore(module, this.state);
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
    var result = rules.scoreQuiz(quiz, answers);
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
      area.value = stores.reflectionText(self.module, id);
      area.addEventListener("input", function () {
        var saved = stores.writeLocal(stores.reflectionKey(self.module, id), { text: area.value, at: new Date().toISOString() });
        self.state.answered[id] = !!area.value.trim();
        status.textContent = saved ? status.dataset.saved : status.dataset.unsaved;
        if (self.module.reflectionRequired) { self.refresh(); self.save(false); }
      });
    });
  };

  /* The offline edition's home and summary pages --------------------------------------------------- */

  function localProgress(module) {
    var saved = stores.readLocal(module.slug) || {};
    var state = rules.decodeState(saved.state);
    state.answered = answeredReflections(module);
    return { saved: saved, state: state, status: saved.state ? rules.statusOf(module, state) : "not_started" };
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
      var score = rules.moduleScore(module, progress.state);
      row.querySelector('[data-cell="status"]').textContent = labels[progress.status] +
        (progress.saved.completed ? " (" + new Date(progress.saved.completed).toLocaleDateString("fr-FR") + ")" : "");
      row.querySelector('[data-cell="read"]').textContent = read + " / " + module.sections.length;
      row.querySelector('[data-cell="score"]').textContent = score === null ? "—" : score.toLocaleString("fr-FR") + " %";
      row.querySelector('[data-cell="time"]').textContent = progress.saved.seconds ? minutes(progress.saved.seconds) : "—";
    });
    document.querySelector("[data-summary-date]").textContent = new Date().toLocaleDateString("fr-FR");
    document.querySelector("[data-print]").addEventListener("click", function () { window.print(); });
  }

  window.ElearnPackage = { scoreQuiz: rules.scoreQuiz, encodeState: rules.encodeState, decodeState: rules.decodeState };
  if (config.page === "module") {
    window.ElearnPackage.player = new ModulePlayer(config.modules[0]);
  } else if (config.page === "home") {
    showHome();
  } else if (config.page === "summary") {
    showSummary();
  }
}());
