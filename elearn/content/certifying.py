"""The certifying mode of a quiz, written in braces at the end of its opening line.

``::: quiz Évaluation finale {certifiant tirage=15 tentatives=3 seuil=70}``: each attempt draws
``tirage`` questions from the quiz's pool and shuffles their choices, at most ``tentatives`` attempts
are allowed, and ``seuil`` is the pass mark. A quiz without braces is a practice quiz, as before.
Reading the options never raises: every mistake is a (catalogue key, fields) pair that ``validate``
turns into a located problem, so ``elearn check`` explains them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from elearn.content.model import Certifying

FLAG = "certifiant"
#: option -> (lowest value, highest value or None, how the message states the constraint)
NUMBERS: dict[str, tuple[int, int | None, str]] = {
    "tirage": (1, None, "supérieur ou égal à 1"),
    "tentatives": (1, None, "supérieur ou égal à 1"),
    "seuil": (0, 100, "entre 0 et 100"),
}
ALLOWED = (FLAG, *(f"{name}=N" for name in NUMBERS))
#: Without ``tentatives``, a certifying quiz allows one attempt: the mode exists to limit them.
DEFAULT_ATTEMPTS = 1


@dataclass(frozen=True)
class OptionMistake:
    """One mistake in the braces: a key of the problem catalogue and the fields of its message."""

    key: str
    fields: dict[str, object]


def read_options(text: str | None, default_pass_mark: int) -> tuple[Certifying | None, list[OptionMistake]]:
    """The certifying rules the braces describe (None for a practice quiz) and every mistake in them."""
    if text is None:
        return None, []
    mistakes: list[OptionMistake] = []
    flagged = False
    numbers: dict[str, int] = {}
    for word in text.replace(",", " ").split():
        name, sep, raw = (part.strip() for part in word.partition("="))
        name = name.lower()
        if name == FLAG and not sep:
            flagged = True
        elif name in NUMBERS and sep:
            if name in numbers:
                mistakes.append(OptionMistake("quiz_option_twice", {"option": name}))
            value = _number(raw, *NUMBERS[name][:2])
            if value is None:
                mistakes.append(OptionMistake("quiz_option_bad_int", {"option": name, "value": raw, "constraint": NUMBERS[name][2]}))
            else:
                numbers[name] = value
        else:
            mistakes.append(OptionMistake("quiz_option_unknown", {"option": word, "allowed": ", ".join(ALLOWED)}))
    if not flagged:
        mistakes.append(OptionMistake("quiz_options_not_certifying", {"options": text}))
        return None, mistakes
    return Certifying(
        draw=numbers.get("tirage"),
        attempts=numbers.get("tentatives", DEFAULT_ATTEMPTS),
        pass_mark=numbers.get("seuil", default_pass_mark),
    ), mistakes


def _number(raw: str, low: int, high: int | None) -> int | None:
    if not raw.isdigit():
        return None
    value = int(raw)
    return value if value >= low and (high is None or value <= high) else None
