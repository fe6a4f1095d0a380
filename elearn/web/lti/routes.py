"""The tool's endpoints. Views stay thin: pylti1p3 checks the messages, :mod:`elearn.lti` decides.

- ``/lti/jwks``: the tool's public keys;
- ``/lti/login``: OIDC login initiation. A page first checks that the browser keeps cookies here (an LMS
  shows elearn in an iframe, where browsers may block them); if not, it offers to open elearn in a new
  window, where the launch then runs;
- ``/lti/launch``: the launch (resource link or deep linking request). Every refusal is a page in
  French with status 400 and an entry in the audit trail;
- ``/lti/deep-link``: the teacher's choice (a module or the whole path) sent back to the platform.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import abort, current_app, g, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from requests import RequestException

from elearn.accounts import record
from elearn.db import get_session
from elearn.i18n import _
from elearn.lti import launch as lti_launch
from elearn.lti.keys import jwks as tool_jwks
from elearn.lti.platforms import DatabaseToolConf, find_platform, registration
from elearn.lti.refusals import Refusal, classify
from elearn.models import LtiPlatform, Role
from elearn.web.auth.routes import start_session
from elearn.web.lti import bp
from elearn.web.modules import get_library

#: What pylti1p3 raises for a message it refuses, or a platform it cannot reach (its key set).
REFUSED = (LtiException, OIDCException, RequestException)

#: Where a deep linking request waits for the teacher's choice (the session, small: no whole id_token).
DEEP_LINK_KEY = "lti_deep_link"


def _instance() -> Path:
    return Path(current_app.config["ELEARN_INSTANCE_DIR"])


def _tool_conf() -> DatabaseToolConf:
    return DatabaseToolConf(get_session(), _instance())


@bp.route("/jwks")
def jwks():
    return jsonify(tool_jwks(_instance()))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """OIDC login initiation: check cookies, then redirect to the platform's authorisation endpoint."""
    params = {**request.args.to_dict(), **request.form.to_dict()}
    if not params.get("iss") or not params.get("target_link_uri"):
        return _refuse(Refusal("invalid", "login without iss or target_link_uri"))
    if find_platform(get_session(), params["iss"], params.get("client_id")) is None:
        return _refuse(Refusal("unknown_issuer", params["iss"][:200]))
    if params.pop("cookies", None) != "1":
        continue_url = url_for("lti.login", **params, cookies="1")
        return render_template("lti/cookie_check.html", continue_url=continue_url)
    try:
        oidc = FlaskOIDCLogin(FlaskRequest(request_data=params), _tool_conf())
        return oidc.redirect(params["target_link_uri"])
    except REFUSED as error:
        return _refuse(classify(error))


@bp.route("/launch", methods=["POST"])
def launch():
    db = get_session()
    message = FlaskMessageLaunch(FlaskRequest(), _tool_conf())
    try:
        claims = message.get_launch_data()
        if not claims.get("sub"):  # an anonymous launch names nobody to log in
            raise LtiException("Missing sub")
    except REFUSED as error:
        return _refuse(classify(error))
    session.pop(f"lti1p3-launch-{message.get_launch_id()}", None)  # the whole id_token would bloat the cookie
    if not lti_launch.remember_nonce(db, str(claims["iss"]), str(claims.get("nonce", ""))):
        return _refuse(Refusal("replayed", str(claims.get("nonce", ""))[:100]), claims.get("iss"))
    user = lti_launch.user_for_launch(db, claims)
    if not user.is_active:
        return _refuse(Refusal("invalid", "account deactivated"), claims.get("iss"))
    start_session(user, remember=False)
    record(db, "lti.launch", actor=user, target=f"user:{user.id}", issuer=str(claims["iss"]),
           deep_linking=message.is_deep_link_launch())
    db.commit()
    platform = find_platform(db, str(claims["iss"]), str(claims["aud"] if isinstance(claims["aud"], str) else claims["aud"][0]))
    if message.is_deep_link_launch():
        if not user.has_role(Role.TRAINER, Role.ADMIN):
            return _refuse(Refusal("invalid", "deep linking by a learner"), claims.get("iss"), status=403)
        session[DEEP_LINK_KEY] = {
            "platform": platform.id,  # type: ignore[union-attr]
            "deployment": claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"],
            "settings": claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"],
        }
        return redirect(url_for("lti.deep_link"))
    target = lti_launch.target_module(claims)
    if target and target != lti_launch.WHOLE_PATH and get_library().get(target) is not None:
        lti_launch.link_grades(db, user, target, platform, claims)  # type: ignore[arg-type]
        return redirect(url_for("learn.module_overview", slug=target))
    return redirect(url_for("learn.catalog"))


@bp.route("/deep-link", methods=["GET", "POST"])
def deep_link():
    """The teacher picks a module (or the whole path); the choice goes back to the platform, signed."""
    pending = session.get(DEEP_LINK_KEY)
    if not pending or not current_user.is_authenticated:
        return _refuse(Refusal("state", "no deep linking request in this session"))
    modules = get_library().modules()
    if request.method == "GET":
        return render_template("lti/deep_link.html", modules=modules)
    choice = request.form.get("choix", "")
    if choice == lti_launch.WHOLE_PATH:
        title, custom = _("Parcours complet"), {lti_launch.WHOLE_PATH: "1"}
    else:
        module = get_library().get(choice)
        if module is None:
            abort(400)
        title, custom = module.title, {lti_launch.MODULE_PARAMETER: module.slug}
    platform = get_session().get(LtiPlatform, pending["platform"])
    if platform is None:
        return _refuse(Refusal("unknown_issuer", "platform removed"))
    base = (current_app.config.get("ELEARN_BASE_URL") or request.url_root).rstrip("/")
    resource = DeepLinkResource().set_url(base + url_for("lti.launch")).set_title(title).set_custom_params(custom)
    response_jwt = DeepLink(registration(platform, _instance()), pending["deployment"], pending["settings"]).get_response_jwt([resource])
    session.pop(DEEP_LINK_KEY, None)
    return_url = pending["settings"]["deep_link_return_url"]
    g.csp_form_action = "{0.scheme}://{0.netloc}".format(urlsplit(return_url))  # the form posts to the platform
    return render_template("lti/deep_link_return.html", return_url=return_url, jwt=response_jwt, title=title)


def _refuse(refusal: Refusal, issuer: object = None, status: int = 400):  # noqa: ANN202
    """A refusal page, and its entry in the audit trail."""
    db = get_session()
    db.rollback()
    record(db, "lti.launch_refused", target="lti", reason=refusal.reason, issuer=str(issuer or request.values.get("iss", ""))[:200],
           detail=refusal.detail)
    db.commit()
    return render_template("lti/refused.html", message=refusal.message, reason=refusal.reason), status
