"""Forged certificate PDFs: each is caught by ``elearn verify-cert`` and by the upload on ``/verify/<code>``;
the genuine file passes both, and its signature also validates with poppler's ``pdfsig``.

The genuine PDF is issued and downloaded once, through the web pages, as a learner would get it.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText
from weasyprint import HTML

from elearn.cli.certificates import verify_cert
from elearn.models import Role
from tests.certificates.support import certificate_app, complete_path, obtain_certificate
from tests.certificates.test_verify import overlaid
from tests.conftest import AuthActions, add_user


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """An app, a client and the genuine PDF of a certificate, downloaded by its learner."""
    tmp = tmp_path_factory.mktemp("forgery")
    app = certificate_app(tmp)
    learner = add_user(app, "apprenant@exemple.fr", Role.LEARNER, "Camille Martin", profession="Infirmière")
    complete_path(app, learner.id)
    client = app.test_client()
    AuthActions(client).login(learner.email)
    code = obtain_certificate(client)
    location = f"/attestation/{code}.pdf"
    genuine = client.get(location).data
    assert client.get(location).data == genuine  # stored: the same bytes every time
    AuthActions(client).logout()
    return {"app": app, "client": client, "code": code, "pdf": genuine, "tmp": tmp}


def _written(writer: PdfWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamp(content: bytes, overlay_pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(content)))
    writer.pages[0].merge_page(PdfReader(BytesIO(overlay_pdf)).pages[0])
    return _written(writer)


def overlay_off_the_line(content: bytes) -> bytes:
    """A white box over the holder's name, and another name drawn a little below the original line."""
    css = "@page { size: A4; margin: 0 } div { position: absolute; background: white; font: 16pt 'DejaVu Serif' }"
    markup = f"<style>{css}</style><div style='left: 150pt; top: 330pt; width: 300pt; height: 40pt'></div>" \
           "<div style='left: 200pt; top: 352pt'>Claude Martin</div>"
    return _stamp(content, HTML(string=markup).write_pdf())


def image_overlay(content: bytes) -> bytes:
    """A picture (a scanned-looking patch) stamped over the page."""
    picture = BytesIO()
    Image.new("RGB", (400, 60), "white").save(picture, format="PNG")
    page = BytesIO()
    Image.open(picture).save(page, format="PDF", resolution=72)
    return _stamp(content, page.getvalue())


def incremental_update(content: bytes) -> bytes:
    """A text box added as an incremental update: the signed bytes stay intact, a reader shows the new text."""
    writer = PdfWriter(BytesIO(content), incremental=True)
    writer.add_annotation(0, FreeText(text="Temps actif mesuré : 9 h 33 min", rect=(50, 400, 350, 430)))
    return _written(writer)


def resaved(content: bytes) -> bytes:
    """The same pages and attachment written again by another tool."""
    return _written(PdfWriter(clone_from=PdfReader(BytesIO(content))))


def byte_flip(content: bytes) -> bytes:
    """One byte changed in the middle of the file."""
    changed = bytearray(content)
    changed[len(changed) // 3] ^= 0x01
    return bytes(changed)


FORGERIES = [overlay_off_the_line, image_overlay, incremental_update, resaved, byte_flip]


def verify_cert_output(issued, content: bytes) -> tuple[int, str]:  # noqa: ANN001
    file = issued["tmp"] / "checked.pdf"
    file.write_bytes(content)
    result = CliRunner().invoke(verify_cert, [str(file)], obj=_script_info(issued["app"]))
    return result.exit_code, result.output


def _script_info(app):  # noqa: ANN001, ANN202
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def upload(issued, content: bytes) -> str:  # noqa: ANN001
    response = issued["client"].post(
        f"/verify/{issued['code']}", data={"document": (BytesIO(content), "attestation.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_the_genuine_file_passes_verify_cert_and_the_upload(issued):
    status, output = verify_cert_output(issued, issued["pdf"])
    assert status == 0, output
    assert "Signature électronique du PDF valide" in output and "(certificat de l'organisme, empreinte SHA-256 " in output
    page = upload(issued, issued["pdf"])
    assert "Fichier d'origine" in page and "C'est bien le fichier délivré pour ce code" in page


@pytest.mark.parametrize("forge", FORGERIES, ids=lambda forge: forge.__name__)
def test_a_forged_file_is_caught_by_verify_cert_and_the_upload(issued, forge):
    forged = forge(issued["pdf"])
    assert forged != issued["pdf"]
    status, output = verify_cert_output(issued, forged)
    assert status == 1 and output.startswith("ÉCHEC : "), output
    page = upload(issued, forged)
    assert "Fichier différent" in page and "Ce fichier n'est pas celui délivré pour ce code" in page


def test_an_incremental_update_is_named_as_such(issued):
    status, output = verify_cert_output(issued, incremental_update(issued["pdf"]))
    assert status == 1 and "Le PDF a été complété après sa signature (mise à jour incrémentale" in output


def test_the_upload_names_the_field_that_differs(issued):
    """A value painted over its own line: the page's text no longer matches the certificate issued."""
    page = upload(issued, overlaid(issued["pdf"], "1 h 33 min", "9\u00a0h\u00a033\u00a0min"))
    assert "Temps actif mesuré : la page porte « 9 h 33 min », l'attestation signée « 1 h 33 min »" in page


def test_a_file_that_is_not_a_pdf_is_refused_with_a_message(issued):
    response = issued["client"].post(
        f"/verify/{issued['code']}", data={"document": (BytesIO(b"GIF89a"), "a.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400 and "Ce fichier n'est pas un PDF." in html.unescape(response.get_data(as_text=True))


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is installed by make test (make pdfsig)")
def test_an_independent_tool_validates_the_signature_and_sees_a_flipped_byte(issued):
    genuine, flipped = issued["tmp"] / "genuine.pdf", issued["tmp"] / "flipped.pdf"
    genuine.write_bytes(issued["pdf"])
    flipped.write_bytes(byte_flip(issued["pdf"]))
    output = subprocess.run(["pdfsig", str(genuine)], capture_output=True, text=True, check=False).stdout
    assert "Signature Validation: Signature is Valid." in output and "Total document signed" in output
    assert "Signing Hash Algorithm: SHA-256" in output and "Signature Type: ETSI.CAdES.detached" in output
    broken = subprocess.run(["pdfsig", str(flipped)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid" not in broken


def test_stored_pdfs_are_the_fingerprints_shown_on_the_verification_page(issued):
    import hashlib

    page = issued["client"].get(f"/verify/{issued['code']}").get_data(as_text=True)
    assert hashlib.sha256(issued["pdf"]).hexdigest() in page
    assert "Repérer les discriminations" in page and "87,5" in page and "Association Santé Égalité" in page


