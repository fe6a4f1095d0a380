"""The path's question bank: one Markdown file holding one certifying quiz, read by the content pipeline.

The file lives in the modules folder under a name starting with « _ » (``_evaluation.md``), so it is
never listed as a module; ``parcours.yml`` names it (``evaluation.banque``). It is checked with the
modules' own rules (``elearn check`` explains every mistake) plus two of its own: exactly one quiz,
and that quiz certifying. The positioning test and the final assessment both draw from it, so a
learner's before and after are measured on the same questions.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from elearn.content.messages import problem
from elearn.content.model import Certifying, ContentError, Problem, Quiz
from elearn.content.parse import ParsedModule, RawBlock, parse_module
from elearn.content.render import render
from elearn.content.validate import validate


@dataclass(frozen=True)
class QuestionBank:
    """The rendered bank: its certifying quiz, its title and the hash of its text (kept on attempts)."""

    title: str
    quiz: Quiz
    content_hash: str
    #: The file's name in the modules folder.
    name: str

    @property
    def rules(self) -> Certifying:
        assert self.quiz.certifying is not None  # check_bank refuses a bank without it
        return self.quiz.certifying


def _quiz_blocks(parsed: ParsedModule) -> list[RawBlock]:
    return [p for s in parsed.sections for p in s.parts if isinstance(p, RawBlock) and p.kind == "quiz"]


def check_bank(parsed: ParsedModule, media_dir: Path, known_sections: Mapping[str, Collection[str]] | None = None) -> list[Problem]:
    """Every problem of the bank file: the modules' rules, then one quiz and a certifying one."""
    problems = validate(parsed, media_dir, known_sections, bank=True)
    blocks = _quiz_blocks(parsed)
    where = parsed.front_path or parsed.path
    if len(blocks) != 1:
        problems.append(problem("bank_quiz_count", where, blocks[1].line if len(blocks) > 1 else 1, count=len(blocks)))
    elif blocks[0].options is None:
        problems.append(problem("bank_not_certifying", blocks[0].path, blocks[0].line))
    return sorted(set(problems))


def bank_problems(modules_dir: Path, media_dir: Path, name: str, base: Path | None = None,
                  known_sections: Mapping[str, Collection[str]] | None = None) -> list[Problem]:
    """What ``elearn check`` reports about the bank named in parcours.yml."""
    return check_bank(parse_module(Path(modules_dir) / name, base), media_dir, known_sections)


def load_bank(modules_dir: Path, media_dir: Path, name: str) -> QuestionBank:
    """The bank, parsed again only when the file changed; raises ContentError when it has errors.

    Raises FileNotFoundError when the file is missing (``parcours.yml`` checks already report it).
    """
    file = Path(modules_dir) / name
    stat = file.stat()
    return _load(file, Path(media_dir), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _load(file: Path, media_dir: Path, _mtime: int, _size: int) -> QuestionBank:
    parsed = parse_module(file)
    errors = [p for p in check_bank(parsed, media_dir) if p.is_error]
    if errors:
        raise ContentError(errors)
    rendered = render(parsed)
    return QuestionBank(rendered.title, rendered.quizzes[0], rendered.content_hash, file.name)
