"""Authoring in the browser: drafts, publications and their history, and the ``modules/`` folder.

The database holds every publication (full text); ``modules/`` on each machine is a copy of the
latest publications that the content pipeline reads, kept up to date by :mod:`elearn.authoring.sync`.
Why this design, rather than a shared folder or a git repository: ``docs/authoring.md``.
"""
