"""Tests of reflection answers, sharing and syntheses."""
