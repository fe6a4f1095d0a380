"""Protections shared by the web faces: rate limits and log-in lock-out (see docs/security.md)."""
