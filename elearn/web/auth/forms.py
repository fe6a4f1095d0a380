"""Forms of the accounts pages; French messages shown next to each field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from elearn.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

_REQUIRED = "Ce champ est obligatoire."


class RegistrationForm(FlaskForm):
    full_name = StringField(
        "Nom et prénom (tels qu'ils figureront sur l'attestation)",
        validators=[DataRequired(_REQUIRED), Length(max=120, message="120 caractères au maximum.")],
    )
    email = EmailField(
        "Adresse e-mail",
        validators=[DataRequired(_REQUIRED), Length(max=254, message="254 caractères au maximum.")],
    )
    profession = StringField(
        "Profession (facultatif)", validators=[Length(max=120, message="120 caractères au maximum.")]
    )
    password = PasswordField(
        f"Mot de passe ({MIN_PASSWORD_LENGTH} caractères au moins)",
        validators=[
            DataRequired(_REQUIRED),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=f"Entre {MIN_PASSWORD_LENGTH} et {MAX_PASSWORD_LENGTH} caractères.",
            ),
        ],
    )
    confirm = PasswordField(
        "Confirmez le mot de passe",
        validators=[DataRequired(_REQUIRED), EqualTo("password", message="Les deux mots de passe diffèrent.")],
    )


class LoginForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[DataRequired(_REQUIRED), Length(max=254)])
    password = PasswordField("Mot de passe", validators=[DataRequired(_REQUIRED), Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField("Rester connecté·e sur cet appareil")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Adresse e-mail de votre compte", validators=[DataRequired(_REQUIRED), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        f"Nouveau mot de passe ({MIN_PASSWORD_LENGTH} caractères au moins)",
        validators=[
            DataRequired(_REQUIRED),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=f"Entre {MIN_PASSWORD_LENGTH} et {MAX_PASSWORD_LENGTH} caractères.",
            ),
        ],
    )
    confirm = PasswordField(
        "Confirmez le mot de passe",
        validators=[DataRequired(_REQUIRED), EqualTo("password", message="Les deux mots de passe diffèrent.")],
    )
