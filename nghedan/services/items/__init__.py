"""Residents' items: intake, triage, search, status, history and what is confidential."""
