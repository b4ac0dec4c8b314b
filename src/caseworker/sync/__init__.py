"""Sync: keys, enrolment, the bundle format, the outbox and delivery, the coordinator import."""
