"""Certificates of completion: training path, eligibility, issuing, signing, PDF and verification.

Plain Python with no Flask view or request, so the web pages, the command line and the tests share it;
its error messages go through :mod:`elearn.i18n` like the other domain errors (French outside a request).
"""
