"""The certificate as a PDF: an HTML/CSS template rendered by WeasyPrint, the signed credential attached.

The template can be replaced without touching code: a file ``attestation.html`` and/or
``attestation.css`` in ``<instance>/certificates/`` takes precedence over the default one in
``elearn/templates/certificates/`` (``{% include "attestation.css" %}`` finds either). Templates see
``data`` (:class:`~elearn.certificates.credential.CertificateData`), ``qr_code`` (an SVG data URI of
the verification URL), ``signature_url`` and ``media(name)`` (file URLs inside the media folder), and
the filters ``date_fr``, ``duration``, ``percent`` and ``fr`` (French non-breaking spaces and
typographic apostrophes).

WeasyPrint may only read files from the media folder and the template folders, never the network.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import jinja2
from markupsafe import Markup, escape
import segno
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher

from elearn.certificates.credential import CertificateData, is_demonstration
from elearn.certificates.path import UPLOADED_SIGNATURE
from elearn.formatting import date_fr, format_duration, french_spacing, percent

DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "certificates"
OVERRIDE_DIR = "certificates"
TEMPLATE = "attestation.html"
REALISATION_TEMPLATE = "realisation.html"
#: The name printed in the page footer of each document.
DOCUMENT_LABELS = {TEMPLATE: "Attestation", REALISATION_TEMPLATE: "Certificat de réalisation"}
ATTACHMENT_NAME = "attestation.json"


class _LocalFetcher(URLFetcher):
    """Resources from ``data:`` URIs and from a few local folders only."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)
        self._roots = [root.resolve() for root in roots]

    def fetch(self, url: str, headers=None):  # noqa: ANN001, ANN201 - WeasyPrint's signature
        if url.startswith("file:"):
            path = Path(url2pathname(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self._roots):
                raise ValueError(f"resource outside the allowed folders: {url}")
        return super().fetch(url, headers)


def template_dirs(instance_dir: Path) -> list[Path]:
    """Where templates are looked up, first match wins: the administrator's override, then the default."""
    return [Path(instance_dir) / OVERRIDE_DIR, DEFAULT_TEMPLATE_DIR]


def _date_fr(value: datetime) -> Markup:
    """« 22 novembre 2026 », « 1<sup>er</sup> mars 2027 », never broken between day and month."""
    text = str(escape(date_fr(value))).replace(" ", "\u00a0", 1)
    return Markup(text.replace("1er\u00a0", "1<sup>er</sup>\u00a0", 1) if text.startswith("1er") else text)


def css_string(value: object) -> Markup:
    """``value`` as a quoted CSS string, for ``content:`` in the page margins.

    The style sheet is included in a ``<style>`` element, where HTML entities are not decoded: escaping
    ``N'Diaye`` for HTML would print ``N&#39;Diaye``. Every character that could end the string, the
    declaration or the element (quotes, backslash, ``<``, ``>``, ``&``, line breaks) is written as a CSS
    escape instead, which prints the character itself.
    """
    text = "".join(
        char if char.isalnum() or char in " .,;:!?()-_/@+*%=# ’—" else f"\\{ord(char):06x}"
        for char in str(value)
    )
    return Markup(f'"{text}"')


def _environment(instance_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(instance_dir)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        date_fr=_date_fr,
        duration=lambda minutes_or_seconds, unit="seconds": format_duration(
            minutes_or_seconds * 60 if unit == "minutes" else minutes_or_seconds
        ).replace(" ", "\u00a0"),
        percent=percent,
        css_string=css_string,
        fr=lambda text: french_spacing(text).replace("'", "\u2019"),
    )
    return env


def qr_code(url: str) -> str:
    """The verification URL as a QR code (SVG data URI), black on white for any printer."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#000", light="#fff")


@dataclass(frozen=True)
class Artwork:
    """The organisation's uploaded images (clean PNG), printed when present."""

    signature_png: bytes | None = None
    logo_png: bytes | None = None


def png_uri(content: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(content).decode("ascii")


def _signature_url(data: CertificateData, media_dir: Path, artwork: Artwork) -> str | None:
    if data.signature_image == UPLOADED_SIGNATURE:
        return png_uri(artwork.signature_png) if artwork.signature_png else None
    signature = media_dir / data.signature_image if data.signature_image else None
    return signature.as_uri() if signature and signature.is_file() else None


def render_html(
    data: CertificateData, instance_dir: Path, media_dir: Path, artwork: Artwork = Artwork(), template: str = TEMPLATE
) -> str:
    """The certificate page as HTML, from the template in force (``realisation.html``: the certificat de réalisation)."""
    media_dir = Path(media_dir).resolve()
    return _environment(instance_dir).get_template(template).render(
        data=data,
        qr_code=qr_code(data.verification_url),
        signature_url=_signature_url(data, media_dir, artwork),
        logo_url=png_uri(artwork.logo_png) if artwork.logo_png else None,
        demonstration=is_demonstration(data),
        document_label=DOCUMENT_LABELS.get(template, "Attestation"),
        media=lambda name: (media_dir / name).as_uri(),
    )


def render_pdf(
    data: CertificateData,
    credential_json: str,
    instance_dir: Path,
    media_dir: Path,
    artwork: Artwork = Artwork(),
    template: str = TEMPLATE,
) -> bytes:
    """The A4 PDF, with the signed credential embedded as the attachment ``attestation.json``."""
    html = render_html(data, instance_dir, media_dir, artwork, template)
    roots = [*template_dirs(instance_dir), Path(media_dir)]
    document = HTML(string=html, base_url=str(template_dirs(instance_dir)[0]), url_fetcher=_LocalFetcher(roots))
    attachment = Attachment(
        string=credential_json.encode("utf-8"),
        name=ATTACHMENT_NAME,
        description="Attestation signée (Open Badges 3.0, Verifiable Credential)",
        relationship="Alternative",
        created=data.issued_at,
        modified=data.issued_at,
    )
    return document.write_pdf(attachments=[attachment], pdf_variant="pdf/a-3b")
