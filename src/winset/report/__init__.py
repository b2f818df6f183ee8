"""Plots and reports of scenarios and results."""
