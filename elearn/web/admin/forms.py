"""Forms of the administrators' pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import AnyOf, DataRequired, Length

from elearn.i18n import _l
from elearn.models import Role


class RoleForm(FlaskForm):
    # Choices are built with each form, so the role labels follow the request's language.
    role = SelectField(_l("Rôle"), choices=lambda: [SelectChoice(role.value, role.label) for role in Role])


class ConfirmForm(FlaskForm):
    """An empty form: a POST with its CSRF token confirms an action."""


class ActivationForm(FlaskForm):
    """Deactivate (``active=0``) or reactivate (``active=1``) an account."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])


class EraseForm(FlaskForm):
    """Erasure is confirmed by typing the account's e-mail address."""

    confirmation = StringField(
        _l("Recopiez l'adresse e-mail du compte pour confirmer"),
        validators=[DataRequired(_l("Recopiez l'adresse e-mail du compte."))],
    )


class GroupForm(FlaskForm):
    """Create or rename a training group."""

    name = StringField(_l("Nom du groupe"), validators=[DataRequired(_l("Donnez un nom au groupe.")), Length(max=120, message=_l("%(max)d caractères au plus.", max=120))])


class UserGroupForm(FlaskForm):
    """Put an account in a group; the empty choice means no group. Choices are set by the view."""

    group = SelectField(_l("Groupe"), choices=[], validate_choice=True)
