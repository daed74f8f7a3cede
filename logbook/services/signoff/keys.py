"""Whose keys count: the practitioner's, the supervisors' this logbook knows and confirmed, and
the signing identities kept on this computer for signing as a supervisor.

A key is never trusted because it was seen or made here, only once the practitioner confirms
it is a person's, as a signed event of the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from logbook.domain.audit import ConfirmMethod
from logbook.domain.errors import LogbookError
from logbook.domain.identity import KdfParameters, PublicIdentity, SealedIdentity
from logbook.domain.queries import RecordQuery
from logbook.domain.records import Person, RecordKind, utc_now
from logbook.services.changes import Change, Topic
from logbook.services.identity import IdentityStore
from logbook.services.signoff import trust as st
from logbook.services.signoff.events import Target, signoff_change
from logbook.services.signoff.files import Practitioner
from logbook.services.signoff.status import SignoffStatus
from logbook.storage import repository as repo
from logbook.storage import signoff_repository as sr
from logbook.storage.database import Database
from logbook.storage.signoff_repository import KnownSigner as KnownSigner

# Own identities live on this computer, not in the logbook; the sign-off page lists them.
IDENTITIES_CHANGED = Change(topics=frozenset({Topic.SIGNOFF}))


class NotYourIdentityError(LogbookError):
    """The identity chosen to sign as the practitioner is the key of someone else here."""


@dataclass(frozen=True)
class SignerAdded:
    """A supervisor's key now known here (confirmed too, if asked), and what that changed."""

    signer: KnownSigner
    change: Change


@dataclass(frozen=True)
class KeyConfirmed:
    """The uid of the confirmation event, and the entries that key signed (their states move)."""

    event_uid: str
    change: Change


@dataclass(frozen=True)
class IdentityAdded:
    """A signing identity now kept on this computer."""

    identity: SealedIdentity
    change: Change = IDENTITIES_CHANGED


class SignoffKeys:
    """Known signers, key confirmation and own signing identities of one open logbook."""

    def __init__(self, db: Database, status: SignoffStatus, identities: IdentityStore) -> None:
        self.db = db
        self.status = status
        self.identities = identities

    def known_signers(self) -> list[KnownSigner]:
        """Signers seen by this logbook; confirmed only where the practitioner confirmed them."""
        with self.db.reading() as session:
            pins = self.status.trust_in(session).pins
            seen = {k.fingerprint: k for k in sr.known_signers(session)}
            for fingerprint, confirmed in pins.items():
                if fingerprint not in seen:
                    seen[fingerprint] = KnownSigner(
                        confirmed.identity, confirmed.confirmed_at, None, "confirmation"
                    )
        result = []
        for known in seen.values():
            pin = pins.get(known.fingerprint)
            result.append(
                replace(
                    known,
                    confirmed_at=pin.confirmed_at if pin else None,
                    person_uid=pin.person_uid if pin else None,
                    confirmed_how=pin.method.label if pin else "",
                )
            )
        return sorted(result, key=lambda k: (k.identity.name.casefold(), k.fingerprint))

    def add_known_signer(
        self,
        identity: PublicIdentity,
        *,
        confirm_for: str | None = None,
        method: ConfirmMethod = ConfirmMethod.IDENTITY_FILE,
    ) -> SignerAdded:
        """Remember a supervisor's public identity (for example from their public card).

        With ``confirm_for`` (a person's uid), the practitioner also confirms that the key is
        that person's (see :meth:`confirm_key`).
        """
        now = utc_now()
        moved: dict[str, str] = {}
        with self.db.transaction() as session:
            known = sr.remember_signer(session, identity, now=now, source="card")
            if confirm_for:
                st.pin_key(session, self.db.logbook_id, confirm_for, identity, method, now)
                moved = st.signed_with(session, identity.fingerprint)
        signer = next(k for k in self.known_signers() if k.fingerprint == known.fingerprint)
        return SignerAdded(signer, signoff_change(moved))

    def confirm_key(
        self, person_uid: str, identity: PublicIdentity, method: ConfirmMethod
    ) -> KeyConfirmed:
        """Pin ``identity``'s key to a person, after the practitioner checked it with them.

        This is the only way a key becomes trusted: it is the practitioner's signed statement,
        saying how and when, appended to the audit trail.

        Raises:
            NotFoundError: there is no such person.
        """
        with self.db.transaction() as session:
            uid = st.pin_key(session, self.db.logbook_id, person_uid, identity, method, utc_now())
            moved = st.signed_with(session, identity.fingerprint)
        return KeyConfirmed(uid, signoff_change(moved))

    def practitioner(self) -> Practitioner:
        """Whom this logbook's signatures must be for: its practitioner and their key."""
        with self.db.reading() as session:
            return st.practitioner(session)

    def people_who_could_sign(self, targets: Sequence[Target], signer_name: str) -> list[Person]:
        """People a signer's key may be pinned to: the supervisor recorded on ``targets`` who
        bears the signer's name first, then everyone else, by name."""
        with self.db.reading() as session:
            likely = st.person_for_signer(session, targets, signer_name)
            people = [
                p
                for p in repo.query(session, RecordQuery(RecordKind.PERSON, limit=None))
                if isinstance(p, Person)
            ]
        people.sort(key=lambda p: (likely is None or p.uid != likely.uid, p.name.casefold()))
        return people

    # --- own signing identities (kept on this computer) ------------------------------------

    def create_identity(
        self,
        name: str,
        passphrase: str,
        *,
        registration_body: str = "",
        registration_number: str = "",
        organisation: str = "",
        kdf: KdfParameters | None = None,
    ) -> IdentityAdded:
        """Make a signing identity and keep it, sealed by its passphrase, on this computer."""
        identity = self.identities.create(
            name,
            passphrase,
            registration_body=registration_body,
            registration_number=registration_number,
            organisation=organisation,
            kdf=kdf,
        )
        return IdentityAdded(identity)

    def own_identities(self) -> list[SealedIdentity]:
        """The identities kept on this computer that could be the practitioner's own: those
        this logbook knows as a signer's (a supervisor who signed here, in person) left out."""
        others = {k.fingerprint for k in self.known_signers()}
        return [i for i in self.identities.list() if i.fingerprint not in others]

    def own_identity(self, fingerprint: str) -> SealedIdentity:
        """The identity kept on this computer with that fingerprint, if it can be the
        practitioner's own.

        Raises:
            NotFoundError: no identity with that fingerprint is kept on this computer.
            NotYourIdentityError: it is the key of someone who signs in this logbook.
        """
        sealed = self.identities.get(fingerprint)
        signer = next(
            (k for k in self.known_signers() if k.fingerprint == sealed.fingerprint), None
        )
        if signer is not None:
            raise NotYourIdentityError(
                f"The identity {sealed.fingerprint} is the key of {signer.identity.name}, who "
                "signs entries in this logbook: sign your portfolio with your own identity."
            )
        return sealed

    def import_identity(self, path: Path) -> IdentityAdded:
        """Keep a copy of an identity file on this computer (still sealed by its passphrase)."""
        return IdentityAdded(self.identities.import_file(Path(path)))
