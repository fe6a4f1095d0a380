"""Packages played as learners meet them: SCORM 1.2 and 2004 in the real scorm-again runtime (the LMS side),
and the offline edition opened from file:// in Chromium.

The tests go through the module's own interface (pages, quiz form, buttons), then read the runtime's CMI
data the way an LMS would store it.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from elearn.config import PROJECT_ROOT
from elearn.content.model import Module, Quiz
from elearn.packaging import build_package, select_modules
from tests import npm_peers

MODULES = PROJECT_ROOT / "modules"
MEDIA = PROJECT_ROOT / "media"
SLUG = "definition"  # eight sections, a weighted quiz of ten questions, a reflection
HARNESS = Path(__file__).parent / "lms" / "lms.html"


@pytest.fixture(scope="session")
def shipped_module() -> Module:
    return select_modules(MODULES, MEDIA, SLUG, False, cross_links=False).modules[0]


@pytest.fixture(scope="session")
def served_packages(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The module's three packages unpacked beside the LMS page and the runtime, served over HTTP."""
    root = tmp_path_factory.mktemp("lms")
    shutil.copy(npm_peers.ensure(npm_peers.SCORM_AGAIN), root / "scorm-again.js")
    shutil.copy(HARNESS, root / "lms.html")
    for fmt in ("scorm12", "scorm2004", "html"):
        archive = root / f"{fmt}.zip"
        build_package(MODULES, MEDIA, archive, fmt, SLUG)
        with zipfile.ZipFile(archive) as package:
            package.extractall(root / fmt)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", root
    finally:
        server.shutdown()
        thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002, ANN001, ANN002 - the base class's signature
        pass


def answer(frame: FrameLocator, quiz: Quiz, right: bool) -> None:
    """Tick the correct choices of every question, or one wrong choice each."""
    for question in quiz.questions:
        wanted = sorted(question.correct_ids) if right else [next(c.id for c in question.choices if not c.correct)]
        for choice in wanted:
            frame.locator(f"#{quiz.id}-{question.id}-{choice}").check()
    frame.get_by_role("button", name="Valider mes réponses").click()


# The CMI names of each SCORM version, for the assertions.
CMI = {
    "1.2": {
        "folder": "scorm12", "status": lambda d: d["core"]["lesson_status"], "location": lambda d: d["core"]["lesson_location"],
        "score": lambda d: d["core"]["score"], "session": lambda d: _seconds_12(d["core"]["session_time"]),
        "exit": lambda d: d["core"]["exit"], "response": "student_response", "wrong": "wrong",
    },
    "2004": {
        "folder": "scorm2004", "status": lambda d: (d["completion_status"], d["success_status"]), "location": lambda d: d["location"],
        "score": lambda d: d["score"], "session": lambda d: _seconds_2004(d["session_time"]),
        "exit": lambda d: d["exit"], "response": "learner_response", "wrong": "incorrect",
    },
}
STARTED = {"1.2": "incomplete", "2004": ("incomplete", "unknown")}
FINISHED = {"1.2": "passed", "2004": ("completed", "passed")}


def _seconds_12(text: str) -> int:
    hours, minutes, seconds = re.fullmatch(r"(\d{2,4}):(\d\d):(\d\d(?:\.\d{1,2})?)", text).groups()
    return int(hours) * 3600 + int(minutes) * 60 + round(float(seconds))


def _seconds_2004(text: str) -> int:
    hours, minutes, seconds = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?", text).groups()
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + round(float(seconds or 0))


def _interactions(data: dict) -> list[dict]:
    interactions = data["interactions"]
    return [interactions[key] for key in sorted(interactions, key=int)] if isinstance(interactions, dict) else interactions


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_learner_takes_the_module_in_the_lms_and_resumes_at_the_bookmark(page: Page, served_packages, shipped_module, version):
    base, _ = served_packages
    cmi = CMI[version]
    module = shipped_module
    quiz = module.quizzes[0]
    page.clock.install()
    page.goto(f"{base}/lms.html?version={version}&launch={cmi['folder']}/{SLUG}/index.html")
    page.evaluate("lms.launch(null)")
    frame = page.frame_locator("#sco")
    expect(frame.locator("[data-content-version]")).to_have_text(module.content_hash)
    frame.get_by_role("link", name="Commencer").click()
    half = len(module.sections) // 2
    for section in module.sections[:half]:
        expect(frame.locator("h1:visible")).to_have_text(section.title)
        frame.locator("[data-next]:visible").click()
    page.clock.run_for("01:00")
    first = page.evaluate("lms.close()")

    assert cmi["location"](first) == module.sections[half].id
    assert cmi["status"](first) == STARTED[version]
    assert cmi["exit"](first) == "suspend"
    assert 55 <= cmi["session"](first) <= 75, "a minute of reading is about a minute"
    assert '"code-penal"' in first["suspend_data"]

    page.evaluate("data => lms.launch(data)", first)
    expect(frame.locator("h1:visible")).to_have_text(module.sections[half].title)
    page.clock.run_for("10:00")  # the learner leaves the screen: only the first two minutes count
    for section in module.sections[half:-1]:
        expect(frame.locator("h1:visible")).to_have_text(section.title)
        frame.locator("[data-next]:visible").click()
    answer(frame, quiz, right=False)
    expect(frame.locator("[data-quiz-result]")).to_contain_text("Pas encore")
    failed = page.evaluate("lms.data()")
    assert cmi["status"](failed) == STARTED[version]
    assert float(cmi["score"](failed)["raw"]) == 0
    frame.get_by_role("button", name="Réessayer le quiz").click()
    answer(frame, quiz, right=True)
    expect(frame.locator("[data-quiz-result]")).to_contain_text("Réussi")
    frame.get_by_role("link", name="Terminer le module").click()
    expect(frame.locator("[data-done]")).to_be_visible()
    final = page.evaluate("lms.close()")

    assert cmi["status"](final) == FINISHED[version]
    score = cmi["score"](final)
    assert (float(score["raw"]), float(score["min"]), float(score["max"])) == (100, 0, 100)
    if version == "2004":
        assert float(score["scaled"]) == 1
    assert cmi["location"](final) == "fin-module"
    assert cmi["exit"](final) == ("" if version == "1.2" else "normal")
    assert 118 <= cmi["session"](final) <= 140, "idle time beyond two minutes is not counted"
    interactions = _interactions(final)
    assert len(interactions) == 2 * len(quiz.questions)
    assert [i["result"] for i in interactions] == [cmi["wrong"]] * len(quiz.questions) + ["correct"] * len(quiz.questions)
    assert interactions[0]["id"] == f"{quiz.id}-q1" and interactions[0]["type"] == "choice"
    wrong = next(c.id for c in quiz.questions[0].choices if not c.correct)
    letter = {"1.2": lambda c: chr(96 + int(c[1:])), "2004": lambda c: c}[version]
    assert interactions[0][cmi["response"]] == letter(wrong)
    assert page.evaluate("lms.calls").count("LMSFinish" if version == "1.2" else "Terminate") == 2
