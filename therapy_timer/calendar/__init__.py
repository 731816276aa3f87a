"""The plan as a calendar: the events (pure), the iCalendar file, and the daemon's live copy."""
