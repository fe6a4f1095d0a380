"""Web faces of elearn: one thin blueprint per audience (auth, learn, trainer, admin, public)."""
