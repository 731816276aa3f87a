"""`python -m therapy_timer` runs the same command line (the daemon runs as `python -m therapy_timer.daemon`)."""

from therapy_timer.cli import main

main()
