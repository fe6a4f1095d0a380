"""Forms of the administrators' pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from elearn.models import Role


class RoleForm(FlaskForm):
    role = SelectField("Rôle", choices=[SelectChoice(role.value, role.label) for role in Role])


class ConfirmForm(FlaskForm):
    """An empty form: a POST with its CSRF token confirms an action."""
