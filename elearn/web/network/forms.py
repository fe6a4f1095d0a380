"""Forms of the vigilance network: the situation a professional shares, and the trainers' triage."""

from __future__ import annotations

from collections.abc import Callable

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from elearn.i18n import _l
from elearn.models import CareStage, Criterion, ProblemLevel
from elearn.models.network import MAX_SITUATION_TEXT

_TOO_LONG = _l("%(max)d caractères au plus.", max=MAX_SITUATION_TEXT)


def _choices(enum) -> Callable[[], list[SelectChoice]]:  # noqa: ANN001 - one of the network's LabelledEnums
    """Choices built with each form, so their labels follow the request's language."""
    return lambda: [SelectChoice(member.value, member.label) for member in enum]


class SituationForm(FlaskForm):
    what_happened = TextAreaField(
        _l("Ce qui s'est passé"),
        validators=[DataRequired(_l("Décrivez ce qui s'est passé.")), Length(max=MAX_SITUATION_TEXT, message=_TOO_LONG)],
    )
    care_stage = RadioField(
        _l("À quelle étape du parcours de soins\u00a0?"),
        choices=_choices(CareStage),
        validators=[InputRequired(_l("Choisissez l'étape du parcours de soins concernée."))],
    )
    criterion = RadioField(
        _l("Quel critère de discrimination pourrait être en jeu\u00a0?"),
        choices=_choices(Criterion),
        validators=[InputRequired(_l("Choisissez un critère (ou « Autre / je ne sais pas »)."))],
    )
    action_taken = TextAreaField(
        _l("Ce qui a été fait (facultatif)"), validators=[Length(max=MAX_SITUATION_TEXT, message=_TOO_LONG)]
    )


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TagForm(FlaskForm):
    criteria = MultiCheckboxField(_l("Critères"), choices=_choices(Criterion))
    stages = MultiCheckboxField(_l("Étapes du parcours"), choices=_choices(CareStage))
    levels = MultiCheckboxField(_l("Niveau du problème"), choices=_choices(ProblemLevel))


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Nouvelle note"), validators=[DataRequired(_l("Écrivez une note avant de l'enregistrer."))])


class PublishForm(FlaskForm):
    decision = TextAreaField(
        _l("Décision qui autorise la publication"),
        validators=[
            DataRequired(_l("Indiquez la décision qui autorise la publication.")),
            Length(max=500, message=_l("%(max)d caractères au plus.", max=500)),
        ],
    )
    confirm = BooleanField(
        _l("Je confirme que la situation ne permet de reconnaître personne et que sa diffusion a été décidée."),
        validators=[DataRequired(_l("Cochez la case pour confirmer."))],
    )
