"""What the trainer's results page and the administration dashboard show of learning outcomes:
knowledge gain, satisfaction and their charts, for one set of report filters.

Shared by both audiences so that a trainer's group and the administrator's same filters show the same
figures; the charts are the accessible SVG of :mod:`elearn.reporting.charts`.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from elearn.assessment.gain import Distribution, LearnerGain, QuestionRow, distribution, learner_gains, question_table
from elearn.db import get_session
from elearn.i18n import _
from elearn.reporting.catalog import Catalog
from elearn.reporting.charts import Chart, Series
from elearn.reporting.filters import ReportFilters
from elearn.reporting.queries import Dashboard
from elearn.satisfaction.aggregates import SurveySummary, summary
from elearn.satisfaction.surveys import SurveyKind
from elearn.web.assessment.context import current_assessments
from elearn.web.certificates import path_or_problems


@dataclass(frozen=True)
class Outcomes:
    gains: list[LearnerGain]
    distribution: Distribution | None
    questions: list[QuestionRow]
    surveys: list[SurveySummary]
    charts: list[Chart]


def _plain(html: str) -> str:
    return Markup(html).striptags()


def percent(value: float) -> str:
    return f"{value:.0f}"


def gain_chart(dist: Distribution) -> Chart:
    return Chart(
        "graphique-acquis",
        _("Acquis : scores avant et après la formation"),
        _("Nombre d'apprenant·es par tranche de score, au test de positionnement et à l'évaluation finale ; "
          "progression médiane : %(gain)s points.", gain=f"{dist.median_gain:+.0f}" if dist.median_gain is not None else "—"),
        tuple(f"{label} %" for label in dist.bins),
        (Series(_("Avant (positionnement)"), dist.before), Series(_("Après (évaluation finale)"), dist.after)),
        category_label=_("Score"),
    )


def satisfaction_chart(survey: SurveySummary) -> Chart:
    title = _("Satisfaction à chaud : note moyenne par question") if survey.kind is SurveyKind.HOT else _(
        "Questionnaire à froid : note moyenne par question")
    return Chart(
        f"graphique-satisfaction-{survey.kind.value}",
        title,
        _("Note moyenne de 1 (pas du tout d'accord) à 5 (tout à fait d'accord), sur %(count)d réponses.", count=survey.responses),
        tuple(i.item.text for i in survey.rated),
        (Series(_("Note moyenne sur 5"), tuple(i.mean for i in survey.rated)),),
        maximum=5,
        show=lambda value: f"{value:.1f}".replace(".", ","),
        category_label=_("Question"),
    )


def activity_charts(figures: Dashboard, timeline: list[tuple[str, int]]) -> list[Chart]:
    """The dashboard's charts of activity: completions over time, the module funnel, time against plan."""
    titles = tuple(m.module.title for m in figures.modules)
    return [
        Chart(
            "graphique-terminaisons",
            _("Modules terminés, mois par mois"),
            _("Nombre de modules terminés par les apprenant·es chaque mois de la période."),
            tuple(month for month, _count in timeline),
            (Series(_("Modules terminés"), tuple(count for _month, count in timeline)),),
            category_label=_("Mois"),
        ),
        Chart(
            "graphique-entonnoir",
            _("Apprenant·es par module, dans l'ordre du parcours"),
            _("Pour chaque module : apprenant·es actif·ves sur la période, et modules terminés."),
            titles,
            (Series(_("Actif·ves"), tuple(m.active_learners for m in figures.modules)),
             Series(_("Terminés"), tuple(m.completions for m in figures.modules))),
            category_label=_("Module"),
        ),
        Chart(
            "graphique-temps",
            _("Temps actif médian et durée prévue, par module"),
            _("En minutes : temps actif médian des apprenant·es sur chaque module, face à la durée prévue."),
            titles,
            (Series(_("Temps médian (min)"), tuple(round(m.median_seconds / 60) if m.median_seconds is not None else None
                                                   for m in figures.modules)),
             Series(_("Durée prévue (min)"), tuple(m.module.duration_minutes or None for m in figures.modules))),
            unit=" min",
            category_label=_("Module"),
        ),
    ]


def outcomes(filters: ReportFilters, catalog: Catalog) -> Outcomes:
    db = get_session()
    found = current_assessments()
    gains = learner_gains(db, filters, catalog) if found else []
    dist = distribution(gains) if found else None
    questions = question_table(gains, found.bank, _plain) if found else []
    path, _problems = path_or_problems()
    surveys = [summary(db, filters, catalog, path.surveys, kind) for kind in SurveyKind] if path else []
    charts = ([gain_chart(dist)] if dist else []) + [satisfaction_chart(s) for s in surveys if s.responses]
    return Outcomes(gains, dist, questions, surveys, charts)
