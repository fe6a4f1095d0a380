"""``make bench``: throughput, latency, PDF, export and start-up figures measured in one run."""
