"""Sign-off: in person, batch, period summaries, remote by request and response files, paper.

Each job has its module: ``status`` (checked states), ``local`` (signing on this computer,
paper, revocation), ``requests``, ``inbox`` and ``responses`` (remote sign-off), ``keys``
(whose keys count), ``evidence`` (checking everything, portfolio evidence); ``files``,
``exchange`` and ``trust`` hold what they share. :class:`SignoffService` puts them together
for one open logbook.

Every use case that changes the logbook is one transaction and returns what it changed.
"""

from __future__ import annotations

from logbook.services.identity import IDENTITIES_FOLDER, IdentityStore
from logbook.services.locations import DataLocation
from logbook.services.signoff.evidence import SignoffAudit
from logbook.services.signoff.inbox import SignoffInbox
from logbook.services.signoff.keys import SignoffKeys
from logbook.services.signoff.local import LocalSignoff
from logbook.services.signoff.requests import SignoffRequests
from logbook.services.signoff.responses import SignoffResponses
from logbook.services.signoff.status import SignoffStatus
from logbook.storage.database import Database


class SignoffService:
    """Sign-off use cases on one open logbook, each done by the part for its job.

    The parts are attributes (``status``, ``local``, ``requests``, ``received``, ``responses``,
    ``keys``, ``audit``); their use cases are also offered here, so callers need not know which
    part does what.
    """

    def __init__(self, db: Database, location: DataLocation | None = None) -> None:
        self.db = db
        root = location.root if location is not None else db.path.parent
        self.identities = IdentityStore(root / IDENTITIES_FOLDER)
        self.status = status = SignoffStatus(db)
        self.local = LocalSignoff(db, status)
        self.requests = SignoffRequests(db, status)
        self.received = SignoffInbox(db)
        self.responses = SignoffResponses(db, status)
        self.keys = SignoffKeys(db, status, self.identities)
        self.audit = SignoffAudit(db, status)

        # States (what lists show); nothing changes.
        self.states = status.states
        self.assess = status.assess
        self.in_states = status.in_states
        self.count_in_states = status.count_in_states
        self.candidates_count = status.candidates_count
        self.detail = status.detail
        self.changes_since_signed = status.changes_since_signed
        self.describe = status.describe
        self.history = status.history
        self.summary_records = status.summary_records

        # Signing on this computer, paper evidence, revocation.
        self.sign = self.local.sign
        self.save_receipt = self.local.save_receipt
        self.batch_candidates = self.local.batch_candidates
        self.sign_batch = self.local.sign_batch
        self.create_summary = self.local.create_summary
        self.summaries = self.local.summaries
        self.attach_paper = self.local.attach_paper
        self.revoke = self.local.revoke

        # Remote: the practitioner's requests and the supervisor's responses to them.
        self.create_request = self.requests.create_request
        self.sent_requests = self.requests.sent_requests
        self.request_items = self.requests.request_items
        self.review_response = self.responses.review_response
        self.apply_response = self.responses.apply_response

        # Remote: the supervisor's inbox.
        self.open_request = self.received.open_request
        self.inbox = self.received.inbox
        self.inbox_entry = self.received.inbox_entry
        self.respond = self.received.respond
        self.save_response_again = self.received.save_response_again

        # Keys: known signers, confirmation, own signing identities.
        self.known_signers = self.keys.known_signers
        self.add_known_signer = self.keys.add_known_signer
        self.confirm_key = self.keys.confirm_key
        self.practitioner = self.keys.practitioner
        self.people_who_could_sign = self.keys.people_who_could_sign
        self.create_identity = self.keys.create_identity
        self.import_identity = self.keys.import_identity
        self.own_identities = self.keys.own_identities
        self.own_identity = self.keys.own_identity

        # Checking everything, and evidence for a portfolio.
        self.verify_all = self.audit.verify_all
        self.history_head = self.audit.history_head
        self.history_kept_since = self.audit.history_kept_since
        self.evidence = self.audit.evidence
        self.checked_signoffs = self.audit.checked_signoffs


__all__ = ["SignoffService"]
