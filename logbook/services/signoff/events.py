"""Writing sign-off events, shared by every way of signing: the content as stored, a signature
attached with the snapshot of what it covers, and the change that tells views what moved.

Nothing here opens a transaction; the use cases that call it each own one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime

from logbook.domain.errors import ConflictError, LogbookError, NotFoundError, Problem
from logbook.domain.identity import PublicIdentity, b64
from logbook.domain.records import Record, RecordKind
from logbook.domain.signing import (
    PERIOD_SUMMARY,
    SIGNABLE_KINDS,
    EventType,
    PeriodSummary,
    Signable,
    canonical,
    describe_content,
    digest,
    signable_record,
    signable_summary,
)
from logbook.domain.signoff import SignoffMode
from logbook.services.changes import Change, Topic
from logbook.services.signoff import trust as st
from logbook.storage import repository as repo
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Session

Target = Record | PeriodSummary


def stored_signable(session: Session, target: Target) -> Signable:
    """What signing ``target`` covers, read as stored (the revision shown must still be it).

    Raises:
        ConflictError: the record changed since it was shown.
        NotFoundError: the period summary is gone.
    """
    if isinstance(target, PeriodSummary):
        stored_summary = sr.summary(session, target.uid)
        if stored_summary is None:
            raise NotFoundError("This period summary is no longer in the logbook.")
        return signable_summary(stored_summary)
    if target.kind not in SIGNABLE_KINDS:
        raise LogbookError(f"{target.kind.label} records are not signed off.")
    stored = repo.get(session, target.kind, target.uid)
    if stored.revision != target.revision:
        raise ConflictError(
            f"{describe_content(current_content(stored))} changed while it was being "
            "reviewed (it is now at revision "
            f"{stored.revision}). Review it again; nothing was signed."
        )
    return signable_record(stored, st.contexts(session, [stored])[stored.uid])


def attach_signature(
    session: Session,
    signable: Signable,
    payload: bytes,
    signature: bytes,
    signer: PublicIdentity,
    now: datetime,
    mode: SignoffMode,
    *,
    request_uid: str | None = None,
    batch_uid: str | None = None,
    batch_label: str = "",
) -> None:
    """Append a signature event, keeping the signed content beside it (for "what changed")."""
    sr.save_snapshot(
        session,
        content_sha256=signable.digest,
        target_kind=signable.target_kind,
        target_uid=signable.uid,
        target_revision=signable.revision,
        content=canonical(signable.content),
        captured_at=now,
    )
    sr.append_event(
        session,
        EventType.SIGNED,
        target_kind=signable.target_kind,
        target_uid=signable.uid,
        target_revision=signable.revision,
        content_sha256=signable.digest,
        occurred_at=now,
        mode=mode,
        actor_name=signer.name,
        fingerprint=signer.fingerprint,
        payload=payload.decode("utf-8"),
        signature=b64(signature),
        request_uid=request_uid,
        batch_uid=batch_uid,
        batch_label=batch_label,
        refresh=False,
    )


# --- what changed ------------------------------------------------------------------------------


def target_kind(target: Target) -> str:
    """A target's kind as sign-off events name it."""
    return PERIOD_SUMMARY if isinstance(target, PeriodSummary) else target.kind.value


def kinds_by_uid(targets: Iterable[Target]) -> dict[str, str]:
    """Each target's uid with its kind as sign-off events name it, for :func:`signoff_change`."""
    return {t.uid: target_kind(t) for t in targets}


def signoff_change(
    updated: Mapping[str, str] | None = None,
    *,
    created: Mapping[str, str] | None = None,
) -> Change:
    """Sign-off state changed for ``updated`` (uid to kind as events name it), and the records
    or summaries in ``created`` were added; lists of those kinds refresh their sign-off column.
    """
    updated, created = updated or {}, created or {}
    named = {*updated.values(), *created.values()}
    kinds = {RecordKind(k) for k in named if k != PERIOD_SUMMARY}
    return Change(
        created=tuple(created),
        updated=tuple(updated),
        kinds=frozenset(kinds),
        topics=frozenset({Topic.SIGNOFF}),
    )


# --- small shared pieces -----------------------------------------------------------------------


def current_content(target: Target) -> dict[str, object]:
    """What a signature of ``target`` would cover as it stands now (its signed fields, without
    the names of the records it refers to)."""
    if isinstance(target, PeriodSummary):
        return dict(signable_summary(target).content)
    return dict(signable_record(target).content)


def current_digest(target: Target) -> str:
    """The digest of :func:`current_content`: a signature's ``content_sha256`` matches it
    while what it signed is unchanged."""
    return digest(current_content(target))


def document_text(document: Mapping[str, object]) -> str:
    """A request or response document as the text of its file and of the copy kept in the
    logbook: indented for people to read, accented letters as they are."""
    return json.dumps(document, ensure_ascii=False, indent=2)


def json_object(payload: bytes) -> dict[str, object]:
    """A signature's statement, read from the signed bytes.

    Raises:
        ValueError: the bytes are not JSON.
        TypeError: they are JSON, but not an object.
    """
    value = json.loads(payload)
    if not isinstance(value, dict):
        raise TypeError("a signature statement is a JSON object")
    return value


def problem(message: str, where: str = "") -> Problem:
    """A problem with a sign-off action, in field ``where`` (none: the action as a whole)."""
    return Problem(where, message)
