"""The training organisation's identity: set in the browser, defaulted by parcours.yml, printed on every document."""
