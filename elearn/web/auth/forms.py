"""Forms of the accounts pages; messages shown next to each field, in the interface's language."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from elearn.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from elearn.i18n import _l

_REQUIRED = _l("Ce champ est obligatoire.")
_PASSWORD_LENGTH = _l("Entre %(min)d et %(max)d caractères.", min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)
_PASSWORDS_DIFFER = _l("Les deux mots de passe diffèrent.")


class IdentityForm(FlaskForm):
    """The name printed on certificates and the profession (registration and « Mon compte »)."""

    full_name = StringField(
        _l("Nom et prénom (tels qu'ils figureront sur l'attestation)"),
        validators=[DataRequired(_REQUIRED), Length(max=120, message=_l("120 caractères au maximum."))],
    )
    profession = StringField(
        _l("Profession (facultatif)"), validators=[Length(max=120, message=_l("120 caractères au maximum."))]
    )


class RegistrationForm(IdentityForm):
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[DataRequired(_REQUIRED), Length(max=254, message=_l("254 caractères au maximum."))],
    )
    password = PasswordField(
        _l("Mot de passe (%(min)d caractères au moins)", min=MIN_PASSWORD_LENGTH),
        validators=[
            DataRequired(_REQUIRED),
            Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH, message=_PASSWORD_LENGTH),
        ],
    )
    confirm = PasswordField(
        _l("Confirmez le mot de passe"),
        validators=[DataRequired(_REQUIRED), EqualTo("password", message=_PASSWORDS_DIFFER)],
    )
    group_code = StringField(
        _l("Code de groupe (facultatif)"), validators=[Length(max=40, message=_l("40 caractères au maximum."))]
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(_REQUIRED), Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(_REQUIRED), Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField(_l("Rester connecté·e sur cet appareil"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail de votre compte"), validators=[DataRequired(_REQUIRED), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nouveau mot de passe (%(min)d caractères au moins)", min=MIN_PASSWORD_LENGTH),
        validators=[
            DataRequired(_REQUIRED),
            Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH, message=_PASSWORD_LENGTH),
        ],
    )
    confirm = PasswordField(
        _l("Confirmez le mot de passe"),
        validators=[DataRequired(_REQUIRED), EqualTo("password", message=_PASSWORDS_DIFFER)],
    )


class PasswordChangeForm(ResetPasswordForm):
    """« Mon compte »: the new password twice, after the current one."""

    current_password = PasswordField(
        _l("Mot de passe actuel"), validators=[DataRequired(_REQUIRED), Length(max=MAX_PASSWORD_LENGTH)]
    )


class AccountActionForm(FlaskForm):
    """A button of « Mon compte » that only needs the CSRF token (download, erasure request, log-out)."""
