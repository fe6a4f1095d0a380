"""The minimum active time rule: how much measured reading time still stands between a learner and the certificate.

A certificate is an attendance proof: a path clicked through in a minute must not produce one. The
path's ``temps_actif_minimum`` (see :mod:`elearn.certificates.path`) asks for a minimum of measured
active time (:mod:`elearn.learning.tracking`) for the whole path and, optionally, for some modules.
The rule is kept apart from the module completions so that other conditions (an assessment's pass
mark) can sit beside it without entangling.

What is left is the least reading time that meets every minimum: reading in a module with its own
minimum counts toward both that module and the path, so the answer is the larger of the path's
shortfall and the sum of the modules' shortfalls.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from elearn.certificates.path import ActiveTimeMinimum, TrainingPath
from elearn.formatting import percent

if TYPE_CHECKING:
    from elearn.content.library import ModuleLibrary
    from elearn.content.model import Module


@dataclass(frozen=True)
class ModuleShortfall:
    """A module whose own minimum is not met yet."""

    slug: str
    title: str
    remaining_seconds: int

    @property
    def remaining_minutes(self) -> int:
        return minutes_up(self.remaining_seconds)


@dataclass(frozen=True)
class ActiveTimeShortfall:
    """Where a learner stands with the path's minimum active time."""

    active_seconds: int
    #: The least additional active time that meets every minimum (0 once met).
    remaining_seconds: int
    modules: tuple[ModuleShortfall, ...] = ()

    @property
    def met(self) -> bool:
        return self.remaining_seconds <= 0

    @property
    def remaining_minutes(self) -> int:
        return minutes_up(self.remaining_seconds)


@dataclass(frozen=True)
class RuleLine:
    """One line of the rule as the administrator reads it: the path's or a module's minimum."""

    #: None for the whole path, else the module's title.
    module_title: str | None
    seconds: int
    #: The share of the nominal duration (0.4), when the minimum is written as one.
    share: float | None

    @property
    def share_label(self) -> str | None:
        """« 40 % », or None for a minimum written as a duration."""
        return None if self.share is None else percent(self.share * 100)


def minutes_up(seconds: int) -> int:
    """Rounded up: « il vous reste environ 1 min » rather than 0 while a few seconds are missing."""
    return math.ceil(seconds / 60)


def active_time_shortfall(
    path: TrainingPath, modules: Sequence[Module], seconds_by_module: Mapping[str, int]
) -> ActiveTimeShortfall | None:
    """The learner's shortfall against ``path``'s rule, or None when the path asks for no minimum.

    ``modules``: the path's required modules (for their nominal durations and titles);
    ``seconds_by_module``: the learner's measured active time per module slug.
    """
    rule = path.active_time
    if rule is None:
        return None
    by_slug = {m.slug: m for m in modules}
    active = sum(seconds_by_module.get(m.slug, 0) for m in modules)
    path_remaining = _remaining(rule.path, sum(m.duration_minutes for m in modules), active)
    shortfalls = tuple(
        ModuleShortfall(slug, module.title, remaining)
        for slug, minimum in rule.modules
        if (module := by_slug.get(slug)) is not None
        and (remaining := _remaining(minimum, module.duration_minutes, seconds_by_module.get(slug, 0))) > 0
    )
    return ActiveTimeShortfall(active, max(path_remaining, sum(s.remaining_seconds for s in shortfalls)), shortfalls)


def rule_lines(path: TrainingPath, library: ModuleLibrary) -> list[RuleLine]:
    """The rule in force, resolved to durations with the modules' current nominal durations."""
    rule = path.active_time
    if rule is None:
        return []
    modules = [m for slug in path.required_modules if (m := library.get(slug)) is not None]
    lines = []
    if rule.path is not None:
        lines.append(RuleLine(None, rule.path.seconds(sum(m.duration_minutes for m in modules)), rule.path.share))
    for slug, minimum in rule.modules:
        if (module := library.get(slug)) is not None:
            lines.append(RuleLine(module.title, minimum.seconds(module.duration_minutes), minimum.share))
    return lines


def _remaining(minimum: ActiveTimeMinimum | None, nominal_minutes: int, active_seconds: int) -> int:
    return 0 if minimum is None else max(0, minimum.seconds(nominal_minutes) - active_seconds)
