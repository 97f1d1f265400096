"""SMS: the inbox, the one outbox, channels and residents' contacts."""
