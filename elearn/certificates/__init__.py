"""Certificates of completion: training path, eligibility, issuing, signing, PDF and verification.

Plain Python with no Flask import, so the web pages, the command line and the tests share it.
"""
