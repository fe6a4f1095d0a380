"""Reflection activities: learners' answers, anonymous sharing with trainers, workshop syntheses. No Flask here."""
