"""Learning rules: what a learner has read, answered, completed, and for how long. No Flask here."""
