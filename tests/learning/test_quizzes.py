"""Quiz attempts as stored: the pass mark decides ``passed``, the mark itself included."""

from __future__ import annotations

from dataclasses import replace

import pytest

from elearn.db import session_scope
from elearn.learning.quizzes import submit_quiz
from elearn.web.modules import get_library

pytestmark = pytest.mark.sqlite_only

#: The fixture quiz: its first question right, its second wrong, scores exactly half the points.
HALF_RIGHT = {"q1": ["c1"], "q2": ["c3"]}


@pytest.mark.parametrize(("pass_mark", "passed"), [(50, True), (51, False)])
def test_an_attempt_scoring_the_pass_mark_is_passed(app, learner, pass_mark, passed):
    with app.app_context(), session_scope() as session:
        module = get_library().get("premiers-pas")
        module = replace(module, pass_mark=pass_mark)
        attempt = submit_quiz(session, learner.id, module, module.quizzes[0], 1, HALF_RIGHT).attempt
    assert (attempt.percent, attempt.passed) == (50.0, passed)
