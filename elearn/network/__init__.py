"""The vigilance network's rules: spotting identifying details, storing and triaging situations. No Flask here."""
