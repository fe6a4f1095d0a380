"""The package's HTML pages, rendered with the reader's own templates (``learn/_blocks.html``,
``learn/_questions.html``, ``learn/_macros.html``) and CSS, outside any Flask request.

The templates' French source text is the package's text: a null translation is installed, so the same
``_()`` calls that the web app translates produce the French pages here.
"""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from elearn.content.model import Module
from elearn.learning.progress import STATUS_LABELS as PROGRESS_STATUS_LABELS
from elearn.packaging.source import PackageContent

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

#: SCORM 1.2 caps ``cmi.suspend_data`` at 4,096 characters; SCORM 2004 4th edition at 64,000.
SUSPEND_DATA_LIMITS = {"scorm12": 4096, "scorm2004": 64000, "html": None}
EDITION_LABELS = {"scorm12": "paquet SCORM 1.2", "scorm2004": "paquet SCORM 2004", "html": "édition hors ligne"}


@functools.cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(), extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined] - added by the i18n extension
    try:
        env.globals["elearn_version"] = version("elearn")
    except PackageNotFoundError:  # running from a source tree that was not installed
        env.globals["elearn_version"] = ""
    return env


def module_data(module: Module) -> dict[str, Any]:
    """What the package's scripts need of a module: its structure and the quizzes' answer key and weights."""
    return {
        "slug": module.slug,
        "title": module.title,
        "version": module.content_hash,
        "sections": [{"id": s.id, "title": s.title} for s in module.sections],
        "quizzes": [
            {
                "id": quiz.id,
                "title": quiz.title or "Quiz",
                "questions": [
                    {
                        "id": q.id,
                        "kind": q.kind,
                        "weight": q.weight,
                        "choices": [c.id for c in q.choices],
                        "correct": sorted(q.correct_ids),
                        "prompt": Markup(q.prompt_html).striptags()[:250],
                    }
                    for q in quiz.questions
                ],
            }
            for quiz in module.quizzes
        ],
        "passMark": module.pass_mark,
        "maxAttempts": module.max_attempts,
        "reflections": [r.id for r in module.reflections],
        "reflectionRequired": module.reflection_required,
        "prerequisites": list(module.prerequisites),
    }


def _player_data(fmt: str, page: str, modules: tuple[Module, ...]) -> dict[str, Any]:
    return {"format": fmt, "page": page, "suspendLimit": SUSPEND_DATA_LIMITS[fmt], "modules": [module_data(m) for m in modules]}


#: The learner's status words, the site's own (French, the source text of the catalogue).
STATUS_LABELS = {key: str(label) for key, label in PROGRESS_STATUS_LABELS.items() if key != "locked"}


def _common(content: PackageContent, fmt: str, root: str) -> dict[str, Any]:
    return {
        "content": content, "version": content.version, "edition_label": EDITION_LABELS[fmt], "root": root,
        "status_labels": STATUS_LABELS,
    }


def render_module(module: Module, content: PackageContent, fmt: str) -> str:
    """The single page of one module (``<slug>/index.html``)."""
    common = {**_common(content, fmt, "../"), "version": module.content_hash}
    return environment().get_template("packaging/module.html").render(
        **common,
        module=module,
        packaged=True,
        home=fmt == "html",
        player_data=_player_data(fmt, "module", (module,)),
    )


def render_home(content: PackageContent) -> str:
    """``index.html`` of the offline edition."""
    titles = {m.slug: m.title for m in content.modules}
    return environment().get_template("packaging/home.html").render(
        **_common(content, "html", ""),
        titles=lambda slugs: ", ".join(f"« {titles.get(s, s)} »" for s in slugs),
        player_data=_player_data("html", "home", content.modules),
    )


def render_summary(content: PackageContent) -> str:
    """``recapitulatif.html`` of the offline edition: printable, and no certificate."""
    return environment().get_template("packaging/summary.html").render(
        **_common(content, "html", ""), player_data=_player_data("html", "summary", content.modules)
    )
