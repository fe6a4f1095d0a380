"""Live xAPI: statements recorded with the progress they describe, delivered to a learning record store.

- :mod:`elearn.xapi.record`: what the learning code calls, in its own transaction, to queue a statement
  in the outbox (launched, experienced a section, answered, passed or failed, completed, earned);
- :mod:`elearn.xapi.statements`: the queued facts as xAPI statements, in the shapes of the export
  (:mod:`elearn.reporting.xapi`, the one definition of both);
- :mod:`elearn.xapi.lrs`: where the LRS is (environment or Administration) and the HTTP transport.
"""
