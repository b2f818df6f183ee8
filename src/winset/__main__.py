"""``python -m winset`` runs the command line."""

from winset.cli import main

main()
