"""Stage 2 of the pipeline: every authoring rule, checked on a ParsedModule, all problems at once.

``validate`` judges one module (front matter, structure, quizzes, media, links);
``validate_tree`` adds the rules that need every module (unique slug and order, prerequisites).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from elearn.content.blocks import RawQuestion, split_reference
from elearn.content.certifying import read_options
from elearn.content.messages import cut, problem, quote_list
from elearn.content.model import Problem
from elearn.content.parse import VALID_ID_RE, ParsedModule, RawBlock, RawSection, RawText
from elearn.content.render import DEFAULT_PASS_MARK
from elearn.content.refs import ImageRef, LinkRef, media_kind, media_name, scan, script_links

LONG_SECTION_WORDS = 1500
_WORD_RE = re.compile(r"\w+")
_LEVEL_ONE_RE = re.compile(r"^ {0,3}#(?!#)\s+(.*?)\s*#*\s*$")
Check = Callable[[object], str | None]


@dataclass(frozen=True)
class Key:
    """One front-matter key: whether it is required, how to check its value, what it means."""

    name: str
    required: bool
    check: Check
    meaning: str


def _text(value: object) -> str | None:
    return None if isinstance(value, str) and value.strip() else "front_bad_text"


def _int_between(low: int, high: int | None, constraint: str) -> Check:
    def check(value: object) -> str | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
        return None if ok and (high is None or value <= high) else f"front_bad_int:{constraint}"

    return check


def _text_list(value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "front_bad_list"
    return None if value else "front_empty_list"


def _optional_list(value: object) -> str | None:
    return None if value == [] or value is None else _text_list(value)


def _bool(value: object) -> str | None:
    return None if isinstance(value, bool) else "front_bad_bool"


FRONT_KEYS: tuple[Key, ...] = (
    Key("titre", True, _text, "le titre du module"),
    Key("resume", True, _text, "une ou deux phrases pour le catalogue"),
    Key("duree", True, _int_between(1, None, "de minutes, supérieur à 0"), "la durée prévue en minutes"),
    Key("objectifs", True, _text_list, "la liste des objectifs pédagogiques"),
    Key("ordre", True, _int_between(0, None, "positif ou nul"), "la place du module dans le parcours"),
    Key("seuil", False, _int_between(0, 100, "entre 0 et 100"), "le seuil de réussite des quiz, en %"),
    Key("tentatives_max", False, _int_between(1, None, "supérieur ou égal à 1"), "le nombre de tentatives"),
    Key("prerequis", False, _optional_list, "les modules à terminer avant"),
    Key("reflexion_obligatoire", False, _bool, "réflexions obligatoires ou non"),
    Key("auteurs", False, _optional_list, "les rôles des auteurs"),
    Key("mots_cles", False, _optional_list, "les mots-clés"),
)
ALLOWED_KEYS = tuple(key.name for key in FRONT_KEYS)
#: The question bank of a path is no module: it needs a title, nothing else.
BANK_REQUIRED_KEYS = ("titre",)


def validate(
    parsed: ParsedModule,
    media_dir: Path,
    known_sections: Mapping[str, Collection[str]] | None = None,
    bank: bool = False,
) -> list[Problem]:
    """All problems of one module: its syntax problems plus every rule below, sorted by place.

    ``known_sections`` maps every module's slug to its section ids; without it, links to other modules
    are not checked (a module checked alone cannot know them). ``bank``: the file is the path's question
    bank (``parcours.yml``), the one place a certifying quiz belongs; its header needs only a title.
    """
    problems = list(parsed.problems)
    problems += check_front_matter(parsed, required=BANK_REQUIRED_KEYS if bank else None)
    problems += check_structure(parsed)
    for section in parsed.sections:
        for part in section.parts:
            if isinstance(part, RawBlock) and part.kind == "quiz":
                problems += check_quiz(part, parsed.front.get("seuil", DEFAULT_PASS_MARK), known_sections)
                if part.options is not None and not bank:
                    problems.append(problem("certifying_in_module", part.path, part.line))
    images, links = scan(parsed)
    problems += [p for image in images if (p := check_media(image, media_dir)) is not None]
    local = {section.id for section in parsed.sections}
    problems += [p for link in links if (p := check_link(link, parsed.slug, local, known_sections)) is not None]
    problems += [problem("link_script", link.path, link.line, href=link.href) for link in script_links(parsed)]
    problems += check_level_one_headings(parsed)
    return sorted(set(problems))


def check_level_one_headings(parsed: ParsedModule) -> list[Problem]:
    """``# Titre`` inside a section: Markdown makes it a heading, but no new section starts there."""
    problems = []
    for section in parsed.sections:
        for part in section.parts:
            if isinstance(part, RawBlock) and part.kind in ("quiz", "reflexion"):
                continue
            for number, text in part.lines:
                heading = _LEVEL_ONE_RE.match(text)
                if heading and (part.path, number) not in parsed.verbatim and heading.group(1).strip():
                    problems.append(problem("heading_level_one", part.path, number, title=heading.group(1).strip(), section=section.title))
    return problems


def check_front_matter(parsed: ParsedModule, required: Collection[str] | None = None) -> list[Problem]:
    """Unknown, missing and ill-typed keys of the YAML header (none when the header is unreadable).

    ``required``: the keys that must be present, when not those of a module.
    """
    if not parsed.front_readable:
        return []  # the parser already reported why the header could not be read
    path, front, lines = parsed.front_path, parsed.front, parsed.front_lines
    problems: list[Problem] = []
    for key, value in front.items():
        line = lines.get(key, 2)
        spec = next((k for k in FRONT_KEYS if k.name == key), None)
        if spec is None:
            problems.append(problem("front_unknown_key", path, line, key=key, allowed=quote_list(ALLOWED_KEYS),
                                    hint=_suggestion(key)))
        elif (failure := spec.check(value)) is not None:
            name, _, constraint = failure.partition(":")
            problems.append(problem(name, path, line, key=key, constraint=constraint, value=_show(value)))
    for spec in FRONT_KEYS:
        needed = spec.required if required is None else spec.name in required
        if needed and spec.name not in front:
            problems.append(problem("front_missing_key", path, parsed.front_line, key=spec.name, meaning=spec.meaning))
    prerequisites = front.get("prerequis")
    if isinstance(prerequisites, list) and parsed.slug in prerequisites:
        index = prerequisites.index(parsed.slug)
        problems.append(problem("prerequisite_self", path, lines.get(f"prerequis[{index}]", 2), slug=parsed.slug))
    return problems


def _suggestion(key: str) -> str:
    close = difflib.get_close_matches(key.lower(), ALLOWED_KEYS, n=1, cutoff=0.6)
    return f" ; vouliez-vous écrire « {close[0]} » ?" if close else ""


def _show(value: object) -> str:
    return "rien" if value is None else f"« {cut(str(value))} »"


def check_structure(parsed: ParsedModule) -> list[Problem]:
    """At least one section, unique section ids, and a warning for empty or very long sections."""
    if not parsed.sections:
        return [problem("no_section", parsed.front_path or parsed.path, 1)]
    problems: list[Problem] = []
    seen: dict[str, RawSection] = {}
    for section in parsed.sections:
        first = seen.setdefault(section.id, section)
        if first is not section and VALID_ID_RE.match(section.id):
            other = f"ligne {first.line}" if first.path == section.path else f"{first.path}:{first.line}"
            problems.append(problem("duplicate_section_id", section.path, section.line, id=section.id, other=other))
        problems += _section_size(section)
    return problems


def _section_size(section: RawSection) -> list[Problem]:
    words = 0
    for part in section.parts:
        if isinstance(part, RawText) or part.kind != "quiz":
            words += sum(len(_WORD_RE.findall(text)) for _, text in part.lines)
    if words > LONG_SECTION_WORDS:
        return [problem("long_section", section.path, section.line, words=words, limit=LONG_SECTION_WORDS)]
    empty = all(isinstance(p, RawText) and not any(t.strip() for _, t in p.lines) for p in section.parts)
    return [problem("empty_section", section.path, section.line, title=section.title)] if empty else []


def check_quiz(
    block: RawBlock, pass_mark: object = DEFAULT_PASS_MARK, known_sections: Mapping[str, Collection[str]] | None = None
) -> list[Problem]:
    """A quiz has questions; each has two choices or more, one style, and the right number of correct ones.

    The braces of a certifying quiz are checked too: known options, whole numbers in range, and a draw
    no larger than the pool.
    """
    default = pass_mark if isinstance(pass_mark, int) and not isinstance(pass_mark, bool) else DEFAULT_PASS_MARK
    rules, mistakes = read_options(block.options, default)
    problems = [problem(m.key, block.path, block.line, **m.fields) for m in mistakes]
    if rules is not None and rules.draw is not None and block.questions and rules.draw > len(block.questions):
        problems.append(problem("quiz_draw_too_large", block.path, block.line, draw=rules.draw, count=len(block.questions)))
    if not block.questions:
        return [*problems, problem("quiz_no_question", block.path, block.line)]
    return problems + [p for question in block.questions for p in check_question(question, block.path, known_sections)]


def check_question(question: RawQuestion, path: str, known_sections: Mapping[str, Collection[str]] | None = None) -> list[Problem]:
    prompt = _short(question.prompt_text)
    line = question.line
    problems: list[Problem] = [problem("question_unknown_option", path, line, option=o) for o in question.unknown_options]
    if question.reference is not None and not _reference_exists(question.reference, known_sections):
        problems.append(problem("question_bad_reference", path, line, target=question.reference))
    if not prompt:
        problems.append(problem("question_empty", path, line))
    if question.weight is not None and not _positive_number(question.weight):
        problems.append(problem("question_bad_weight", path, line, value=question.weight))
    problems += [problem("choice_empty", path, c.line) for c in question.choices if not " ".join(c.text).strip()]
    styles = {choice.style for choice in question.choices}
    correct = sum(choice.correct for choice in question.choices)
    if not question.choices:
        problems.append(problem("question_no_choice", path, line, prompt=prompt))
    elif len(question.choices) == 1:
        problems.append(problem("question_one_choice", path, line, prompt=prompt))
    if len(styles) > 1:
        problems.append(problem("question_mixed", path, line, prompt=prompt))
    elif question.choices and correct == 0:
        problems.append(problem("question_no_correct", path, line, prompt=prompt))
    elif styles == {"radio"} and correct > 1:
        problems.append(problem("question_many_correct", path, line, prompt=prompt, count=correct))
    return problems


def _reference_exists(target: str, known: Mapping[str, Collection[str]] | None) -> bool:
    """Well formed, and naming an existing module and section when the modules are known."""
    slug, section = split_reference(target)
    if not VALID_ID_RE.match(slug) or (section is not None and not VALID_ID_RE.match(section)):
        return False
    return known is None or (slug in known and (section is None or section in known[slug]))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _positive_number(text: str) -> bool:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return False
    return 0 < value < float("inf")


def check_media(image: ImageRef, media_dir: Path) -> Problem | None:
    """Alt text present (or image marked decorative), file inside ``media/`` and present on disk."""
    kind = media_kind(image.src)
    name = media_name(image.src)
    if name is None:
        return problem("media_outside", image.path, image.line, src=image.src)
    if not (media_dir / name).is_file():
        return problem("media_missing", image.path, image.line, src=image.src, media_dir=media_dir.as_posix())
    if image.alt:
        return None
    if kind != "image":
        return problem("media_no_alt", image.path, image.line, kind="vidéo" if kind == "video" else "audio",
                       src=image.src)
    name = "image_decorative" if image.decorative else "image_no_alt"
    return problem(name, image.path, image.line, src=image.src)


def check_link(
    link: LinkRef, slug: str, local: Collection[str], known: Mapping[str, Collection[str]] | None
) -> Problem | None:
    """``#section`` must exist in this module; ``module:slug#section`` in the named one (when known)."""
    if link.slug is None or link.slug == slug:
        if link.section is not None and link.section not in local:
            return problem("link_unknown_local", link.path, link.line, section=link.section)
        return None
    if known is None:
        return None
    if link.slug not in known:
        return problem("link_unknown_module", link.path, link.line, slug=link.slug)
    if link.section is not None and link.section not in known[link.slug]:
        return problem("link_unknown_section", link.path, link.line, section=link.section, slug=link.slug)
    return None


def validate_tree(modules: list[ParsedModule]) -> list[Problem]:
    """Rules across modules: unique slugs and orders, known prerequisites, no prerequisite loop."""
    problems: list[Problem] = []
    by_slug: dict[str, ParsedModule] = {}
    by_order: dict[object, ParsedModule] = {}
    for parsed in modules:
        first = by_slug.setdefault(parsed.slug, parsed)
        if first is not parsed:
            problems.append(problem("duplicate_slug", parsed.path, 1, slug=parsed.slug, other=first.path))
        order = parsed.front.get("ordre")
        if isinstance(order, int) and not isinstance(order, bool):
            holder = by_order.setdefault(order, parsed)
            if holder is not parsed:
                line = parsed.front_lines.get("ordre", 1)
                problems.append(problem("duplicate_order", parsed.front_path, line, order=order, other=holder.path))
    for parsed in modules:
        problems += _check_prerequisites(parsed, by_slug)
    return problems


def prerequisites_of(parsed: ParsedModule) -> list[str]:
    value = parsed.front.get("prerequis")
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _check_prerequisites(parsed: ParsedModule, by_slug: Mapping[str, ParsedModule]) -> list[Problem]:
    problems: list[Problem] = []
    for index, slug in enumerate(prerequisites_of(parsed)):
        if slug not in by_slug:
            line = parsed.front_lines.get(f"prerequis[{index}]", parsed.front_lines.get("prerequis", 1))
            known = quote_list(sorted(by_slug))
            problems.append(problem("prerequisite_unknown", parsed.front_path, line, slug=slug, known=known))
    cycle = _cycle_from(parsed.slug, by_slug) if by_slug.get(parsed.slug) is parsed else None
    if cycle:
        line = parsed.front_lines.get("prerequis", 1)
        problems.append(problem("prerequisite_cycle", parsed.front_path, line, cycle=" → ".join(cycle)))
    return problems


def _cycle_from(start: str, by_slug: Mapping[str, ParsedModule]) -> list[str] | None:
    """A prerequisite path leading from ``start`` back to itself, if any (self-loops are reported apart)."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    visited: set[str] = set()
    while stack:
        slug, path = stack.pop()
        for nxt in prerequisites_of(by_slug[slug]) if slug in by_slug else []:
            if nxt == start and len(path) > 1:
                return [*path, start]
            if nxt not in visited and nxt != slug:
                visited.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None
