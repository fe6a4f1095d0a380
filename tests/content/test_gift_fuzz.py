"""Property-based tests of the GIFT importer: any text converts without an exception, notices in French.

And the stronger property: whatever is imported passes the module checker (questions without text or
with a single choice are left out and explained, not written into a module the checker would refuse).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from elearn.content.gift import UNSUPPORTED, convert_gift
from elearn.content.parse import parse_module
from elearn.content.validate import validate

#: GIFT's own characters, so the drawn texts are made of questions, answers, weights, feedback and escapes.
GIFT_ALPHABET = list("{}=~#%:/\\\n TF-0123abc->$[]") + ["::", "$CATEGORY: ", "TRUE", "FALSE", "%50%", "%-100%", "####", "//"]
gift_like = st.lists(st.sampled_from(GIFT_ALPHABET), max_size=80).map("".join)
questions = st.builds(
    lambda prompt, answers: f"{prompt}{{{' '.join(answers)}}}\n\n",
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="{}"), min_size=1, max_size=30),
    st.lists(st.tuples(st.sampled_from(["=", "~", "~%50%", "~%-50%", "=%100%"]), gift_like).map("".join), max_size=4),
)
texts = st.one_of(gift_like, st.text(max_size=200), st.lists(questions, max_size=4).map("".join))
#: Openings of every reason the importer gives for a question it leaves out (all French).
SKIP_REASONS = tuple(UNSUPPORTED.values())


@settings(deadline=None)
@given(texts)
@example("::Q::Question ?{=Oui ~Non}")
@example("$CATEGORY: \n\n{}")
@example("Q ?{=a ~b")
def test_any_text_converts_and_every_question_left_out_is_explained_in_french(text):
    result = convert_gift(text, "essai")
    assert result.imported >= 0 and isinstance(result.markdown, str)
    assert all(notice.reason.startswith(SKIP_REASONS) and notice.line >= 1 for notice in result.skipped)


def checker_errors(markdown: str) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        module = Path(folder) / "01-import.md"
        module.write_text(markdown, encoding="utf-8")
        return [p.message for p in validate(parse_module(module, Path(folder)), Path(folder)) if p.severity == "error"]


@settings(deadline=None)
@given(texts)
@example("{=~}")
@example("Q ?{~%50%}")
def test_whatever_is_imported_passes_the_checker(text):
    result = convert_gift(text, "essai")
    if result.imported:  # nothing imported: the command says so and fails
        assert checker_errors(result.markdown) == []
