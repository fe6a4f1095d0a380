"""Workshop syntheses: four parts, items written or quoted, ordered, exported as Markdown and PDF."""

from __future__ import annotations

from datetime import date

import pytest

from elearn.db import session_scope
from elearn.models import SynthesisPart
from elearn.reflection import synthesis as syntheses
from elearn.reflection.export import to_html, to_markdown, to_pdf


@pytest.fixture
def built(app, trainer):
    with app.app_context(), session_scope() as session:
        synthesis = syntheses.create_synthesis(session, title="Atelier territorial", territory="Metz", held_on=date(2022, 3, 14), author=trainer)
        syntheses.add_item(session, synthesis, SynthesisPart.FINDINGS, "Démarches administratives complexes")
        syntheses.add_item(session, synthesis, SynthesisPart.FINDINGS, "Méconnaissance des dispositifs\n\npar les professionnels", from_shared_answer=True)
        syntheses.add_item(session, synthesis, SynthesisPart.ACTIONS, "Développer les permanences <script>alert(1)</script>")
        yield session, synthesis


def test_title_is_required(app, trainer):
    with app.app_context(), session_scope() as session, pytest.raises(syntheses.SynthesisError) as caught:
        syntheses.create_synthesis(session, title="  ", territory="", held_on=None, author=trainer)
    assert caught.value.field == "title"


def test_items_are_grouped_by_part_in_order(built):
    session, synthesis = built
    view = syntheses.load(session, synthesis)
    assert list(view.parts) == list(SynthesisPart)
    findings = view.parts[SynthesisPart.FINDINGS]
    assert [i.text.split()[0] for i in findings] == ["Démarches", "Méconnaissance"]
    assert [i.from_shared_answer for i in findings] == [False, True]
    assert view.parts[SynthesisPart.STAKES] == []


def test_move_edit_delete(built):
    session, synthesis = built
    first, second = syntheses.load(session, synthesis).parts[SynthesisPart.FINDINGS]
    syntheses.move_item(session, synthesis, second, -1)
    syntheses.move_item(session, synthesis, second, -1)  # already first: nothing happens
    assert [i.id for i in syntheses.load(session, synthesis).parts[SynthesisPart.FINDINGS]] == [second.id, first.id]
    syntheses.edit_item(session, synthesis, first, "Démarches longues")
    syntheses.delete_item(session, synthesis, second)
    assert [i.text for i in syntheses.load(session, synthesis).parts[SynthesisPart.FINDINGS]] == ["Démarches longues"]
    with pytest.raises(syntheses.SynthesisError):
        syntheses.edit_item(session, synthesis, first, "")


def test_markdown_export(built):
    session, synthesis = built
    text = to_markdown(syntheses.load(session, synthesis))
    assert text.startswith("# Atelier territorial\n\nTerritoire ou groupe : Metz  \nDate : 14 mars 2022")
    assert "## Constats\n\n- Démarches administratives complexes\n- Méconnaissance des dispositifs\n\n  par les professionnels" in text
    assert "## Enjeux\n\n_Rien pour l'instant._" in text
    assert text.index("## Pistes d'action") < text.index("## Initiatives inspirantes")


def test_html_export_is_sanitised(built):
    session, synthesis = built
    html = to_html(syntheses.load(session, synthesis))
    assert "<script" not in html and "<h2>Constats</h2>" in html


def test_pdf_export(built):
    session, synthesis = built
    pdf = to_pdf(syntheses.load(session, synthesis))
    assert pdf.startswith(b"%PDF-") and len(pdf) > 2000
