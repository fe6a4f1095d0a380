"""Trainers' side of reflections: shared answers by module and question (anonymous), and workshop syntheses."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from elearn.db import get_session
from elearn.groups import group_name, reader_scope
from elearn.models import Synthesis, SynthesisItem, SynthesisPart
from elearn.reflection import synthesis as syntheses
from elearn.reflection.export import to_markdown, to_pdf
from elearn.reflection.shared import ModuleGroup, group_by_question, shared_answer, shared_answers
from elearn.i18n import _, _l
from elearn.reporting.filters import FIRST_DAY, LAST_DAY
from elearn.web.modules import get_library
from elearn.web.trainer import bp


_TOO_LONG = _l("%(max)d caractères au plus.", max=200)


class SynthesisForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(_l("Donnez un titre à la synthèse.")), Length(max=200, message=_TOO_LONG)])
    territory = StringField(_l("Territoire ou groupe"), validators=[Length(max=200, message=_TOO_LONG)])
    held_on = DateField(_l("Date de l'atelier"), validators=[Optional()], format="%Y-%m-%d")

    def validate_held_on(self, field: DateField) -> None:
        """A typing slip (« 0224 », « 2202 ») is refused rather than stored; the same years as the reports."""
        if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
            raise ValidationError(
                _("Date hors limites : indiquez une date entre le %(first)s et le %(last)s.",
                  first=FIRST_DAY.strftime("%d/%m/%Y"), last=LAST_DAY.strftime("%d/%m/%Y"))
            )


def _scope() -> int | None:
    """Whose shared answers and syntheses the trainer reads (their group, or everyone's)."""
    return reader_scope(current_user)


def _group_name() -> str | None:
    """The group whose answers the page shows, for its heading; None when it shows everyone's."""
    scope = _scope()
    return group_name(get_session(), scope) if scope is not None else None


def _grouped_answers() -> list[ModuleGroup]:
    return group_by_question(shared_answers(get_session(), scope=_scope()), get_library().modules())


def _synthesis(synthesis_id: int) -> Synthesis:
    """The synthesis, if this trainer may read it (another group's is answered 404, as a missing one)."""
    synthesis = get_session().get(Synthesis, synthesis_id)
    if synthesis is None or not syntheses.visible_to(synthesis, _scope()):
        abort(404)
    return synthesis


def _part(value: str | None) -> SynthesisPart:
    try:
        return SynthesisPart(value or "")
    except ValueError:
        abort(400)


def _to_page(synthesis: Synthesis, anchor: str | None = None):  # noqa: ANN202 - a redirect response
    return redirect(url_for("trainer.synthesis", synthesis_id=synthesis.id, _anchor=anchor))


@bp.route("/reflexions")
def shared_reflections():
    return render_template("trainer/reflections.html", groups=_grouped_answers(), group_name=_group_name())


@bp.route("/syntheses", methods=["GET", "POST"])
def syntheses_index():
    form = SynthesisForm()
    if form.validate_on_submit():
        try:
            synthesis = syntheses.create_synthesis(
                get_session(), title=form.title.data or "", territory=form.territory.data or "", held_on=form.held_on.data, author=current_user
            )
        except syntheses.SynthesisError as error:
            form[error.field or "title"].errors = [error.message]
        else:
            return _to_page(synthesis)
    status = 400 if form.errors else 200
    listed = syntheses.list_syntheses(get_session(), scope=_scope())
    return render_template("trainer/syntheses.html", syntheses=listed, form=form, group_name=_group_name()), status


@bp.route("/syntheses/<int:synthesis_id>", methods=["GET", "POST"])
def synthesis(synthesis_id: int):
    synthesis = _synthesis(synthesis_id)
    form = SynthesisForm(obj=synthesis)
    if form.validate_on_submit():
        try:
            syntheses.update_synthesis(
                get_session(), synthesis, title=form.title.data or "", territory=form.territory.data or "", held_on=form.held_on.data
            )
        except syntheses.SynthesisError as error:
            form[error.field or "title"].errors = [error.message]
        else:
            flash(_("Synthèse mise à jour."), "success")
            return _to_page(synthesis)
    return render_template(
        "trainer/synthesis.html",
        view=syntheses.load(get_session(), synthesis),
        form=form,
        parts=list(SynthesisPart),
        groups=_grouped_answers(),
    ), (400 if form.errors else 200)


@bp.route("/syntheses/<int:synthesis_id>/elements", methods=["POST"])
def add_synthesis_item(synthesis_id: int):
    synthesis = _synthesis(synthesis_id)
    part = _part(request.form.get("part"))
    try:
        syntheses.add_item(get_session(), synthesis, part, request.form.get("text", ""))
    except syntheses.SynthesisError as error:
        flash(f"{part.label} — {error.message}", "error")
    return _to_page(synthesis, f"partie-{part.value}")


@bp.route("/syntheses/<int:synthesis_id>/elements/reponse", methods=["POST"])
def quote_shared_answer(synthesis_id: int):
    """Copy a shared answer into a part (the copy stays even if the learner withdraws the answer later)."""
    synthesis = _synthesis(synthesis_id)
    part = _part(request.form.get("part"))
    answer = shared_answer(get_session(), request.form.get("answer_id", type=int) or 0, scope=_scope())
    if answer is None:
        flash(_("Cette réponse n'est plus partagée : elle n'a pas été ajoutée."), "error")
        return _to_page(synthesis, "reponses")
    syntheses.add_item(get_session(), synthesis, part, answer.text, from_shared_answer=True)
    flash(_("Réponse ajoutée à « %(part)s ».", part=part.label), "success")
    return _to_page(synthesis, f"partie-{part.value}")


def _item(synthesis: Synthesis, item_id: int) -> SynthesisItem:
    item = get_session().get(SynthesisItem, item_id)
    if item is None or item.synthesis_id != synthesis.id:
        abort(404)
    return item


@bp.route("/syntheses/<int:synthesis_id>/elements/<int:item_id>", methods=["POST"])
def change_synthesis_item(synthesis_id: int, item_id: int):
    """One form per item: save its text, delete it, or move it up or down."""
    synthesis = _synthesis(synthesis_id)
    item = _item(synthesis, item_id)
    action, db = request.form.get("action"), get_session()
    try:
        if action == "enregistrer":
            syntheses.edit_item(db, synthesis, item, request.form.get("text", ""))
        elif action == "supprimer":
            syntheses.delete_item(db, synthesis, item)
        elif action in ("monter", "descendre"):
            syntheses.move_item(db, synthesis, item, -1 if action == "monter" else 1)
        else:
            abort(400)
    except syntheses.SynthesisError as error:
        flash(error.message, "error")
    return _to_page(synthesis, f"partie-{item.part}")


def _download(body: bytes | str, mimetype: str, synthesis: Synthesis, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="synthese-{synthesis.id}.{extension}"'
    return response


@bp.route("/syntheses/<int:synthesis_id>/synthese.md")
def synthesis_markdown(synthesis_id: int):
    synthesis = _synthesis(synthesis_id)
    return _download(to_markdown(syntheses.load(get_session(), synthesis)), "text/markdown; charset=utf-8", synthesis, "md")


@bp.route("/syntheses/<int:synthesis_id>/synthese.pdf")
def synthesis_pdf(synthesis_id: int):
    synthesis = _synthesis(synthesis_id)
    return _download(to_pdf(syntheses.load(get_session(), synthesis)), "application/pdf", synthesis, "pdf")
