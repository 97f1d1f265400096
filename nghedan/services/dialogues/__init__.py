"""Dialogues: plan, agenda, meeting, the conclusion notice, residents' SMS, follow-up."""
