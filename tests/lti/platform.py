"""An LTI 1.3 platform for the tests: the PyPI package ``lti1p3platform`` (platform side of LTI 1.3,
written by others) behind a small Flask face, served over real HTTP on a loopback port, with its own key.

It plays an LMS: it starts a launch (the OIDC login initiation URL a browser is sent to), answers the
tool's authorisation request with a signed id_token (resource link with the grade service, or a deep
linking request), publishes its key set, hands out access tokens, and keeps what the tool sends back:
scores posted to its line item, content items returned by deep linking.

Refusals are made the way a faulty or hostile platform would: another key signing the id_token, an
expired id_token, a deployment or issuer elearn does not know.
"""

from __future__ import annotations

import threading
import typing as t
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, abort, jsonify, redirect, request
from lti1p3platform.framework.templates import template
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from werkzeug.serving import make_server

from tests.pgserver import free_port

CLIENT_ID = "elearn-client"
DEPLOYMENT_ID = "deployment-1"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
ADMINISTRATOR = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"


def _pem_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private.decode(), public.decode()


class _FlaskRequest(Request):
    def build_metadata(self, flask_request: t.Any) -> dict[str, t.Any]:
        return {
            "method": flask_request.method, "form_data": flask_request.form.to_dict(), "json": None,
            "get_data": flask_request.args.to_dict(), "headers": dict(flask_request.headers),
            "content_type": flask_request.content_type, "path": flask_request.path,
        }


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: t.Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict[str, t.Any], **kwargs: t.Any) -> str:
        return template.render(launch_data)


@dataclass
class LaunchPlan:
    """What the next launch carries (set by the test before it starts the launch)."""

    user_id: str = "moodle-user-1"
    roles: list[str] = field(default_factory=lambda: [LEARNER])
    name: str = "Alex Moodle"
    email: str = "alex.moodle@exemple.fr"
    module: str | None = None
    deep_linking: bool = False
    deployment_id: str = DEPLOYMENT_ID
    expires_in: int = 300
    wrong_key: bool = False


class Platform:
    """The platform server: ``start()`` once per session; ``plan`` before each launch."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.private_key, self.public_key = _pem_pair()
        self.rogue_private_key, _ = _pem_pair()
        self.tool_jwks: dict[str, t.Any] = {}
        self.tool_login_url = "http://elearn.test/lti/login"
        self.tool_launch_url = "http://elearn.test/lti/launch"
        self.plan = LaunchPlan()
        self.scores: list[dict[str, t.Any]] = []
        self.content_items: list[dict[str, t.Any]] = []
        self.fail_scores = False
        self.app = self._make_app()
        self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()

    # What an administrator copies from the platform into elearn ---------------------------------
    @property
    def issuer(self) -> str:
        return self.url

    @property
    def lineitem(self) -> str:
        return f"{self.url}/lineitems/1"

    def registration_form(self) -> dict[str, str]:
        return {"name": "Moodle de test", "issuer": self.issuer, "client_id": CLIENT_ID, "deployment_ids": DEPLOYMENT_ID,
                "keyset_url": f"{self.url}/jwks", "auth_url": f"{self.url}/authorize", "token_url": f"{self.url}/token"}

    # lti1p3platform objects ----------------------------------------------------------------------
    def config(self) -> LTI1P3PlatformConfAbstract:
        outer = self

        class Conf(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **kwargs: t.Any) -> None:
                pass

            def get_registration_by_params(self, **kwargs: t.Any) -> Registration:
                plan = outer.plan
                return (
                    Registration()
                    .set_iss(outer.issuer)
                    .set_client_id(CLIENT_ID)
                    .set_deployment_id(plan.deployment_id)
                    .set_oidc_login_url(outer.tool_login_url)
                    .set_launch_url(outer.tool_launch_url)
                    .set_deeplink_launch_url(outer.tool_launch_url)
                    .set_platform_public_key(outer.public_key)
                    .set_platform_private_key(outer.rogue_private_key if plan.wrong_key else outer.private_key)
                    .set_tool_key_set(outer.tool_jwks)
                )

        return Conf()

    def login_initiation_url(self) -> str:
        """Where the platform sends the browser to start a launch (elearn's login initiation URL)."""
        login = _Login(None, self.config())
        login.set_lti_message_hint(hint="deep" if self.plan.deep_linking else "resource")
        return login.prepare_preflight_url(self.plan.user_id)

    def _make_app(self) -> Flask:
        app = Flask("lti1p3platform-test")
        outer = self

        @app.get("/jwks")
        def jwks():  # noqa: ANN202
            conf = outer.config()
            conf.get_registration()
            return jsonify(conf.get_jwks())

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize():  # noqa: ANN202
            plan, conf = outer.plan, outer.config()
            launch = _Launch(_FlaskRequest(request), conf)
            launch.set_user_data(plan.user_id, plan.roles, full_name=plan.name, email_address=plan.email)
            launch.set_resource_link_claim("link-1", title="Module elearn")
            launch.set_launch_context_claim("course-1", context_title="Santé et égalité")
            launch.id_token_expiration = plan.expires_in
            if plan.module:
                launch.set_custom_parameters_claim({"module": plan.module})
            if plan.deep_linking:
                launch.set_dl(f"{outer.url}/deep_link_return", title="Ajouter elearn")
            else:
                launch.set_ags(f"{outer.url}/lineitems", outer.lineitem)
            return launch.lti_launch()

        @app.post("/token")
        def token():  # noqa: ANN202
            conf = outer.config()
            conf.get_registration()
            return jsonify(conf.get_access_token(request.form.to_dict()))

        @app.post("/lineitems/1/scores")
        def scores():  # noqa: ANN202
            if outer.fail_scores:
                abort(503)
            conf = outer.config()
            conf.get_registration()
            bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if not conf.validate_token(bearer, allowed_scopes=[SCORE_SCOPE]):
                abort(403)
            outer.scores.append(request.get_json(force=True))
            return "", 204

        @app.post("/deep_link_return")
        def deep_link_return():  # noqa: ANN202
            conf = outer.config()
            conf.get_registration()
            outer.content_items = conf.validate_deeplinking_resp(request.form.to_dict())
            return redirect(f"{outer.url}/course")

        return app
