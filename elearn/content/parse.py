"""Stage 1 of the pipeline: read a module's files into a line-numbered raw structure.

Parsing never judges meaning (that is ``validate``); it only records what the author wrote, where, and the
syntax problems that make the text unreadable (bad YAML, unclosed ``:::`` block...). It never raises:
problems are collected so a trainer sees them all at once.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from elearn.content import yamlread
from elearn.content.blocks import RawQuestion, RawReflection, parse_quiz, parse_reflection, split_options
from elearn.content.messages import cut, problem, quote_list
from elearn.content.model import Problem

Lines = list[tuple[int, str]]

CALLOUT_KINDS = ("definition", "a-retenir", "attention", "exemple")
INTERACTIVE_KINDS = ("quiz", "reflexion")
BLOCK_KINDS = CALLOUT_KINDS + INTERACTIVE_KINDS

# Two digits: file names then sort as trainers number them. A name may go without a number, but may not
# start with another count of digits, which would otherwise be read as part of the slug.
_MODULE_NAME_RE = re.compile(r"^(?:(\d{2})-|(?!\d+-))([a-z0-9]+(?:-[a-z0-9]+)*)$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SECTION_RE = re.compile(r"^##(?!#)(.*)$")
_SECTION_ID_RE = re.compile(r"\s*\{#([^}]*)\}\s*$")
_BLOCK_CLOSE_RE = re.compile(r"^:::\s*$")
_BLOCK_OPEN_RE = re.compile(r"^:::\s*(\S+)\s*(.*?)\s*$")
_COMMENT_RE = re.compile(r"^\s*<!--.*-->\s*$")
VALID_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class RawText:
    """Consecutive Markdown lines of a section (or of the introduction)."""

    path: str
    lines: Lines = field(default_factory=list)


@dataclass
class RawBlock:
    """A ``:::`` block; quizzes and reflections carry their parsed interior."""

    kind: str
    title: str
    line: int
    path: str
    lines: Lines = field(default_factory=list)
    #: The ``{…}`` options of a quiz's opening line (certifying mode), unjudged; None when absent.
    options: str | None = None
    questions: list[RawQuestion] = field(default_factory=list)
    reflection: RawReflection | None = None


RawPart = RawText | RawBlock


@dataclass
class RawSection:
    title: str
    id: str
    line: int
    path: str
    parts: list[RawPart] = field(default_factory=list)


@dataclass
class ModuleSource:
    """Where a module lives: its slug, display path and source files in reading order."""

    slug: str
    path: Path
    display: str
    files: tuple[Path, ...]


@dataclass
class ParsedModule:
    source: ModuleSource
    front: dict = field(default_factory=dict)
    front_lines: dict[str, int] = field(default_factory=dict)
    front_path: str = ""
    front_line: int = 1
    front_readable: bool = False
    intro: list[RawPart] = field(default_factory=list)
    sections: list[RawSection] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    content_hash: str = ""
    verbatim: set[tuple[str, int]] = field(default_factory=set)  # (path, line) in code or HTML comments

    @property
    def slug(self) -> str:
        return self.source.slug

    @property
    def path(self) -> str:
        return self.source.display


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated id for a section title (``Le refus de soins`` -> ``le-refus-de-soins``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def display_path(path: Path, base: Path | None) -> str:
    """The path shown to trainers: relative to ``base`` when below it, with forward slashes."""
    if base is not None:
        relative = os.path.relpath(path, base)
        if not relative.startswith(".."):
            return Path(relative).as_posix()
    return path.as_posix()


def discover(modules_dir: Path, base: Path | None = None) -> tuple[list[ModuleSource], list[Problem]]:
    """The modules of a folder, in name order, and the problems with names or missing ``index.md``."""
    sources: list[ModuleSource] = []
    problems: list[Problem] = []
    for entry in sorted(modules_dir.iterdir()) if modules_dir.is_dir() else []:
        if entry.name.startswith(("_", ".")) or entry.name == "README.md":
            continue
        if entry.is_file() and entry.suffix != ".md":
            continue
        name = entry.stem if entry.is_file() else entry.name
        shown = display_path(entry, base)
        match = _MODULE_NAME_RE.match(name)
        if match is None:
            problems.append(problem("bad_module_name", shown, 1, name=name))
            continue
        files = module_files(entry)
        if not files:
            problems.append(problem("missing_index", shown, 1))
            continue
        sources.append(ModuleSource(match.group(2), entry, shown, files))
    return sources, problems


def source_for(path: Path, base: Path | None = None) -> ModuleSource:
    """The ModuleSource of one module file or folder given directly (``elearn check modules/02-x.md``)."""
    name = path.stem if path.is_file() else path.name
    match = _MODULE_NAME_RE.match(name)
    slug = match.group(2) if match else slugify(name) or "module"
    return ModuleSource(slug, path, display_path(path, base), module_files(path))


def module_files(path: Path) -> tuple[Path, ...]:
    """``index.md`` first, then the other Markdown files in name order; empty when there is no index."""
    if path.is_file():
        return (path,)
    index = path / "index.md"
    if not index.is_file():
        return ()
    others = sorted(
        p for p in path.glob("*.md") if p.name != "index.md" and not p.name.startswith(("_", ".")) and p.is_file()
    )
    return (index, *others)


def parse_module(source: ModuleSource | Path, base: Path | None = None) -> ParsedModule:
    """Read every file of a module into a ParsedModule; syntax problems land in ``parsed.problems``."""
    if isinstance(source, Path):
        source = source_for(source, base)
    parsed = ParsedModule(source)
    contents: list[tuple[str, bytes]] = []
    for number, file in enumerate(source.files):
        shown = display_path(file, base) if source.path.is_dir() else source.display
        raw = _read(file, shown, parsed.problems)
        if number > 0 and not raw.strip():
            # An emptied section file is almost always a mistake (a save gone wrong, a bad merge): its
            # sections, quizzes included, would vanish from under the learners without a word.
            parsed.problems.append(problem("empty_file", shown, 1))
        contents.append((file.name, raw))
        text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
        lines = list(enumerate(text.split("\n"), start=1))
        if number == 0:
            lines = _read_front_matter(parsed, shown, lines)
        _BodyParser(parsed, shown, is_main=number == 0).run(lines)
    parsed.content_hash = content_digest(contents)
    return parsed


def content_digest(files: list[tuple[str, bytes]]) -> str:
    """The module's ``content_hash``: its files' names and bytes, in reading order (``module_files``)."""
    digest = hashlib.sha256()
    for name, raw in files:
        digest.update(f"{name}\0".encode() + raw + b"\0")
    return digest.hexdigest()[:16]


def _read(file: Path, shown: str, problems: list[Problem]) -> bytes:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        problems.append(problem("unreadable", shown, 1, detail=exc.strerror or exc.__class__.__name__))
        return b""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(problem("not_utf8", shown, raw[: exc.start].count(b"\n") + 1))
    return raw


def _read_front_matter(parsed: ParsedModule, shown: str, lines: Lines) -> Lines:
    """Fill ``parsed.front`` from the YAML header and return the lines after it."""
    parsed.front_path = shown
    if not lines or lines[0][1].strip() != "---":
        parsed.problems.append(problem("front_missing", shown, 1))
        return lines
    end = next((i for i, (_, text) in enumerate(lines[1:], start=1) if text.rstrip() in ("---", "...")), None)
    if end is None:
        parsed.problems.append(problem("front_unclosed", shown, 1))
        return lines[1:]
    yaml_text = "\n".join(text for _, text in lines[1:end])
    loaded = _load_yaml(yaml_text, shown, parsed.problems)
    if loaded is not None:
        parsed.front, parsed.front_lines = loaded
        parsed.front_readable = True
    return lines[end + 1 :]


def _load_yaml(text: str, shown: str, problems: list[Problem]) -> tuple[dict, dict[str, int]] | None:
    """Parse the header, keeping each key's line (front matter starts on line 2 of the file).

    None when it cannot be read at all (the problem is recorded).
    """
    try:
        node, data = yamlread.load(text)
    except yaml.YAMLError as exc:
        line, detail = yamlread.describe_error(exc)
        problems.append(problem("yaml_invalid", shown, 2 if line is None else line + 2, detail=detail))
        return None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. a date PyYAML cannot build
        problems.append(problem("yaml_invalid", shown, 2, detail=cut(str(exc))))
        return None
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        problems.append(problem("front_not_mapping", shown, 2))
        return None
    key_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in key_lines:
            problems.append(problem("front_duplicate_key", shown, key_node.start_mark.line + 2, key=key))
        key_lines.setdefault(key, key_node.start_mark.line + 2)
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                key_lines.setdefault(f"{key}[{index}]", item.start_mark.line + 2)
    return {str(k): v for k, v in data.items()}, key_lines


def normalize_kind(word: str) -> str:
    """``Définition`` and ``à-retenir`` are accepted spellings of ``definition`` and ``a-retenir``."""
    return slugify(word) or word


class _BodyParser:
    """Walks the Markdown lines of one file, splitting sections (``##``) and ``:::`` blocks."""

    def __init__(self, parsed: ParsedModule, path: str, is_main: bool) -> None:
        self.parsed = parsed
        self.path = path
        self.is_main = is_main
        self.section: RawSection | None = None
        self.block: RawBlock | None = None
        self.fence: str | None = None
        self.in_comment = False
        self.reported_orphan_text = False
        self.comment_lines: set[int] = set()

    def run(self, lines: Lines) -> None:
        for number, text in lines:
            self._line(number, text)
        if self.block is not None:
            self._close_block(unclosed=True)

    def _line(self, number: int, text: str) -> None:
        if self.fence is not None or self.in_comment:
            self.parsed.verbatim.add((self.path, number))
            if self.in_comment:
                self.comment_lines.add(number)
            self._append(number, text)
            self._leave_verbatim(text)
            return
        fence = _FENCE_RE.match(text)
        if fence:
            self.fence = fence.group(1)
            self.parsed.verbatim.add((self.path, number))
        elif text.lstrip().startswith("<!--") and "-->" not in text:
            self.in_comment = True
            self.parsed.verbatim.add((self.path, number))
            self.comment_lines.add(number)
        elif _BLOCK_CLOSE_RE.match(text):
            return self._close_marker(number)
        elif opening := _BLOCK_OPEN_RE.match(text):
            return self._open_block(number, opening.group(1), opening.group(2))
        elif heading := _SECTION_RE.match(text):
            return self._start_section(number, heading.group(1))
        self._append(number, text)

    def _leave_verbatim(self, text: str) -> None:
        if self.fence is not None:
            if text.strip().startswith(self.fence) and set(text.strip()) == {self.fence[0]}:
                self.fence = None
        elif "-->" in text:
            self.in_comment = False

    def _close_marker(self, number: int) -> None:
        if self.block is None:
            self.parsed.problems.append(problem("stray_close", self.path, number))
        else:
            self._close_block(unclosed=False)

    def _open_block(self, number: int, word: str, title: str) -> None:
        kind = normalize_kind(word)
        if self.block is not None:
            self.parsed.problems.append(problem("nested_block", self.path, number, kind=word, opened=self.block.line))
            return
        if kind not in BLOCK_KINDS:
            self.parsed.problems.append(
                problem("unknown_block", self.path, number, kind=word, allowed=quote_list(BLOCK_KINDS))
            )
            kind = "?"
        elif kind in INTERACTIVE_KINDS and self.section is None:
            self.parsed.problems.append(problem("block_outside_section", self.path, number, kind=kind))
        options = None
        if kind == "quiz":
            title, options = split_options(title)
        self.block = RawBlock(kind, title, number, self.path, options=options)

    def _close_block(self, unclosed: bool) -> None:
        block = self.block
        assert block is not None
        self.block = None
        if unclosed:
            self.parsed.problems.append(problem("unclosed_block", self.path, block.line, kind=block.kind))
        lines = [(n, t) for n, t in block.lines if n not in self.comment_lines and not _COMMENT_RE.match(t)]
        if block.kind == "quiz":
            block.questions = parse_quiz(lines, self.path, self.parsed.problems)
        elif block.kind == "reflexion":
            block.reflection = parse_reflection(lines, block.line, self.path, self.parsed.problems)
        self._parts().append(block)

    def _start_section(self, number: int, heading: str) -> None:
        if self.block is not None:
            self._close_block(unclosed=True)
        title = heading.strip()
        explicit = _SECTION_ID_RE.search(title)
        if explicit:
            title = title[: explicit.start()].strip()
            section_id = explicit.group(1).strip()
            if not VALID_ID_RE.match(section_id):
                self.parsed.problems.append(problem("bad_section_id", self.path, number, id=section_id))
        else:
            section_id = slugify(title) or f"section-{len(self.parsed.sections) + 1}"
        if not title:
            self.parsed.problems.append(problem("empty_section_title", self.path, number))
        self.section = RawSection(title, section_id, number, self.path)
        self.parsed.sections.append(self.section)

    def _parts(self) -> list[RawPart]:
        if self.section is not None:
            return self.section.parts
        return self.parsed.intro

    def _append(self, number: int, text: str) -> None:
        if self.block is not None:
            self.block.lines.append((number, text))
            return
        if self.section is None and not self.is_main:
            if text.strip() and not self.reported_orphan_text:
                self.reported_orphan_text = True
                self.parsed.problems.append(problem("text_outside_section", self.path, number))
            return
        parts = self._parts()
        if not parts or not isinstance(parts[-1], RawText):
            parts.append(RawText(self.path))
        parts[-1].lines.append((number, text))
