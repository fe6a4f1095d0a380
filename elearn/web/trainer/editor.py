"""The module editor of the Espace formateur: drafts, live preview, checks, publication and history.

Views parse the request, call :mod:`elearn.authoring` and render; every rule lives there. The preview
is the content pipeline's own rendering, fetched by ``static/js/editor.js`` (no inline script).
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from elearn.authoring import drafts as draft_store
from elearn.authoring.checks import DraftReport, check_draft
from elearn.authoring.drafts import DraftError, StaleDraft
from elearn.authoring.files import PATH_FILE, files_hash
from elearn.authoring.path_form import PathFormError, publish_path
from elearn.authoring.publish import Author, PublishError, compare, history, latest, latest_of_each, revert
from elearn.authoring.sync import set_aside_copies
from elearn.content.render import default_media_url, placeholder_resolver
from elearn.certificates.path import PathConfigError, parse_path
from elearn.content.validate import FRONT_KEYS
from elearn.db import get_session
from elearn.i18n import _
from elearn.models import DraftSection, ModuleDraft, ModulePublication, User
from elearn.web.modules import get_library
from elearn.web.trainer import bp

#: What the insertion buttons write, in the syntax of docs/authoring.md.
SNIPPETS = {
    "question": "::: quiz Vérifier ses acquis\n### Votre question ?\n\n- (x) La bonne réponse\n  Retour : Pourquoi c'est juste.\n- ( ) Une réponse fausse\n  Retour : Pourquoi ce n'est pas la bonne réponse.\n\nExplication : Ce qui s'affiche après la validation.\n:::\n",
    "reflexion": "::: reflexion\n### Une question pour réfléchir à sa pratique ?\n\nQuelques pistes pour guider la réponse.\n:::\n",
    "image": "![Décrivez ce que l'image apporte](media/nom-du-fichier.png \"Légende facultative\")\n",
}


def _modules_dir() -> Path:
    return Path(current_app.config["ELEARN_MODULES_DIR"])


def _draft_or_404(slug: str) -> ModuleDraft:
    draft = draft_store.find_draft(get_session(), slug)
    if draft is None:
        abort(404)
    return draft


def _section_or_404(draft: ModuleDraft, draft_section: int) -> DraftSection:
    section = get_session().get(DraftSection, draft_section)
    if section is None or section.draft_id != draft.id:
        abort(404)
    return section


def _check(draft: ModuleDraft, replaced: tuple[int, str] | None = None) -> DraftReport:
    """The pipeline's verdict on the draft, with one section's text replaced (the preview's unsaved text)."""
    sections = draft_store.sections_of(get_session(), draft)
    files = draft_store.draft_files(draft, sections)
    if replaced is not None:
        section = next(s for s in sections if s.id == replaced[0])
        files[f"{draft.entry}/{draft_store.file_name(section)}"] = replaced[1].replace("\r\n", "\n")
    library = get_library()
    return check_draft(draft.module_slug, files, library.media_dir, library.all_parsed(), placeholder_resolver,
                       default_media_url)


def _file_problems(report: DraftReport, draft: ModuleDraft, section: DraftSection) -> list:
    path = f"{draft.entry}/{draft_store.file_name(section)}"
    return [p for p in report.problems if p.path == path]


def _rendered_sections(report: DraftReport, draft: ModuleDraft, section: DraftSection) -> list:
    if report.module is None:
        return []
    path = f"{draft.entry}/{draft_store.file_name(section)}"
    return [s for s in report.module.sections if s.path.endswith(path)]


@bp.route("/editeur/")
def editor_index():
    session = get_session()
    published = latest_of_each(session)
    published.pop("_parcours", None)
    titles = {m.slug: m.title for m in get_library().modules()}
    return render_template(
        "trainer/editor/index.html",
        drafts=draft_store.drafts(session),
        published=sorted(published.values(), key=lambda p: p.entry),
        on_disk=[s for s in get_library().statuses() if s.slug and s.slug not in published],
        titles=titles,
        conflicts=set_aside_copies(_modules_dir()),
    )


@bp.route("/editeur/nouveau", methods=["POST"])
def editor_create():
    try:
        draft = draft_store.new_module(get_session(), _modules_dir(), request.form.get("slug", ""),
                                       request.form.get("title", ""))
    except DraftError as error:
        flash(str(error), "error")
        return redirect(url_for("trainer.editor_index"))
    flash(_("Module créé en brouillon : les apprenant·es ne le verront qu'après sa publication."), "success")
    return redirect(url_for("trainer.editor_module", slug=draft.module_slug))


@bp.route("/editeur/<slug>/brouillon", methods=["POST"])
def editor_open(slug: str):
    try:
        draft_store.open_draft(get_session(), slug, _modules_dir())
    except DraftError:
        abort(404)
    return redirect(url_for("trainer.editor_module", slug=slug))


@bp.route("/editeur/<slug>/")
def editor_module(slug: str):
    session = get_session()
    draft = draft_store.find_draft(session, slug)
    if draft is None:
        if latest(session, slug) is None and get_library().get(slug) is None:
            abort(404)
        return redirect(url_for("trainer.editor_history", slug=slug))
    report = _check(draft)
    sections = draft_store.sections_of(session, draft)
    return render_template(
        "trainer/editor/module.html", draft=draft, sections=sections, report=report,
        paths={s.id: f"{draft.entry}/{draft_store.file_name(s)}" for s in sections},
        titles={s.id: _section_title(s) for s in sections}, current=latest(session, slug),
        settings=draft_store.front_values(sections[0].text), setting_labels=_setting_labels(),
    )


def _section_title(section: DraftSection) -> str:
    if section.stem == draft_store.INDEX:
        return _("En-tête et introduction")
    first = next((line for line in section.text.split("\n") if line.startswith("## ")), "")
    return first[3:].split("{#")[0].strip() or section.stem


def _setting_labels() -> dict[str, str]:
    meanings = {key.name: key.meaning for key in FRONT_KEYS}
    return {name: meanings[name][:1].upper() + meanings[name][1:] for name in draft_store.SETTING_KEYS}


@bp.route("/editeur/<slug>/reglages", methods=["POST"])
def editor_settings(slug: str):
    """Order, duration and pass rules, written into the header and judged by the checker before saving."""
    draft = _draft_or_404(slug)
    index = draft_store.sections_of(get_session(), draft)[0]
    values = {key: request.form.get(key, "") for key in draft_store.SETTING_KEYS}
    try:
        text = draft_store.set_front_values(index.text, values)
        version = int(request.form.get("version", ""))
    except DraftError as error:
        flash(str(error), "error")
        return redirect(url_for("trainer.editor_module", slug=slug))
    except ValueError:
        abort(400)
    report = _check(draft, (index.id, text))
    wrong = [p for p in _file_problems(report, draft, index) if p.is_error and any(f"« {key}" in p.message for key in values)]
    if wrong:
        for problem in wrong:
            flash(_("Réglage refusé : %(message)s", message=problem.message), "error")
    elif draft_store.save_section(get_session(), index, text, version, current_user.id) is not None:
        flash(_("L'en-tête a été modifié entre-temps par quelqu'un d'autre : vérifiez les réglages et recommencez."), "error")
    else:
        flash(_("Réglages enregistrés dans le brouillon."), "success")
    return redirect(url_for("trainer.editor_module", slug=slug))


@bp.route("/editeur/<slug>/sections", methods=["POST"])
def editor_add_section(slug: str):
    draft = _draft_or_404(slug)
    try:
        section = draft_store.add_section(get_session(), draft, request.form.get("title", ""))
    except DraftError as error:
        flash(str(error), "error")
        return redirect(url_for("trainer.editor_module", slug=slug))
    return redirect(url_for("trainer.editor_section", slug=slug, draft_section=section.id))


@bp.route("/editeur/<slug>/sections/<int:draft_section>/deplacer", methods=["POST"])
def editor_move_section(slug: str, draft_section: int):
    draft = _draft_or_404(slug)
    offset = -1 if request.form.get("sens") == "haut" else 1
    draft_store.move_section(get_session(), draft, _section_or_404(draft, draft_section), offset)
    return redirect(url_for("trainer.editor_module", slug=slug))


@bp.route("/editeur/<slug>/sections/<int:draft_section>/supprimer", methods=["POST"])
def editor_delete_section(slug: str, draft_section: int):
    draft = _draft_or_404(slug)
    section = _section_or_404(draft, draft_section)
    if not request.form.get("confirmer"):
        return _confirm(_("Supprimer la section « %(title)s » ?", title=_section_title(section)),
                        _("Son texte sera retiré du brouillon. La version publiée ne change pas avant la prochaine publication."),
                        url_for("trainer.editor_delete_section", slug=slug, draft_section=section.id),
                        _("Supprimer la section"), url_for("trainer.editor_module", slug=slug))
    try:
        draft_store.delete_section(get_session(), draft, section)
    except DraftError as error:
        flash(str(error), "error")
    else:
        flash(_("Section supprimée du brouillon."), "success")
    return redirect(url_for("trainer.editor_module", slug=slug))


@bp.route("/editeur/<slug>/sections/<int:draft_section>", methods=["GET", "POST"])
def editor_section(slug: str, draft_section: int):
    draft = _draft_or_404(slug)
    section = _section_or_404(draft, draft_section)
    conflict = None
    text = section.text
    if request.method == "POST":
        text = request.form.get("text", "")
        try:
            version = int(request.form.get("version", ""))
        except ValueError:
            abort(400)
        try:
            conflict = draft_store.save_section(get_session(), section, text, version, current_user.id)
        except DraftError as error:
            flash(str(error), "error")  # the text stays in the form below, nothing is lost
        else:
            if conflict is None:
                flash(_("Brouillon enregistré."), "success")
                return redirect(url_for("trainer.editor_section", slug=slug, draft_section=section.id))
    report = _check(draft, (section.id, text))
    other = get_session().get(User, section.updated_by_id) if conflict and section.updated_by_id else None
    return render_template(
        "trainer/editor/section.html", draft=draft, section=section, text=text, conflict=conflict,
        conflict_author=other, title=_section_title(section), snippets=SNIPPETS,
        problems=_file_problems(report, draft, section), rendered=_rendered_sections(report, draft, section),
        module=report.module,
    ), (409 if conflict else 200)


@bp.route("/editeur/<slug>/sections/<int:draft_section>/apercu", methods=["POST"])
def editor_preview(slug: str, draft_section: int):
    """The section's unsaved text through the pipeline: rendered HTML and the checker's messages."""
    draft = _draft_or_404(slug)
    section = _section_or_404(draft, draft_section)
    report = _check(draft, (section.id, request.form.get("text", "")))
    rendered = _rendered_sections(report, draft, section)
    return jsonify(
        html=render_template("trainer/editor/_preview.html", rendered=rendered, module=report.module),
        problems=render_template("trainer/editor/_problems.html", problems=_file_problems(report, draft, section)),
    )


@bp.route("/editeur/<slug>/publier", methods=["POST"])
def editor_publish(slug: str):
    draft = _draft_or_404(slug)
    try:
        publication = draft_store.publish_draft(
            get_session(), draft, _check(draft), Author.of(current_user), request.form.get("message", ""),
            _modules_dir(), replace_newer=bool(request.form.get("remplacer")),
        )
    except StaleDraft as error:
        flash(str(error), "error")
        return redirect(url_for("trainer.editor_module", slug=slug, remplacer=1))
    except (DraftError, PublishError) as error:
        flash(str(error), "error")
        return redirect(url_for("trainer.editor_module", slug=slug))
    get_library().refresh(force=True)
    flash(_("Version %(number)d publiée : les apprenant·es la voient dès maintenant.", number=publication.number), "success")
    return redirect(url_for("trainer.editor_history", slug=slug))


@bp.route("/editeur/<slug>/abandonner", methods=["POST"])
def editor_discard(slug: str):
    draft = _draft_or_404(slug)
    if not request.form.get("confirmer"):
        return _confirm(_("Abandonner le brouillon de « %(slug)s » ?", slug=slug),
                        _("Toutes les modifications non publiées seront perdues. La version publiée ne change pas."),
                        url_for("trainer.editor_discard", slug=slug), _("Abandonner le brouillon"),
                        url_for("trainer.editor_module", slug=slug))
    draft_store.discard(get_session(), draft)
    flash(_("Brouillon abandonné : la version publiée reste inchangée."), "success")
    return redirect(url_for("trainer.editor_index"))


def _confirm(question: str, consequence: str, action: str, button: str, back: str) -> str:
    """A page asking to confirm an action that removes text (works without JavaScript)."""
    return render_template("trainer/editor/confirm.html", question=question, consequence=consequence,
                           action=action, button=button, back=back)


@bp.route("/editeur/<slug>/historique")
def editor_history(slug: str):
    session = get_session()
    publications = history(session, slug)
    if not publications and get_library().get(slug) is None:
        abort(404)
    by_number = {p.number: p for p in publications}
    older, newer = _compared(by_number, request.args.get("de"), request.args.get("a"))
    return render_template(
        "trainer/editor/history.html", slug=slug, publications=publications, older=older, newer=newer,
        diffs=compare(older, newer) if older and newer else None,
        draft=draft_store.find_draft(session, slug), module=get_library().get(slug),
    )


def _compared(by_number: dict[int, ModulePublication], first: str | None, second: str | None):  # noqa: ANN202
    try:
        numbers = sorted({int(first), int(second)}) if first and second else []
    except ValueError:
        numbers = []
    if len(numbers) != 2 or not all(n in by_number for n in numbers):
        return None, None
    return by_number[numbers[0]], by_number[numbers[1]]


@bp.route("/editeur/<slug>/historique/<int:number>/revenir", methods=["POST"])
def editor_revert(slug: str, number: int):
    session = get_session()
    target = next((p for p in history(session, slug) if p.number == number), None)
    if target is None:
        abort(404)
    publication = revert(session, target, Author.of(current_user))
    draft_store.write_publication(_modules_dir(), publication)
    get_library().refresh(force=True)
    flash(_("Version %(old)d republiée comme version %(new)d.", old=number, new=publication.number), "success")
    return redirect(url_for("trainer.editor_history", slug=slug))


@bp.route("/editeur/parcours", methods=["GET", "POST"])
def editor_path():
    """The modules the certificate requires, in order, and the path's version (``parcours.yml``)."""
    path_file = _modules_dir() / PATH_FILE
    if not path_file.is_file():
        abort(404)
    current = path_file.read_text(encoding="utf-8")
    problems: list[str] = []
    if request.method == "POST":
        slugs = [slug for slug in request.form.getlist("modules") if slug]
        try:
            publish_path(get_session(), _modules_dir(), get_library().media_dir, request.form.get("empreinte", ""),
                         slugs, request.form.get("version", ""), Author.of(current_user), request.form.get("message", ""))
        except PathFormError as error:
            problems = error.problems
        except PublishError as error:
            problems = [str(error)]
        else:
            get_library().refresh(force=True)
            flash(_("Parcours publié."), "success")
            return redirect(url_for("trainer.editor_path"))
    try:
        path = parse_path(current, get_library().media_dir)
        required, version = list(path.required_modules), path.version
    except PathConfigError as error:
        required, version, problems = [], "", problems or list(error.problems)
    modules = get_library().modules()
    return render_template(
        "trainer/editor/path.html", modules=modules, required=required, version=version, problems=problems,
        fingerprint=files_hash({PATH_FILE: current}),
    ), (400 if problems and request.method == "POST" else 200)
