"""``elearn verify-cert`` and ``elearn certificates …``: the certificate functions from the command line.

``verify-cert`` works offline on a PDF file; the ``certificates`` commands act on this installation's
database, with the same functions as the administrators' pages.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from cryptography import x509
from flask import current_app
from flask.cli import with_appcontext

from elearn.accounts import find_user_by_email
from elearn.certificates import pades, signing
from elearn.certificates.eligibility import path_problems
from elearn.certificates.errors import CertificateError
from elearn.certificates.issue import Issuer, find_certificate, issue_certificate, revoke_certificate
from elearn.certificates.path import PathConfigError, TrainingPath, load_path, placeholder_keys
from elearn.certificates.verify import verify_pdf
from elearn.db import session_scope
from elearn.organisation.identity import current_identity, with_identity
from elearn.web.modules import get_library


def _instance() -> Path:
    return Path(current_app.config["ELEARN_INSTANCE_DIR"])


@click.command("verify-cert")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Public key of the organisation (PEM, or the JSON published at /.well-known/elearn-certificate-key). "
                   "Default: this installation's key.")
@click.option("--cert", "cert_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="X.509 certificate that signs the PDFs (PEM). Default: this installation's, when run on it.")
@with_appcontext
def verify_cert(pdf: Path, key_file: Path | None, cert_file: Path | None) -> None:
    """Check a certificate PDF offline; exit status 0 when authentic, 1 with the reason otherwise.

    The PDF signature first (intact, covering the whole file, no update appended after it), then the
    embedded credential and the printed page.
    """
    try:
        key = signing.read_public_key_file(key_file) if key_file else signing.load_public_key(_instance())
    except signing.SigningKeyError as error:
        raise click.UsageError(error.message) from error
    result = verify_pdf(pdf.read_bytes(), key, _pdf_certificate(cert_file, key_file is None))
    click.echo(("OK : " if result.valid else "ÉCHEC : ") + result.message)
    sys.exit(0 if result.valid else 1)


def _pdf_certificate(cert_file: Path | None, local: bool) -> x509.Certificate | None:
    """The PDF signer's certificate to expect: the one given, else this installation's (never created here)."""
    try:
        if cert_file is not None:
            return x509.load_pem_x509_certificates(cert_file.read_bytes())[0]
        if local and (_instance() / pades.SIGNER_FILE).is_file():
            return pades.load_signer(_instance()).certificate
    except (ValueError, IndexError, pades.PdfSignerError) as error:
        raise click.UsageError(f"Certificat de signature des PDF illisible : {error}") from error
    return None


@click.group("certificates")
def certificates() -> None:
    """Training path check, issuing and revocation of certificates."""


def _path() -> TrainingPath:
    try:
        path = load_path(Path(current_app.config["ELEARN_MODULES_DIR"]), Path(current_app.config["ELEARN_MEDIA_DIR"]))
    except PathConfigError as error:
        raise click.ClickException("\n".join(error.problems)) from error
    if path is None:
        folder = current_app.config["ELEARN_MODULES_DIR"]
        raise click.ClickException(f"Pas de parcours.yml dans {folder} : les attestations sont désactivées.")
    return path


@certificates.command("check")
@with_appcontext
def check() -> None:
    """Validate parcours.yml and the modules it requires."""
    path = _path()
    problems = path_problems(path, get_library())
    if problems:
        raise click.ClickException("\n".join(problems))
    count = len(path.required_modules)
    click.echo(f"parcours.yml valide : « {path.title} », version {path.version}, {count} module(s) obligatoire(s).")
    example = placeholder_keys(path)
    if example:  # a note, not a failure: the shipped file is meant to be checked before it is filled in
        click.echo(
            "Attention : les coordonnées de l'organisme sont encore celles de l'exemple (« à remplacer » dans "
            f"{', '.join(example)}) : remplacez-les avant de délivrer des attestations."
        )


@certificates.command("issue")
@click.argument("email")
@with_appcontext
def issue(email: str) -> None:
    """Issue (or show) the certificate of the learner with this e-mail address."""
    base_url = current_app.config.get("ELEARN_BASE_URL")
    if not base_url:
        raise click.UsageError("Définissez ELEARN_BASE_URL (adresse publique du site) : elle est imprimée sur l'attestation.")
    path = _path()
    with session_scope() as session:
        path = with_identity(path, current_identity(session, path))
        issuer = Issuer(path, get_library(), signing.load_or_create_private_key(_instance()), base_url.rstrip("/"))
        user = find_user_by_email(session, email)
        if user is None:
            raise click.ClickException(f"Aucun compte avec l'adresse {email}.")
        try:
            issued = issue_certificate(session, user, issuer)
        except CertificateError as error:
            raise click.ClickException(error.message) from error
        click.echo(f"{issued.code}  {issuer.verification_url(issued.code)}")


@certificates.command("revoke")
@click.argument("code")
@click.option("--reason", required=True, help="Why (kept in the audit trail).")
@with_appcontext
def revoke(code: str, reason: str) -> None:
    """Revoke a certificate; the verification page then says so."""
    with session_scope() as session:
        found = find_certificate(session, code)
        if found is None:
            raise click.ClickException(f"Aucune attestation avec le code {code}.")
        try:
            revoke_certificate(session, found, reason, actor=None)
        except CertificateError as error:
            raise click.ClickException(error.message) from error
        click.echo(f"Attestation {found.code} révoquée.")


@certificates.command("key")
@with_appcontext
def key() -> None:
    """Print the public key document (what /.well-known/elearn-certificate-key serves)."""
    public = signing.load_or_create_private_key(_instance()).public_key()
    click.echo(json.dumps(signing.public_key_document(public), indent=2))


commands = [verify_cert, certificates]
