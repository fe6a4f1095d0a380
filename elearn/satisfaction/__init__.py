"""Satisfaction surveys: « à chaud » at the end of the path, « à froid » some days later.

Split by step: the questionnaires (``surveys``: what is asked, from ``parcours.yml`` or the shipped
default), the answers (``answers``: when a survey is due, recording it once) and the aggregates a trainer
and an administrator read (``aggregates``), where free answers never carry a name.
"""
