"""Accounts created by administrators in the browser: one by one or from a file, with a link to set the
password that is handed over or sent by e-mail.

- :mod:`elearn.enrolment.create`: one account, its group and its password link (as ``elearn users create``);
- :mod:`elearn.enrolment.importing`: a CSV or XLSX file read, checked line by line and previewed, then
  created on confirmation; a second import of the same file creates nobody twice;
- :mod:`elearn.enrolment.mail`: the invitation e-mail, when ``ELEARN_SMTP_URL`` names a mail server.
"""
