"""Server-side quiz scoring."""

from __future__ import annotations

from elearn.content.model import Choice, Question, Quiz
from elearn.content.quiz import passes, score_quiz


def _question(qid: str, correct: list[bool], kind: str = "single", weight: float = 1.0) -> Question:
    choices = tuple(Choice(f"c{n}", f"choix {n}", ok, "") for n, ok in enumerate(correct, start=1))
    return Question(qid, kind, qid, choices, "", weight, 1)


QUIZ = Quiz("s-quiz-1", "", (_question("q1", [True, False], weight=2), _question("q2", [True, True, False], "multiple")), 1)


def test_all_right_scores_full_marks() -> None:
    result = score_quiz(QUIZ, {"q1": ["c1"], "q2": ["c1", "c2"]})
    assert (result.points, result.max_points, result.percent) == (3.0, 3.0, 100.0)
    assert [q.correct for q in result.questions] == [True, True]


def test_partial_selection_of_a_multiple_choice_scores_nothing() -> None:
    result = score_quiz(QUIZ, {"q1": ["c1"], "q2": ["c1"]})
    assert (result.points, result.percent) == (2.0, 66.67)
    assert result.question("q2").correct is False


def test_extra_wrong_choice_scores_nothing() -> None:
    assert score_quiz(QUIZ, {"q1": ["c1", "c2"], "q2": ["c1", "c2"]}).points == 1.0


def test_unknown_ids_and_missing_answers_are_wrong_not_errors() -> None:
    result = score_quiz(QUIZ, {"q1": ["c9"], "zz": ["c1"]})
    assert (result.points, result.percent) == (0.0, 0.0)
    assert result.questions[0].selected == frozenset()


def test_a_single_string_answer_is_one_choice() -> None:
    assert score_quiz(QUIZ, {"q1": "c1"}).questions[0].correct is True


def test_a_score_exactly_at_the_pass_mark_passes() -> None:
    quiz = Quiz("s-quiz-1", "", tuple(_question(f"q{n}", [True, False]) for n in range(1, 5)), 1)
    three_of_four = score_quiz(quiz, {"q1": ["c1"], "q2": ["c1"], "q3": ["c1"], "q4": ["c2"]})
    assert three_of_four.percent == 75.0
    assert passes(three_of_four.percent, 75) is True
    assert passes(three_of_four.percent, 76) is False
    assert passes(74.99, 75) is False and passes(100.0, 100) is True and passes(0.0, 0) is True


def test_a_quiz_without_questions_scores_zero_and_an_unknown_question_is_none() -> None:
    empty = score_quiz(Quiz("s-quiz-2", "", (), 1), {})
    assert (empty.points, empty.max_points, empty.percent) == (0.0, 0.0, 0.0)
    assert score_quiz(QUIZ, {}).question("q9") is None
