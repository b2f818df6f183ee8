"""Exploring uncertainty: sampling, Monte Carlo runs, sensitivity and scenario discovery."""
