"""Synthesis exports: Markdown (the source of truth) and PDF (that Markdown, typeset by WeasyPrint).

The PDF is built from the Markdown so both exports always say the same thing. Rendering is sanitised and
WeasyPrint may fetch nothing (no network, no local file): an export cannot leak or hang on a URL.
"""

from __future__ import annotations

from html import escape

import markdown
import nh3

from elearn.formatting import date_fr
from elearn.reflection.synthesis import SynthesisView

PDF_CSS = """
@page { size: A4; margin: 2cm 2cm 2.2cm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1b1f24; }
h1 { font-size: 18pt; color: #1d4e89; margin: 0 0 0.3cm; }
h2 { font-size: 13pt; color: #1d4e89; border-bottom: 1.5pt solid #1d4e89; padding-bottom: 2pt; margin-top: 0.7cm; }
ul { padding-left: 0.5cm; } li { margin: 0 0 4pt; } p { margin: 0 0 4pt; }
"""


def _bullet(text: str) -> str:
    lines = text.strip().split("\n")
    return "\n".join([f"- {lines[0]}"] + [f"  {line}" if line.strip() else "" for line in lines[1:]])


def to_markdown(view: SynthesisView) -> str:
    """The synthesis as a Markdown document: title, territory and date, then the four parts."""
    synthesis = view.synthesis
    out = [f"# {synthesis.title}", ""]
    if synthesis.territory:
        out.append(f"Territoire ou groupe : {synthesis.territory}  ")
    if synthesis.held_on:
        out.append(f"Date : {date_fr(synthesis.held_on)}  ")
    for part, items in view.parts.items():
        out += ["", f"## {part.french_label}", ""]
        out += [_bullet(item.text) for item in items] or ["_Rien pour l'instant._"]
    return "\n".join(out).strip() + "\n"


def to_html(view: SynthesisView) -> str:
    """A standalone, sanitised HTML page of the synthesis (what the PDF typesets)."""
    body = nh3.clean(markdown.markdown(to_markdown(view), extensions=["sane_lists"]))
    title = escape(view.synthesis.title)
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{PDF_CSS}</style></head><body>{body}</body></html>"
    )


def to_pdf(view: SynthesisView) -> bytes:
    """The synthesis as a PDF document (A4)."""
    # Imported here: WeasyPrint is slow to import and only this export needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=to_html(view), url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
