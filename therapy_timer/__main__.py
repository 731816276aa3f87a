"""`python -m therapy_timer` runs the same command line (the daemon is spawned this way)."""

from therapy_timer.cli import main

main()
