"""Media of the Espace formateur: upload (checked by content), name conflicts, unused files."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from elearn.authoring import drafts as draft_store
from elearn.authoring import media
from elearn.authoring.files import entries_on_disk, read_entry
from elearn.db import get_session
from elearn.i18n import _
from elearn.web.trainer import bp

_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def _media_dir() -> Path:
    return Path(current_app.config["ELEARN_MEDIA_DIR"])


def _pending_dir() -> Path:
    return Path(current_app.config["ELEARN_INSTANCE_DIR"]) / "media-pending"


def _texts() -> dict[str, str]:
    """Every text that may name a media file: modules and parcours.yml on disk, and the drafts."""
    modules_dir = Path(current_app.config["ELEARN_MODULES_DIR"])
    texts = {}
    for slug, entry in entries_on_disk(modules_dir).items():
        files = read_entry(modules_dir, entry) or {}
        texts[entry] = "\n".join(files.values())
    session = get_session()
    for draft in draft_store.drafts(session):
        sections = draft_store.sections_of(session, draft)
        texts[_("brouillon %(slug)s", slug=draft.module_slug)] = "\n".join(s.text for s in sections)
    return texts


def _page(status: int = 200, **context):  # noqa: ANN003, ANN202
    return render_template("trainer/editor/media.html", usages=media.usages(_media_dir(), _texts()),
                           limits={k: v // (1024 * 1024) for k, v in media.SIZE_LIMITS.items()}, **context), status


@bp.route("/medias/")
def media_index():
    return _page()


@bp.route("/medias/envoyer", methods=["POST"])
def media_upload():
    upload = request.files.get("fichier")
    alt, transcript = request.form.get("alt", "").strip(), request.form.get("transcription", "").strip()
    if upload is None or not upload.filename:
        return _page(400, error=_("Choisissez un fichier à envoyer."), alt=alt, transcript=transcript)
    try:
        checked = media.check_upload(upload.filename, upload.read())
    except media.MediaError as error:
        return _page(400, error=str(error), alt=alt, transcript=transcript)
    if checked.kind == "image" and not alt:
        return _page(400, error=_("Décrivez l'image (texte alternatif) : elle est lue aux personnes qui ne la voient pas."),
                     alt=alt, transcript=transcript)
    if checked.kind != "image" and (not alt or not transcript):
        return _page(400, error=_("Un son ou une vidéo a besoin d'un titre et d'une transcription (ou du texte de ses sous-titres)."),
                     alt=alt, transcript=transcript)
    meta = {"name": checked.name, "kind": checked.kind, "alt": alt, "transcript": transcript}
    if (_media_dir() / checked.name).exists():
        token = secrets.token_hex(16)
        _pending_dir().mkdir(parents=True, exist_ok=True)
        (_pending_dir() / token).write_bytes(checked.data)
        (_pending_dir() / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
        return _page(409, pending=meta, token=token, free=media.free_name(_media_dir(), checked.name))
    media.store(_media_dir(), checked.name, checked.data, replace=False)
    media.record(get_session(), checked.name, checked.data, current_user.id)
    return _stored(meta)


def _stored(meta: dict) -> tuple:
    flash(_("Fichier « %(name)s » enregistré dans media/.", name=meta["name"]), "success")
    return _page(snippet=media.snippet(meta["name"], meta["kind"], meta["alt"], meta["transcript"]))


@bp.route("/medias/choix", methods=["POST"])
def media_resolve():
    """The trainer's choice for a taken name: replace the file, or keep both under a new name."""
    token = request.form.get("jeton", "")
    if not _TOKEN_RE.match(token) or not (_pending_dir() / token).is_file():
        flash(_("Cet envoi a expiré : envoyez le fichier de nouveau."), "error")
        return redirect(url_for("trainer.media_index"))
    meta = json.loads((_pending_dir() / f"{token}.json").read_text(encoding="utf-8"))
    data = (_pending_dir() / token).read_bytes()
    choice = request.form.get("choix")
    if choice == "renommer":
        meta["name"] = media.free_name(_media_dir(), meta["name"])
    elif choice != "remplacer":
        return _page(400, pending=meta, token=token, free=media.free_name(_media_dir(), meta["name"]),
                     error=_("Choisissez : remplacer le fichier existant, ou garder les deux."))
    media.store(_media_dir(), meta["name"], data, replace=choice == "remplacer")
    media.record(get_session(), meta["name"], data, current_user.id)
    for leftover in (_pending_dir() / token, _pending_dir() / f"{token}.json"):
        leftover.unlink(missing_ok=True)
    return _stored(meta)


@bp.route("/medias/<name>/supprimer", methods=["POST"])
def media_delete(name: str):
    """Remove a file no module or draft uses (a used one is refused, with its users)."""
    usages = media.usages(_media_dir(), _texts())
    if name not in usages:
        abort(404)
    if usages[name]:
        flash(_("« %(name)s » est utilisé par : %(users)s. Retirez-le de ces textes avant de le supprimer.",
                name=name, users=", ".join(usages[name])), "error")
    elif not request.form.get("confirmer"):
        return render_template("trainer/editor/confirm.html", question=_("Supprimer « %(name)s » ?", name=name),
                               consequence=_("Aucun module ni brouillon ne l'utilise. Le fichier sera effacé du dossier media/."),
                               action=url_for("trainer.media_delete", name=name), button=_("Supprimer le fichier"),
                               back=url_for("trainer.media_index"))
    else:
        (_media_dir() / name).unlink()
        media.forget(get_session(), name)
        flash(_("« %(name)s » supprimé.", name=name), "success")
    return redirect(url_for("trainer.media_index"))
