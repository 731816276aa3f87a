"""`python -m therapy_timer.live_calendar`: the calendar writer under its 0.3.0 name, which a daemon
of that version, still running through an upgrade, spawns. The code lives in `calendar.writer`."""

import sys

from therapy_timer.calendar.writer import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
