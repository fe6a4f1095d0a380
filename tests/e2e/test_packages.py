"""Packages played as learners meet them: SCORM 1.2 and 2004 in the real scorm-again runtime (the LMS side),
and the offline edition opened from file:// in Chromium.

The tests go through the module's own interface (pages, quiz form, buttons), then read the runtime's CMI
data the way an LMS would store it.
"""

from __future__ import annotations

import functools
import http.server
import json
import random
import re
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import FrameLocator, Page, expect

from elearn.config import PROJECT_ROOT
from elearn.content.model import Module, Quiz
from elearn.content.quiz import score_quiz
from elearn.packaging import build_package, select_modules
from tests import npm_peers
from tests.e2e.test_accessibility import WCAG_AA

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


def answer(frame: FrameLocator | Page, quiz: Quiz, right: bool) -> None:
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


def test_the_offline_edition_opens_from_a_folder_and_keeps_progress_in_the_browser(page: Page, served_packages, shipped_module):
    _, root = served_packages
    module = shipped_module
    quiz = module.quizzes[0]
    home = (root / "html" / "index.html").as_uri()
    page.goto(home)
    expect(page.locator("[data-home-status]")).to_have_text("Non commencé")
    page.get_by_role("link", name=module.title).click()
    expect(page.locator("[data-content-version]")).to_have_text(module.content_hash)
    page.get_by_role("link", name="Commencer").click()
    half = len(module.sections) // 2
    for section in module.sections[:half]:
        expect(page.locator("h1:visible")).to_have_text(section.title)
        page.locator("[data-next]:visible").click()
    page.goto(home)  # the learner closes the module and comes back later
    expect(page.locator("[data-home-status]")).to_have_text("En cours")
    page.get_by_role("link", name=module.title).click()
    expect(page.locator("h1:visible")).to_have_text(module.sections[half].title)
    reflection = module.reflections[0]
    section_of_reflection = module.section_of(reflection.id)
    page.locator(f"[data-toc='{section_of_reflection.id}']").click()
    page.locator(f"#{reflection.id}-texte").fill("Ce que je retiens pour mon service.")
    expect(page.locator(f"#{reflection.id}-statut")).to_have_text("Enregistrée dans ce navigateur.")
    page.reload()
    expect(page.locator(f"#{reflection.id}-texte")).to_have_value("Ce que je retiens pour mon service.")
    page.locator(f"[data-toc='{module.sections[half].id}']").click()
    for section in module.sections[half:-1]:
        expect(page.locator("h1:visible")).to_have_text(section.title)
        page.locator("[data-next]:visible").click()
    answer(page, quiz, right=False)
    expect(page.locator("[data-quiz-result]")).to_contain_text("Pas encore")
    page.get_by_role("button", name="Réessayer le quiz").click()
    answer(page, quiz, right=True)
    page.get_by_role("link", name="Terminer le module").click()
    expect(page.locator("[data-done]")).to_be_visible()
    page.get_by_role("link", name="Voir le récapitulatif").click()
    row = page.locator(f"[data-summary-module='{SLUG}']")
    expect(row.locator("[data-cell='status']")).to_contain_text("Terminé")
    expect(row.locator("[data-cell='read']")).to_have_text(f"{len(module.sections)} / {len(module.sections)}")
    expect(row.locator("[data-cell='score']")).to_have_text("100 %")
    expect(page.get_by_text("Ce récapitulatif n'est pas une attestation.")).to_be_visible()


def test_the_package_scores_quizzes_exactly_as_the_server(page: Page, served_packages, shipped_module):
    """The same answers, scored by player.js in the package and by elearn.content.quiz on the server."""
    base, _ = served_packages
    page.goto(f"{base}/html/{SLUG}/index.html")
    quiz = shipped_module.quizzes[0]
    chooser = random.Random(20)
    answer_sets = []
    for _ in range(200):
        skill = chooser.random()  # from learners who guess to learners who know
        answers = {}
        for question in quiz.questions:
            ids = [c.id for c in question.choices] + ["c99"]  # an id the question does not have is ignored
            known = sorted(question.correct_ids) * chooser.randint(1, 2)  # a choice sent twice counts once
            answers[question.id] = known if chooser.random() < skill else chooser.sample(ids, chooser.randint(0, len(ids)))
        answer_sets.append(answers)
    scored = page.evaluate(
        "sets => sets.map(a => ElearnPackage.scoreQuiz(ElearnPackage.player.module.quizzes[0], a))", answer_sets
    )
    for answers, in_package in zip(answer_sets, scored):
        on_server = score_quiz(quiz, answers)
        assert (in_package["points"], in_package["max"], in_package["percent"]) == (on_server.points, on_server.max_points, on_server.percent)
        assert [q["correct"] for q in in_package["questions"]] == [q.correct for q in on_server.questions]
    assert {s["percent"] >= 70 for s in scored} == {True, False}


def test_suspend_data_keeps_the_newest_entries_within_the_limit(page: Page, served_packages):
    base, _ = served_packages
    page.goto(f"{base}/html/{SLUG}/index.html")
    result = page.evaluate("""() => {
        const state = { read: {}, quizzes: {}, seq: 0 };
        for (let i = 1; i <= 400; i++) { state.read["section-numero-" + i] = i; }
        state.quizzes["le-quiz"] = { attempts: 3, points: 7, max: 10, percent: 70, passed: true, seq: 401 };
        const text = ElearnPackage.encodeState(state, 4096);
        return { text: text, decoded: ElearnPackage.decodeState(text), whole: ElearnPackage.encodeState(state, null).length };
    }""")
    assert result["whole"] > 4096 and len(result["text"]) <= 4096
    entries = json.loads(result["text"])["e"]  # valid JSON: entries are dropped whole, never cut
    assert entries[-1] == ["q", "le-quiz", 3, 7, 10, 70, 1] and entries[-2] == ["r", "section-numero-400"]
    assert "section-numero-1" not in result["decoded"]["read"], "the oldest entries go first"
    assert result["decoded"]["quizzes"]["le-quiz"]["passed"] is True


def test_a_scorm_package_opened_without_an_lms_says_so_and_keeps_progress_in_the_browser(page: Page, served_packages, shipped_module):
    base, _ = served_packages
    page.goto(f"{base}/scorm12/{SLUG}/index.html")
    expect(page.locator("[data-no-lms]")).to_be_visible()
    page.get_by_role("link", name="Commencer").click()
    page.locator("[data-next]:visible").click()
    page.goto(f"{base}/scorm12/{SLUG}/index.html")
    expect(page.locator("h1:visible")).to_have_text(shipped_module.sections[1].title)


@pytest.mark.parametrize("path", ["html/index.html", f"html/{SLUG}/index.html", "html/recapitulatif.html"])
def test_package_pages_have_no_wcag_violation(page: Page, served_packages, shipped_module, path):
    base, _ = served_packages
    page.goto(f"{base}/{path}")
    if path.endswith(f"{SLUG}/index.html"):  # the page with a quiz, corrected
        quiz = shipped_module.quizzes[0]
        page.goto(f"{base}/{path}#{shipped_module.section_of(quiz.id).id}")
        answer(page, quiz, right=False)
    results = Axe().run(page, options=WCAG_AA)
    assert not results.violations_count, results.generate_report()


def test_a_link_to_a_module_outside_the_package_is_plain_text(page: Page, served_packages):
    base, _ = served_packages
    page.goto(f"{base}/scorm2004/{SLUG}/index.html#code-penal")
    expect(page.locator("h1:visible")).to_have_text(re.compile("Code pénal"))
    prose = page.locator("#code-penal .prose")
    expect(prose.locator("a[href^='#module-']")).to_have_count(0)
    expect(prose).to_contain_text("Le module 3 détaille quatre de ces critères")


def test_the_module_fails_in_the_lms_only_when_no_attempt_is_left(page: Page, served_packages):
    base, _ = served_packages
    page.goto(f"{base}/html/{SLUG}/index.html")
    verdicts = page.evaluate("""() => {
        const module = Object.assign({}, ElearnPackage.player.module, { maxAttempts: 2 });
        const state = ElearnPackage.decodeState('{"v":1,"e":[]}');
        const quiz = module.quizzes[0].id;
        state.quizzes[quiz] = { attempts: 1, points: 1, max: 12, percent: 8.33, passed: false, seq: 1 };
        const once = ElearnRules.isFailed(module, state);
        state.quizzes[quiz].attempts = 2;
        const twice = ElearnRules.isFailed(module, state);
        const unlimited = ElearnRules.isFailed(Object.assign({}, module, { maxAttempts: null }), state);
        return [once, twice, unlimited, ElearnRules.statusOf(module, state)];
    }""")
    assert verdicts == [False, True, False, "retake"]
