"""Forms of the administrators' pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.fields.choices import RadioField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, Optional

from elearn.i18n import _l
from elearn.models import Role
from elearn.visibility import Audience


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


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, role.label) for role in Role]


class IdentityForm(FlaskForm):
    """A person's name, e-mail and profession, as an administrator corrects them."""

    full_name = StringField(_l("Nom et prénom (tels qu'imprimés sur l'attestation)"), validators=[DataRequired(_l("Indiquez le nom et le prénom.")), Length(max=120, message=_l("%(max)d caractères au plus.", max=120))])
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(_l("Indiquez l'adresse e-mail.")), Length(max=254)])
    profession = StringField(_l("Profession"), validators=[Optional(), Length(max=120, message=_l("%(max)d caractères au plus.", max=120))])


class NewAccountForm(IdentityForm):
    """« Créer un compte »: identity, role and group (choices set by the view)."""

    role = SelectField(_l("Rôle"), choices=_role_choices, default=Role.LEARNER.value)
    group = SelectField(_l("Groupe"), choices=[], validate_choice=True)
    invite = BooleanField(_l("Envoyer le lien par e-mail à la personne"), default=True)


class ImportForm(FlaskForm):
    file = FileField(_l("Fichier CSV ou XLSX"), validators=[FileRequired(_l("Choisissez un fichier."))])


class ImportConfirmForm(FlaskForm):
    """The rows of a previewed file, signed, sent back to create the accounts."""

    rows = HiddenField(validators=[DataRequired()])
    invite = BooleanField(_l("Envoyer les liens par e-mail aux personnes"), default=True)


class OwnAccessForm(FlaskForm):
    """An administrator's own e-mail address and password."""

    email = EmailField(_l("Adresse e-mail (identifiant de connexion)"), validators=[DataRequired(_l("Indiquez l'adresse e-mail.")), Length(max=254)])
    new_password = PasswordField(_l("Nouveau mot de passe (laisser vide pour le garder)"), validators=[Optional(), Length(max=200)])
    confirm_password = PasswordField(_l("Nouveau mot de passe, à nouveau"), validators=[EqualTo("new_password", _l("Les deux mots de passe diffèrent."))])
    current_password = PasswordField(_l("Mot de passe actuel (pour confirmer)"), validators=[DataRequired(_l("Indiquez votre mot de passe actuel."))])


class VisibilityForm(FlaskForm):
    """Who sees a module; the groups' choices are set by the view."""

    audience = RadioField(_l("Visible par"), choices=lambda: [(a.value, a.label) for a in Audience], default=Audience.EVERYONE.value)
    groups = SelectMultipleField(_l("Groupes"), choices=[], coerce=int, validate_choice=True)
