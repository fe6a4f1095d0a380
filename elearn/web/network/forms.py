"""Forms of the vigilance network: the situation a professional shares, and the trainers' triage."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.models import CareStage, Criterion, ProblemLevel
from elearn.models.network import MAX_SITUATION_TEXT

_TOO_LONG = f"{MAX_SITUATION_TEXT} caractères au plus."


def _choices(enum) -> list[SelectChoice]:  # noqa: ANN001 - one of the network's StrEnums
    return [SelectChoice(member.value, member.label) for member in enum]


class SituationForm(FlaskForm):
    what_happened = TextAreaField(
        "Ce qui s'est passé",
        validators=[DataRequired("Décrivez ce qui s'est passé."), Length(max=MAX_SITUATION_TEXT, message=_TOO_LONG)],
    )
    care_stage = RadioField(
        "À quelle étape du parcours de soins\u00a0?",
        choices=_choices(CareStage),
        validators=[InputRequired("Choisissez l'étape du parcours de soins concernée.")],
    )
    criterion = RadioField(
        "Quel critère de discrimination pourrait être en jeu\u00a0?",
        choices=_choices(Criterion),
        validators=[InputRequired("Choisissez un critère (ou « Autre / je ne sais pas »).")],
    )
    action_taken = TextAreaField(
        "Ce qui a été fait (facultatif)", validators=[Length(max=MAX_SITUATION_TEXT, message=_TOO_LONG)]
    )


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TagForm(FlaskForm):
    criteria = MultiCheckboxField("Critères", choices=_choices(Criterion))
    stages = MultiCheckboxField("Étapes du parcours", choices=_choices(CareStage))
    levels = MultiCheckboxField("Niveau du problème", choices=_choices(ProblemLevel))


class NoteForm(FlaskForm):
    text = TextAreaField("Nouvelle note", validators=[DataRequired("Écrivez une note avant de l'enregistrer.")])


class PublishForm(FlaskForm):
    decision = TextAreaField(
        "Décision qui autorise la publication",
        validators=[DataRequired("Indiquez la décision qui autorise la publication."), Length(max=500, message="500 caractères au plus.")],
    )
    confirm = BooleanField(
        "Je confirme que la situation ne permet de reconnaître personne et que sa diffusion a été décidée.",
        validators=[DataRequired("Cochez la case pour confirmer.")],
    )
