"""Tests of the vigilance network rules."""
