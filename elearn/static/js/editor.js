/* Module editor: the preview and the checker's messages follow the text a short pause after typing stops
 * (the server renders them with the site's own pipeline), buttons insert the documented syntax, and a
 * message's line link puts the cursor on that line. Configuration comes from data- attributes (the
 * Content-Security-Policy forbids inline scripts). Without JavaScript, saving shows the same preview. */
(function () {
  "use strict";

  function setup(form) {
    var textarea = form.querySelector("textarea[name=text]");
    var preview = document.querySelector("[data-editor-preview]");
    var problems = form.querySelector("[data-editor-problems]");
    var toolbar = form.querySelector("[data-editor-toolbar]");
    var token = form.querySelector("input[name=csrf_token]").value;
    var url = form.dataset.previewUrl;
    var delay = parseInt(form.dataset.delay, 10) || 600;
    var failed = form.dataset.failedMessage;
    var timer = null;
    var sent = textarea.value;
    var inflight = false;
    var again = false;

    function refresh() {
      timer = null;
      if (inflight) { again = true; return; }
      inflight = true;
      sent = textarea.value;
      var body = new FormData();
      body.append("text", sent);
      fetch(url, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token }, body: body
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        preview.innerHTML = data.html;  // rendered and sanitised by the server's content pipeline
        problems.innerHTML = data.problems;
      }).catch(function () {
        problems.textContent = failed;
      }).then(function () {
        inflight = false;
        if (again || textarea.value !== sent) { again = false; schedule(); }
      });
    }

    function schedule() {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(refresh, delay);
    }

    function insert(snippet) {
      var start = textarea.selectionStart, end = textarea.selectionEnd, text = textarea.value;
      var before = text.slice(0, start);
      var prefix = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
      textarea.value = before + prefix + snippet + "\n" + text.slice(end);
      var caret = before.length + prefix.length + snippet.length + 1;
      textarea.focus();
      textarea.setSelectionRange(caret, caret);
      schedule();
    }

    function goToLine(number) {
      var lines = textarea.value.split("\n");
      var start = 0;
      for (var i = 0; i < number - 1 && i < lines.length; i += 1) { start += lines[i].length + 1; }
      var end = start + (lines[number - 1] || "").length;
      textarea.focus();
      textarea.setSelectionRange(start, end);
      var lineHeight = textarea.scrollHeight / Math.max(lines.length, 1);
      textarea.scrollTop = Math.max(0, (number - 3) * lineHeight);
    }

    textarea.addEventListener("input", schedule);
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-snippet]");
      if (button) { insert(button.dataset.snippet); }
    });
    problems.addEventListener("click", function (event) {
      var link = event.target.closest("[data-line]");
      if (!link) { return; }
      event.preventDefault();
      goToLine(parseInt(link.dataset.line, 10));
    });
  }

  document.querySelectorAll("form[data-editor]").forEach(setup);
}());
