"""Name cards and seating (issue 18): an event's tables, who sits where, name cards and the table plan."""
