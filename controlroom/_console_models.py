"""The console's own tables and indexes, on the Control Room's metadata (migrations
``0002_console``, ``0004_console_queue_index``, ``0005_console_queue_facets``,
``0009_work_items_lean_indexes``).

console_sessions  server-side sessions: sha256 of the cookie secret, user, CSRF token
login_attempts    one row per login attempt, for rate limiting by user and address
review_locks      one row per item a reviewer has open, until it expires or is released
corrections       labelled examples: a reviewer's field value against the machine's
vendor_memory     where a vendor's documents of one layout print each confirmed field
                  (``extractors.memory``; migration ``0006_vendor_memory``)
shadow_agreements per approved item read by a shadow candidate: how many of the
                  reviewer's values the current models and the candidate had right
                  (``0007_shadow_agreements``, ``controlroom.services.shadow``)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from controlroom._db_types import utcnow
from controlroom.models import Base, WorkItem, new_id, partial


class ConsoleSession(Base):
    __tablename__ = "console_sessions"
    __table_args__ = (Index("ix_console_sessions_user", "user_id"),)

    # sha256 of the cookie's secret: a leaked table does not yield usable cookies.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class ReviewLock(Base):
    __tablename__ = "review_locks"

    work_item_id: Mapped[str] = mapped_column(ForeignKey("work_items.id"), primary_key=True)
    username: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class Correction(Base):
    __tablename__ = "corrections"
    __table_args__ = (
        Index("ix_corrections_created", "created_at"),
        Index("ix_corrections_item", "work_item_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    work_item_id: Mapped[str] = mapped_column(ForeignKey("work_items.id"))
    document_sha256: Mapped[str] = mapped_column(String(64))
    doc_type: Mapped[str] = mapped_column(String(50))
    field_name: Mapped[str] = mapped_column(String(200))
    original_value: Mapped[str | None] = mapped_column(Text)
    original_raw: Mapped[str | None] = mapped_column(Text)
    original_confidence: Mapped[float | None]
    corrected_value: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VendorMemory(Base):
    """One vendor's layout: its label tokens and, per field, where and how it is printed
    (``fields``: ``extractors.memory.FieldMemory`` records by name). ``version`` goes up
    with every teach; ``confirmations`` counts the teaches that agreed."""

    __tablename__ = "vendor_memory"
    __table_args__ = (
        UniqueConstraint(
            "workspace_id", "vendor_key", "doc_type", "layout", name="uq_vendor_memory_entry"
        ),
        Index("ix_vendor_memory_doc_type", "workspace_id", "doc_type"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    vendor_key: Mapped[str] = mapped_column(String(200))
    vendor_name: Mapped[str] = mapped_column(String(500))
    doc_type: Mapped[str] = mapped_column(String(50))
    layout: Mapped[str] = mapped_column(String(64))
    layout_tokens: Mapped[dict[str, Any]] = mapped_column()
    fields: Mapped[dict[str, Any]] = mapped_column()
    confirmations: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)
    taught_by: Mapped[str] = mapped_column(String(200))
    taught_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShadowAgreement(Base):
    __tablename__ = "shadow_agreements"
    __table_args__ = (Index("ix_shadow_agreements_created", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    work_item_id: Mapped[str] = mapped_column(ForeignKey("work_items.id"))
    current_classifier: Mapped[str] = mapped_column(String(200))
    current_extractor: Mapped[str] = mapped_column(String(200))
    candidate_classifier: Mapped[str] = mapped_column(String(200))
    candidate_extractor: Mapped[str] = mapped_column(String(200))
    fields: Mapped[int] = mapped_column(Integer)  # the reviewer's flat values compared
    current_agreed: Mapped[int] = mapped_column(Integer)
    candidate_agreed: Mapped[int] = mapped_column(Integer)
    type_current_agreed: Mapped[bool] = mapped_column(Boolean)
    type_candidate_agreed: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The review queue lists FAILED items newest (or oldest) failure first: with this index
# the first page is read in order instead of sorting every failure (bench/bench_console.py
# times page 1 with 10,000 failures).
Index("ix_work_items_state_updated", WorkItem.state, WorkItem.updated_at, WorkItem.id)
# The queue's counts per exception type and code read this index alone (no table rows),
# which page 1's time in bench/bench_console.py shows. It holds FAILED items only
# (migration 0009): the robots' reserves and releases write no entry into it. ``state``
# stays its first column all the same: without it SQLite reads each row to check it.
Index(
    "ix_work_items_failed_facets",
    WorkItem.state,
    WorkItem.workspace_id,
    WorkItem.rejected_at,
    WorkItem.exception_type,
    WorkItem.exception_code,
    **partial("state = 'FAILED'"),
)
