"""Modules that travel: SCORM 1.2 and SCORM 2004 packages, and an offline HTML edition.

One capability split by step, like ``elearn.certificates``: ``source`` picks the modules and refuses
those with errors, ``pages`` renders them with the reader's own templates and CSS, ``manifest`` writes
``imsmanifest.xml``, ``build`` assembles the ZIP. The package plays on its own: ``assets/rules.js``
scores quizzes and decides completion with the server's rules, ``assets/stores.js`` reports to the LMS
(or to the browser's storage offline), ``assets/player.js`` drives the pages.
"""

from elearn.packaging.build import FORMATS, PackageResult, build_package
from elearn.packaging.source import PackagingError, select_modules

__all__ = ["FORMATS", "PackageResult", "PackagingError", "build_package", "select_modules"]
