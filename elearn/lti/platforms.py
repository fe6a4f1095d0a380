"""The platforms an administrator registered, as pylti1p3's tool configuration reads them.

A registration is found by issuer and client id (several registrations of one issuer are allowed);
its deployments are the deployment ids the administrator listed.
"""

from __future__ import annotations

from pathlib import Path

from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlmodel import Session, col, select

from elearn.i18n import _
from elearn.lti.keys import private_key_pem, public_key_pem
from elearn.models import LtiPlatform
from elearn.models.base import utcnow


class PlatformError(ValueError):
    """A registration that cannot be saved; the message is for the administrator, ``field`` the form's
    field it is about."""

    def __init__(self, message: str, field: str = "name") -> None:
        super().__init__(message)
        self.field = field


def find_platform(session: Session, issuer: str, client_id: str | None = None) -> LtiPlatform | None:
    statement = select(LtiPlatform).where(col(LtiPlatform.issuer) == issuer)
    if client_id:
        statement = statement.where(col(LtiPlatform.client_id) == client_id)
    return session.exec(statement.order_by(col(LtiPlatform.id))).first()


def all_platforms(session: Session) -> list[LtiPlatform]:
    return list(session.exec(select(LtiPlatform).order_by(col(LtiPlatform.name))))


def _url(value: str, field: str) -> str:
    value = value.strip()
    if not value.startswith(("https://", "http://")):
        raise PlatformError(_("Une adresse commençant par https:// est attendue."), field)
    return value


def save_platform(
    session: Session, *, name: str, issuer: str, client_id: str, deployment_ids: str, keyset_url: str, auth_url: str,
    token_url: str, platform: LtiPlatform | None = None, actor: object = None,
) -> LtiPlatform:
    """Register (or update) a platform from the form's values; commits and records it in the audit trail."""
    from elearn.accounts import record

    deployments = [d for d in (part.strip() for part in deployment_ids.replace(",", "\n").splitlines()) if d]
    for field, value in (("name", name), ("issuer", issuer), ("client_id", client_id)):
        if not value.strip():
            raise PlatformError(_("Ce champ est obligatoire."), field)
    if not deployments:
        raise PlatformError(_("Indiquez au moins un identifiant de déploiement."), "deployment_ids")
    platform = platform or LtiPlatform(name="", issuer="", client_id="", keyset_url="", auth_url="", token_url="")
    platform.name, platform.issuer, platform.client_id = name.strip(), issuer.strip(), client_id.strip()
    platform.deployment_ids = deployments
    platform.keyset_url = _url(keyset_url, "keyset_url")
    platform.auth_url = _url(auth_url, "auth_url")
    platform.token_url = _url(token_url, "token_url")
    platform.created_at = platform.created_at or utcnow()
    session.add(platform)
    try:
        session.flush()
    except Exception as error:  # noqa: BLE001 - the unique constraint (issuer, client id)
        session.rollback()
        raise PlatformError(_("Cette plateforme (émetteur et identifiant client) est déjà enregistrée."), "client_id") from error
    record(session, "lti.platform_saved", actor=actor, target=f"lti:{platform.id}", issuer=platform.issuer,
           client_id=platform.client_id, deployments=", ".join(deployments))
    session.commit()
    return platform


def registration(platform: LtiPlatform, instance_path: Path) -> Registration:
    """pylti1p3's view of a registered platform, with the tool's key."""
    private = private_key_pem(instance_path)
    return (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_key_set_url(platform.keyset_url)
        .set_auth_login_url(platform.auth_url)
        .set_auth_token_url(platform.token_url)
        .set_tool_private_key(private)
        .set_tool_public_key(public_key_pem(private))
    )


class DatabaseToolConf(ToolConfAbstract):
    """pylti1p3's tool configuration, read from the registered platforms."""

    def __init__(self, session: Session, instance_path: Path) -> None:
        super().__init__()
        self._session, self._instance = session, instance_path

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss: str, *args, **kwargs) -> Registration | None:  # noqa: ANN002, ANN003
        platform = find_platform(self._session, iss)
        return registration(platform, self._instance) if platform else None

    def find_registration_by_params(self, iss: str, client_id: str, *args, **kwargs) -> Registration | None:  # noqa: ANN002, ANN003
        platform = find_platform(self._session, iss, client_id)
        return registration(platform, self._instance) if platform else None

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str | None, *args, **kwargs) -> Deployment | None:  # noqa: ANN002, ANN003
        platform = find_platform(self._session, iss, client_id)
        if platform is None or deployment_id not in platform.deployment_ids:
            return None
        return Deployment().set_deployment_id(deployment_id)
