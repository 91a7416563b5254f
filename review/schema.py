"""The review app's own tables (never Rasa's): accounts, sessions, audit, summaries, review work.

Every table name starts with ``review_`` so the app's tables can live in the same
database as Rasa's ``events`` without clashing. Times are UNIX seconds (floats), as
in Rasa's ``events.timestamp``.

``review_conversations`` holds one row per conversation (a Rasa session of one
sender), summarised from ``events`` by :mod:`review.sync`; the list page, its
filters and the dashboard query only these tables, through the indices below.
"""

from __future__ import annotations

import sqlalchemy as sa

from core.vocabulary import FLAGS

metadata = sa.MetaData()

__all__ = ["FLAGS", "FLAG_LABELS", "ROLES", "CONTACT_ROLES", "metadata"]
FLAG_LABELS = {
    "crisis": "Crisis",
    "emergency": "Emergency",
    "low_confidence": "Fallback / low confidence",
    "handoff": "Handoff to clinic",
    "not_helpful": "“Not helpful” feedback",
    "personal_advice": "Personal advice asked",
    "error": "Error reply",
}
ROLES = ("reviewer", "clinician", "admin")
# Roles that see call-back requests' names and numbers (each view is audited).
CONTACT_ROLES = ("clinician", "admin")
SYNC_STATE_NAME = "events"

users = sa.Table(
    "review_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.Float),
    sa.Column("last_login_at", sa.Float),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
)

sessions = sa.Table(
    "review_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_seen", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False, index=True),
)

login_attempts = sa.Table(
    "review_login_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("ip", sa.String(64), nullable=False),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("success", sa.Boolean, nullable=False),
    sa.Index("ix_review_login_attempts_ip_at", "ip", "at"),
)

audit = sa.Table(
    "review_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("ip", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Index("ix_review_audit_action_at", "action", "at"),
)

sync_state = sa.Table(
    "review_sync_state",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("watermark", sa.BigInteger, nullable=False),
    sa.Column("held_since", sa.Float),
    sa.Column("synced_at", sa.Float),
)

conversations = sa.Table(
    "review_conversations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("first_event_id", sa.BigInteger, nullable=False),
    sa.Column("last_event_id", sa.BigInteger, nullable=False),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("last_at", sa.Float, nullable=False),
    sa.Column("day", sa.Integer, nullable=False),  # UTC day of started_at, days since 1970-01-01
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("n_user", sa.Integer, nullable=False),
    sa.Column("n_bot", sa.Integer, nullable=False),
    sa.Column("n_fallback", sa.Integer, nullable=False),
    sa.Column("min_confidence", sa.Float),
    sa.Column("helpful", sa.Integer, nullable=False),
    sa.Column("not_helpful", sa.Integer, nullable=False),
    *(sa.Column(f"flag_{flag}", sa.Boolean, nullable=False) for flag in FLAGS),
    sa.Column("topics", sa.Text, nullable=False),
    sa.Column("preview", sa.String(200), nullable=False),
    sa.Column("search_text", sa.Text, nullable=False),
    # The patient message that raised the most serious flag (its event id, masked text), for the list and anchor.
    sa.Column("flagged_event_id", sa.BigInteger),
    sa.Column("flagged_preview", sa.String(200), nullable=False, server_default=""),
    # Review work on the conversation; sync never writes these columns.
    sa.Column("reviewed", sa.Boolean, nullable=False, default=False),
    sa.Column("reviewed_by", sa.String(64)),
    sa.Column("reviewed_at", sa.Float),
    sa.Column("content_gap", sa.Boolean, nullable=False, default=False),
    sa.Column("tags", sa.Text, nullable=False, default=""),
    sa.UniqueConstraint("sender_id", "first_event_id", name="uq_review_conversations_sender_first"),
    # Newest first, alone and after an equality filter on each indexed column.
    sa.Index("ix_review_conversations_started", "started_at", "id"),
    sa.Index("ix_review_conversations_channel_started", "channel", "started_at"),
    sa.Index("ix_review_conversations_reviewed_started", "reviewed", "started_at"),
    sa.Index("ix_review_conversations_gap_started", "content_gap", "started_at"),
    *(sa.Index(f"ix_review_conversations_{flag}_started", f"flag_{flag}", "started_at") for flag in FLAGS),
)

conversation_topics = sa.Table(
    "review_conversation_topics",
    metadata,
    sa.Column("conversation_id", sa.Integer, primary_key=True),
    sa.Column("content_id", sa.String(64), primary_key=True),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("served", sa.Integer, nullable=False),
    sa.Column("helpful", sa.Integer, nullable=False),
    sa.Column("not_helpful", sa.Integer, nullable=False),
    sa.Index("ix_review_conversation_topics_content_started", "content_id", "started_at"),
)

tags = sa.Table(
    "review_tags",
    metadata,
    sa.Column("conversation_id", sa.Integer, primary_key=True),
    sa.Column("tag", sa.String(40), primary_key=True),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Index("ix_review_tags_tag", "tag", "conversation_id"),
)

notes = sa.Table(
    "review_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.Integer, nullable=False, index=True),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)

corrections = sa.Table(
    "review_corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conversation_id", sa.Integer, nullable=False),
    sa.Column("event_id", sa.BigInteger, nullable=False),  # the patient's user event
    sa.Column("text", sa.Text, nullable=False),  # masked, as on screen
    sa.Column("intent", sa.String(64)),  # what the assistant predicted
    sa.Column("served", sa.String(64)),  # the content id it answered with
    sa.Column("topic", sa.String(64), nullable=False),  # the content id that should have answered, or "none"
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.UniqueConstraint("conversation_id", "event_id", name="uq_review_corrections_turn"),
    sa.Index("ix_review_corrections_created", "created_at"),
)
