/* The rules of the site, for the packages: quiz scoring (elearn/content/quiz.py: a question scores its weight
 * when exactly its correct choices are picked), the module score and completion (elearn/learning/progress.py:
 * the best attempt counts; complete when every section is read and every quiz passed), and the learner's
 * state as it travels in cmi.suspend_data. The test suite checks scoreQuiz against the server's scoring
 * (tests/e2e/test_packages.py). window.ElearnRules. */
(function () {
  "use strict";

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
      reflections: module.reflectionRequired ? module.reflections.filter(function (id) { return !state.answered[id]; }).length : 0
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

  /* ``answered``: the reflections answered in this browser; they never go into suspend_data. */
  function emptyState() { return { read: {}, quizzes: {}, seq: 0, started: false, answered: {} }; }

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

  window.ElearnRules = {
    scoreQuiz: scoreQuiz, moduleScore: moduleScore, missing: missing, isComplete: isComplete, isFailed: isFailed,
    statusOf: statusOf, percentDone: percentDone, emptyState: emptyState, encodeState: encodeState, decodeState: decodeState
  };
}());
