"""Reporting for administrators: dashboard figures, learner tables and streamed exports. No Flask here."""
