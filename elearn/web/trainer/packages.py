"""Package downloads for trainers and administrators: a module or the whole path as SCORM or offline edition.

The view only reads the request and hands the module files to :mod:`elearn.packaging`; a module with
errors is refused with the checker's messages, shown on the trainer page.
"""

from __future__ import annotations

import io

from flask import flash, redirect, request, send_file, url_for

from elearn.content.model import ContentError
from elearn.i18n import _
from elearn.packaging import FORMATS, PackagingError
from elearn.packaging.build import build_to_bytes
from elearn.web.modules import get_library
from elearn.web.trainer import bp

WHOLE_PATH = "parcours"
#: The error messages shown at most, the rest summed up (``elearn check`` lists them all).
SHOWN_PROBLEMS = 10


@bp.route("/paquet")
def download_package():
    fmt = request.args.get("format", "")
    target = request.args.get("module", "")
    if fmt not in FORMATS or not target:
        flash(_("Choisissez un module (ou le parcours) et un format de paquet."), "error")
        return redirect(url_for("trainer.index", _anchor="paquets"))
    library = get_library()
    whole_path = target == WHOLE_PATH
    try:
        data, result = build_to_bytes(library.modules_dir, library.media_dir, fmt, None if whole_path else target, whole_path)
    except ContentError as error:
        shown = [f"{p.path}:{p.line} : {p.message}" for p in error.problems[:SHOWN_PROBLEMS]]
        more = len(error.problems) - len(shown)
        if more:
            shown.append(_("et %(count)d autre(s) (voir « elearn check »)", count=more))
        flash(_("Paquet refusé : corrigez d'abord ces erreurs. %(problems)s", problems=" ; ".join(shown)), "error")
        return redirect(url_for("trainer.index", _anchor="paquets"))
    except PackagingError as error:
        flash(str(error), "error")
        return redirect(url_for("trainer.index", _anchor="paquets"))
    return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True, download_name=result.filename)
