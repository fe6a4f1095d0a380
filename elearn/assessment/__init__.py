"""Assessments of the path: the positioning test and the final assessment, drawn from one question bank.

Split by step, like :mod:`elearn.certificates`: the bank (a Markdown file read by the content pipeline),
attempts (draw, submission, when a correction may be shown), knowledge gain (before/after, per question).
"""
