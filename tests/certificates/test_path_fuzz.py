"""Property-based tests of the parcours.yml parser: any text gives a path or PathConfigError in French, nothing else."""

from __future__ import annotations

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from elearn.certificates.path import PATH_FILE, PathConfigError, TrainingPath, parse_path
from tests.certificates.support import MEDIA, MODULES

VALID = (MODULES / "parcours.yml").read_text(encoding="utf-8")

#: Scalars YAML reads as something else than text: impossible dates, odd numbers, tags, anchors, nesting.
TRICKY = st.sampled_from([
    "2024-13-45", "2024-02-30", "0x_", "0o9", "1e400", ".nan", "~", "[]", "{}", "!!binary xyz", "&a [*a]",
    "!!python/object:os.system x", "? [a]", "'", "\"", "- -", "*nowhere", "é" * 300, "[" * 50 + "]" * 50,
])
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.dates(), texts)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3), max_leaves=8)


def section(keys: tuple[str, ...]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({}, optional={key: values for key in keys})


#: Documents with the file's keys (each maybe missing), holding any value.
documents = st.fixed_dictionaries({}, optional={
    "titre": values, "objectifs": values, "version": values, "modules": values,
    "organisme": st.one_of(values, section(("nom", "adresse", "numero_declaration"))),
    "signataire": st.one_of(values, section(("nom", "fonction", "signature"))),
}).map(lambda data: yaml.safe_dump(data, allow_unicode=True))


@st.composite
def edited_valid_files(draw: st.DrawFn) -> str:
    """The valid fixture with one line's value replaced by something tricky."""
    lines = VALID.splitlines()
    index = draw(st.integers(0, len(lines) - 1))
    key, colon, _ = lines[index].partition(":")
    lines[index] = f"{key}{colon} {draw(st.one_of(TRICKY, texts))}" if colon else draw(TRICKY)
    return "\n".join(lines)


def assert_parsed_or_refused_in_french(text: str) -> None:
    try:
        path = parse_path(text, MEDIA)
    except PathConfigError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.startswith(PATH_FILE) and " : " in problem, problem
    else:
        assert isinstance(path, TrainingPath)


@settings(deadline=None)
@given(st.one_of(texts, documents, edited_valid_files(), TRICKY))
@example("version: 2024-13-45")  # an impossible date once escaped as a ValueError
@example("titre: !!int 0x_")
@example("[" * 1200 + "]" * 1200)  # nesting deeper than the parser's recursion once escaped as RecursionError
def test_any_text_is_a_path_or_a_french_path_error(text):
    assert_parsed_or_refused_in_french(text)
