"""Rendering: rich content, ids, link and media rewriting, and sanitising of anything a module says."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest

from elearn.content.model import HtmlBlock, Quiz, Reflection
from elearn.content.pipeline import load_module, read_tree, render_tree
from tests.content.conftest import FIXTURES, GOOD, KNOWN_SECTIONS, MEDIA


@pytest.fixture(scope="module")
def modules():
    report = read_tree(GOOD, MEDIA, FIXTURES)
    rendered = render_tree(report, lambda s, sec: f"/m/{s}/{sec}" if sec else f"/m/{s}", lambda n: f"/files/{n}")
    return {m.slug: m for m in rendered.values()}


def test_module_fields_come_from_the_front_matter(modules) -> None:
    bases = modules["bases"]
    assert (bases.title, bases.duration_minutes, bases.order, bases.pass_mark, bases.max_attempts) == (
        "Les bases", 25, 1, 80, 3,
    )
    assert bases.objectives == ("Définir une discrimination", "Reconnaître un refus de soins")
    assert bases.reflection_required is True
    assert modules["pratique"].prerequisites == ("bases",)
    assert (modules["pratique"].pass_mark, modules["pratique"].max_attempts) == (70, None)


def test_block_ids_are_stable_and_positional(modules) -> None:
    section = modules["bases"].section("verifier")
    assert [type(b) for b in section.blocks] == [Quiz, Reflection, Reflection]
    assert [b.id for b in section.blocks] == ["verifier-quiz-1", "verifier-reflexion-1", "verifier-reflexion-2"]
    quiz = section.quizzes[0]
    assert [q.id for q in quiz.questions] == ["q1", "q2", "q3"]
    assert [c.id for c in quiz.questions[1].choices] == ["c1", "c2", "c3"]
    assert [q.kind for q in quiz.questions] == ["single", "multiple", "true_false"]
    assert [q.weight for q in quiz.questions] == [2.0, 1.0, 1.0]
    assert modules["bases"].quizzes == (quiz,)
    assert modules["bases"].section_index("verifier") == 1


def test_intro_has_callout_and_footnote(modules) -> None:
    intro = modules["bases"].intro_html
    assert '<div class="callout callout-a-retenir" role="note">' in intro
    assert '<p class="callout-title">À retenir</p>' in intro
    assert 'class="footnote-ref"' in intro and "Code de la santé publique" in intro


def test_media_become_figures_with_captions_and_accessible_names(modules) -> None:
    html = modules["bases"].section("notions").blocks[0].html
    assert ('<figure class="media media-image"><img alt="Schéma des critères" loading="lazy" src="/files/schema.svg">'
            "<figcaption>Les critères de la loi</figcaption></figure>") in html
    assert '<audio aria-label="Témoignage d\'une patiente" controls="" preload="metadata" src="/files/temoignage.mp3">' in html
    assert '<video aria-label="Consultation filmée"' in html
    assert "<table>" in html and "<dl>" in html and '<pre><code class="language-markdown">' in html


def test_internal_links_go_through_the_resolver(modules) -> None:
    html = modules["bases"].section("notions").blocks[0].html
    assert 'href="/m/pratique/cas-pratique"' in html
    assert 'href="/m/pratique"' in html
    assert 'href="/m/bases/verifier"' in html


def test_quiz_prompt_and_choices_are_inline_html(modules) -> None:
    question = modules["bases"].section("verifier").quizzes[0].questions[0]
    assert question.prompt_html == "Un refus fondé sur l'AME est&nbsp;:"
    assert question.choices[1].feedback_html == "<p>Non,\nla loi l'interdit.</p>"
    assert question.explanation_html == "<p>Le refus de soins est interdit\npar la loi.</p>"


HOSTILE = """---
titre: T
resume: R
duree: 5
objectifs: [O]
ordre: 1
---

## Section

<script>alert(1)</script>
<img src="media/x.png" onerror="alert(2)">
<a href="javascript:alert(3)">clic</a> [lien](javascript:alert(4)) <iframe src="https://evil"></iframe>
<div style="position:fixed" onclick="alert(5)">x</div>

::: quiz
### <b onmouseover="alert(6)">Question</b> ?

- (x) <svg onload="alert(7)">oui</svg>
- ( ) non
:::
"""


def test_scripts_handlers_and_javascript_urls_never_get_through(tmp_path: Path) -> None:
    path = tmp_path / "01-hostile.md"
    path.write_text(HOSTILE, encoding="utf-8")
    module = load_module(path, MEDIA, KNOWN_SECTIONS)
    parts = []
    for block in module.sections[0].blocks:
        if isinstance(block, HtmlBlock):
            parts.append(block.html)
        elif isinstance(block, Quiz):
            parts += [q.prompt_html for q in block.questions] + [c.html for q in block.questions for c in q.choices]
    html = "\n".join(parts).lower()
    for forbidden in ("<script", "alert(1)", "onerror", "onclick", "onmouseover", "onload", "javascript:", "<iframe",
                      "style=", "<svg"):
        assert forbidden not in html, forbidden
    assert "clic" in html and "question" in html


def test_a_question_starting_with_a_number_is_not_a_list(tmp_path: Path) -> None:
    path = tmp_path / "01-numero.md"
    path.write_text(HOSTILE.split("## Section")[0] + "## S\n\n::: quiz\n### 1. Quelle loi ?\n- (x) a\n- ( ) b\n:::\n",
                    encoding="utf-8")
    assert load_module(path, MEDIA).sections[0].quizzes[0].questions[0].prompt_html == "1. Quelle loi\u202f?"


def test_french_punctuation_never_starts_a_line_but_code_keeps_its_spaces(tmp_path: Path) -> None:
    path = tmp_path / "01-typo.md"
    body = (
        "## Vrai ou faux ?\n\nLe texte dit : « refus de soins » ; est-ce licite ? Oui !\n\n"
        "Tapez `a : b ?` puis voyez *ceci* : fin.\n\n```\nx = { a : 1 }\n```\n\n"
        "::: quiz\n### Vrai ou faux ?\n- (x) Vrai : parce que\n- ( ) Faux\n:::\n"
    )
    path.write_text(HOSTILE.split("## Section")[0] + body, encoding="utf-8")
    section = load_module(path, MEDIA).sections[0]
    html = unescape("".join(block.html for block in section.blocks if isinstance(block, HtmlBlock)))
    assert "dit\u00a0: «\u00a0refus de soins\u00a0»\u202f; est-ce licite\u202f? Oui\u202f!" in html
    assert "<code>a : b ?</code>" in html and "x = { a : 1 }" in html
    assert "</em>\u00a0: fin." in html
    assert section.title == "Vrai ou faux\u202f?"
    question = section.quizzes[0].questions[0]
    assert question.prompt_html == "Vrai ou faux\u202f?"
    assert unescape(question.choices[0].html) == "Vrai\u00a0: parce que"
