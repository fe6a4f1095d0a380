"""LTI 1.3 Advantage tool: elearn launched from an LMS (Moodle, Open edX, Canvas, Chamilo).

The protocol work (OIDC login, id_token checks, deep linking responses, grade service) is pylti1p3's;
this package gives it elearn's data:

- :mod:`elearn.lti.keys`: the tool's signing key and its public JWKS;
- :mod:`elearn.lti.platforms`: the platforms registered in Administration, as pylti1p3's tool config;
- :mod:`elearn.lti.launch`: who the launch is (found or created by issuer and ``sub``, roles mapped),
  nonces kept against replay, where scores must go;
- :mod:`elearn.lti.refusals`: why a launch was refused, in words for the person and the audit trail;
- :mod:`elearn.lti.scores`: scores queued in the outbox on completion and on every better score, and
  posted to the platform's line item by the outbox's sender.
"""
