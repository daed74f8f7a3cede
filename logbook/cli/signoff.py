"""Sign-off on the command line: ``verify``, ``identity``, ``request``, ``inbox``, ``respond``,
``apply-response``.

Signing passphrases are asked for on the terminal, or read from
``$PRACTICE_LOGBOOK_SIGNING_PASSPHRASE`` by scripts; never from the command line.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.cli.arguments import day
from logbook.cli.backup import open_logbook
from logbook.cli.context import CliContext, prompt_secret
from logbook.cli.records import period_from
from logbook.domain.errors import LogbookError, NotFoundError
from logbook.domain.records import Person, Record, RecordKind
from logbook.domain.signoff import SignoffState

if TYPE_CHECKING:
    from logbook.domain.identity import SealedIdentity
    from logbook.services.logbook import Logbook
    from logbook.services.signoff.inbox import Decision

ENV_SIGNING_PASSPHRASE = "PRACTICE_LOGBOOK_SIGNING_PASSPHRASE"
ENV_NEW_SIGNING_PASSPHRASE = "PRACTICE_LOGBOOK_NEW_SIGNING_PASSPHRASE"
# Entries worth asking about: never signed, returned, or changed since they were signed.
REQUESTABLE = {
    SignoffState.UNSIGNED,
    SignoffState.RETURNED,
    SignoffState.CHANGED,
    SignoffState.FOREIGN,
    SignoffState.NOT_SUPERVISOR,
}


def register(sub: Any) -> None:
    _verify_command(sub)
    _identity_commands(sub)
    _request_commands(sub)
    _inbox_commands(sub)
    _respond_command(sub)
    _apply_response_command(sub)
    _signed_by_me_command(sub)


def _verify_command(sub: Any) -> None:
    verify = sub.add_parser(
        "verify",
        help="check every signature in the logbook (exit status 1 if any is invalid)",
        description="Check every supervisor signature against the entries as they are now, "
        "and print a report. Exits with 1 when any signature or signed entry is invalid.",
    )
    verify.add_argument(
        "--against",
        type=Path,
        metavar="EXPORT",
        help="also check that nothing recorded before this JSON export was removed since",
    )
    verify.set_defaults(handler=run_verify)


def _identity_commands(sub: Any) -> None:
    identity = sub.add_parser("identity", help="your signing identity as a supervisor")
    actions = identity.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="make a new signing identity (asks a passphrase)")
    create.add_argument("--name", required=True, help="your name as signatures show it")
    create.add_argument("--body", default="", help="registration body, e.g. HCPC, BACP, NMC")
    create.add_argument("--number", default="", help="registration number")
    create.add_argument("--organisation", default="", help="organisation you supervise for")
    create.set_defaults(handler=run_identity_create)
    listing = actions.add_parser("list", help="identities kept on this computer")
    listing.set_defaults(handler=run_identity_list)
    export = actions.add_parser("export", help="write an identity to one file (e.g. a USB stick)")
    export.add_argument("fingerprint")
    export.add_argument("file", type=Path)
    export.add_argument(
        "--public", action="store_true", help="only the public part, for your supervisees"
    )
    export.set_defaults(handler=run_identity_export)
    imported = actions.add_parser("import", help="keep an identity file on this computer")
    imported.add_argument("file", type=Path)
    imported.set_defaults(handler=run_identity_import)
    confirm = actions.add_parser(
        "confirm",
        help="pin a supervisor's key after checking its fingerprint with them",
        description="Record that you checked a supervisor's fingerprint with them. Only a "
        "confirmed key makes their signatures 'verified'. The key must be known to this "
        "logbook (from a public card, a request or a response), or given with --card.",
        prepare=_confirm_arguments,
    )
    confirm.set_defaults(handler=run_identity_confirm)


def _confirm_arguments(confirm: argparse.ArgumentParser) -> None:
    from logbook.domain.audit import ConfirmMethod

    confirm.add_argument("fingerprint", help="the fingerprint, as the supervisor read it")
    confirm.add_argument("--person", required=True, help="the supervisor's name (a person here)")
    confirm.add_argument(
        "--method",
        required=True,
        choices=[m.value for m in ConfirmMethod],
        help="how you checked it: in_person (on their screen), phone, identity_file",
    )
    confirm.add_argument("--card", type=Path, help="the supervisor's public card file")


def _request_commands(sub: Any) -> None:
    request = sub.add_parser("request", help="ask a supervisor to sign entries, by file")
    req_actions = request.add_subparsers(dest="action", metavar="ACTION", required=True)
    create_request = req_actions.add_parser(
        "create",
        help="write a sign-off request file",
        description="Write a request for the entries of one kind in a period that are not "
        "signed yet (or pick them with --uid). Private reflections are never included.",
        prepare=_request_arguments,
    )
    create_request.set_defaults(handler=run_request_create)
    sent = req_actions.add_parser("list", help="requests sent from this logbook")
    sent.set_defaults(handler=run_request_list)


def _request_arguments(create_request: argparse.ArgumentParser) -> None:
    from logbook.domain.signing import SIGNABLE_KINDS

    create_request.add_argument("kind", choices=[k.value for k in SIGNABLE_KINDS])
    create_request.add_argument("--from", dest="start", type=day, help="first date")
    create_request.add_argument("--to", dest="end", type=day, help="last date")
    create_request.add_argument("--year", type=int, help="a calendar year")
    create_request.add_argument("--type", dest="subtypes", action="append", default=[])
    create_request.add_argument("--uid", dest="uids", action="append", default=[])
    who = create_request.add_mutually_exclusive_group(required=True)
    who.add_argument("--supervisor", metavar="FINGERPRINT", help="a supervisor this logbook knows")
    who.add_argument("--supervisor-name", help="a supervisor whose key is not known yet")
    create_request.add_argument("--message", default="", help="a cover message")
    create_request.add_argument(
        "--cosign-reason",
        default="",
        help="why someone other than the recorded supervisor signs (e.g. deputising)",
    )
    create_request.add_argument(
        "--include-private-accounts",
        action="store_true",
        help="let the supervisor read reflective accounts marked private",
    )
    create_request.add_argument(
        "--allow-identifiers",
        action="store_true",
        help="send text that looks like a client's details (the choice is recorded on the entry)",
    )
    create_request.add_argument("--out", type=Path, required=True, help="the file to write")


def _inbox_commands(sub: Any) -> None:
    inbox = sub.add_parser("inbox", help="sign-off requests received (for supervisors)")
    inbox_actions = inbox.add_subparsers(dest="action", metavar="ACTION", required=True)
    received = inbox_actions.add_parser("list", help="requests in the inbox")
    received.set_defaults(handler=run_inbox_list)
    opened = inbox_actions.add_parser("open", help="check a request file and add it to the inbox")
    opened.add_argument("file", type=Path)
    opened.set_defaults(handler=run_inbox_open)
    show = inbox_actions.add_parser("show", help="the entries of one request")
    show.add_argument("request")
    show.set_defaults(handler=run_inbox_show)


def _respond_command(sub: Any) -> None:
    respond = sub.add_parser(
        "respond",
        help="sign or return the entries of a received request, and write the response file",
    )
    respond.add_argument("request", help="request id (or its first characters)")
    respond.add_argument(
        "--identity", required=True, help="fingerprint of your identity, or an identity file"
    )
    respond.add_argument("--sign-all", action="store_true", help="sign every entry not returned")
    respond.add_argument("--sign", action="append", default=[], metavar="ENTRY")
    respond.add_argument(
        "--return",
        dest="returns",
        action="append",
        default=[],
        metavar="ENTRY=COMMENT",
        help="return an entry with a comment",
    )
    respond.add_argument("--message", default="", help="a message to the practitioner")
    respond.add_argument("--out", type=Path, required=True, help="the response file to write")
    respond.set_defaults(handler=run_respond)


def _apply_response_command(sub: Any) -> None:
    apply = sub.add_parser("apply-response", help="attach the signatures of a response file")
    apply.add_argument("file", type=Path)
    apply.add_argument(
        "--confirm-partial",
        action="store_true",
        help="apply the valid answers when some entries are refused",
    )
    apply.add_argument(
        "--trust-fingerprint",
        metavar="FINGERPRINT",
        help="the supervisor's fingerprint, as they read it to you (for a key not known yet)",
    )
    apply.set_defaults(handler=run_apply_response)


def _signed_by_me_command(sub: Any) -> None:
    given = sub.add_parser(
        "signed-by-me",
        help="the signatures you made as a supervisor (your register)",
        description="List the signatures you made: those of your responses, and those of the "
        "receipts you imported after signing in person. With --import, keep a receipt first.",
    )
    given.add_argument("--import", dest="receipt", type=Path, metavar="RECEIPT")
    given.add_argument("--practitioner", default="", help="only this practitioner's entries")
    given.set_defaults(handler=run_signed_by_me)


# --- passphrases -------------------------------------------------------------------------------


def signing_passphrase(identity: SealedIdentity) -> str:
    """The passphrase from ``$PRACTICE_LOGBOOK_SIGNING_PASSPHRASE`` or a terminal prompt."""
    if value := os.environ.get(ENV_SIGNING_PASSPHRASE):
        return value
    return prompt_secret(
        f"Passphrase of {identity.public.name} ({identity.fingerprint}): ", ENV_SIGNING_PASSPHRASE
    )


def _new_passphrase() -> str:
    if value := os.environ.get(ENV_NEW_SIGNING_PASSPHRASE):
        return value
    first = prompt_secret("New passphrase (at least 8 characters): ", ENV_NEW_SIGNING_PASSPHRASE)
    if prompt_secret("The same again: ", ENV_NEW_SIGNING_PASSPHRASE) != first:
        raise LogbookError("The two passphrases differ; no identity was created.")
    return first


def _identity(logbook: Logbook, text: str) -> SealedIdentity:
    """An identity by fingerprint (kept on this computer) or from an identity file."""
    from logbook.services.identity import read_identity_file

    path = Path(text)
    if path.suffix == ".json" or path.exists():
        return read_identity_file(path)
    return logbook.signoff.identities.get(text)


# --- commands ----------------------------------------------------------------------------------


def run_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    logbook = open_logbook(ctx, args)
    report = logbook.signoff.verify_all()
    for line in report.lines():
        ctx.print(line)
    kept = True
    if args.against:
        kept = logbook.signoff.history_kept_since(args.against)
        ctx.print(
            f"Everything recorded when {args.against.name} was exported is still here."
            if kept
            else f"INVALID  sign-off events recorded when {args.against.name} was exported "
            "are missing or were changed since."
        )
    return 0 if report.ok and kept else 1


def run_identity_create(args: argparse.Namespace, ctx: CliContext) -> int:
    logbook = open_logbook(ctx, args)
    identity = logbook.signoff.identities.create(
        args.name,
        _new_passphrase(),
        registration_body=args.body,
        registration_number=args.number,
        organisation=args.organisation,
    )
    ctx.print(f"Created the signing identity of {identity.public.name}.")
    ctx.print(
        f"Fingerprint: {identity.fingerprint}  (read it to the people whose entries you sign)"
    )
    ctx.print(f"Kept in {logbook.signoff.identities.folder}; export it to carry it elsewhere.")
    return 0


def run_identity_list(args: argparse.Namespace, ctx: CliContext) -> int:
    logbook = open_logbook(ctx, args)
    identities = logbook.signoff.identities.list()
    for identity in identities:
        public = identity.public
        details = " · ".join(p for p in (public.registration, public.organisation) if p)
        ctx.print(f"{identity.fingerprint}  {public.name}" + (f"  ({details})" if details else ""))
    known = logbook.signoff.known_signers()
    if known:
        ctx.print("Supervisors this logbook knows:")
        for signer in known:
            mark = (
                f"confirmed {signer.confirmed_at:%d %b %Y}: {signer.confirmed_how.lower()}"
                if signer.confirmed_at
                else "not confirmed"
            )
            ctx.print(f"  {signer.fingerprint}  {signer.identity.name}  ({mark})")
    if not identities and not known:
        ctx.print("No signing identities yet: logbook-cli identity create --name '…'")
    return 0


def run_identity_export(args: argparse.Namespace, ctx: CliContext) -> int:
    store = open_logbook(ctx, args).signoff.identities
    if args.public:
        public = store.export_public(args.fingerprint, args.file)
        ctx.print(f"Wrote the public identity of {public.name} to {args.file}.")
    else:
        identity = store.export(args.fingerprint, args.file)
        ctx.print(
            f"Wrote the identity of {identity.public.name} to {args.file}. Its key is "
            "encrypted with your passphrase; keep the file safe all the same."
        )
    return 0


def run_identity_confirm(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.domain.audit import ConfirmMethod
    from logbook.domain.identity import normalise_fingerprint
    from logbook.services.identity import read_public_identity

    logbook = open_logbook(ctx, args)
    fingerprint = normalise_fingerprint(args.fingerprint)
    if args.card:
        key = read_public_identity(args.card)
    else:
        known = {s.fingerprint: s.identity for s in logbook.signoff.known_signers()}
        if fingerprint not in known:
            raise NotFoundError(
                f"This logbook has not seen the key {fingerprint}. Give the supervisor's public "
                "card with --card, or apply their response first."
            )
        key = known[fingerprint]
    if key.fingerprint != fingerprint:
        raise LogbookError(
            f"The card is for the key {key.fingerprint}, not {fingerprint}: it is not the key "
            "the supervisor read to you. Nothing was confirmed."
        )
    person = _person(logbook, args.person)
    logbook.signoff.confirm_key(person.uid, key, ConfirmMethod(args.method))
    ctx.print(f"Confirmed {fingerprint} as the key of {person.name} ({args.method}).")
    return 0


def _person(logbook: Logbook, text: str) -> Person:
    """A person of the logbook by uid or by name (exactly one must match)."""
    from logbook.services.signoff.trust import same_name

    people = [p for p in logbook.records.all(RecordKind.PERSON) if isinstance(p, Person)]
    found = [p for p in people if p.uid == text] or [p for p in people if same_name(p.name, text)]
    if len(found) != 1:
        what = "no person" if not found else f"{len(found)} people"
        raise NotFoundError(
            f"This logbook has {what} called '{text}'. Add the supervisor under People first, "
            "or give their id."
        )
    return found[0]


def run_identity_import(args: argparse.Namespace, ctx: CliContext) -> int:
    identity = open_logbook(ctx, args).signoff.identities.import_file(args.file)
    ctx.print(f"Imported the identity of {identity.public.name} ({identity.fingerprint}).")
    return 0


def run_request_create(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.domain.identity import normalise_fingerprint
    from logbook.services.privacy import CLI_HINT, IdentifiersFoundError

    logbook = open_logbook(ctx, args)
    kind = RecordKind(args.kind)
    targets: list[Record]
    if args.uids:
        targets = [logbook.records.get(kind, uid) for uid in args.uids]
    else:
        candidates = logbook.signoff.batch_candidates(kind, period_from(args), args.subtypes)
        targets = [r for r, state in candidates if state in REQUESTABLE]
        if not targets:
            raise LogbookError(
                f"No {kind.label.lower()} in that period needs signing "
                "(entries signed or awaiting sign-off are left out)."
            )
    supervisor = None
    if args.supervisor:
        fingerprint = normalise_fingerprint(args.supervisor)
        known = {s.fingerprint: s for s in logbook.signoff.known_signers()}
        if fingerprint not in known:
            raise NotFoundError(
                f"This logbook knows no supervisor with fingerprint {fingerprint}; use "
                "--supervisor-name for a supervisor whose key is not known yet."
            )
        supervisor = known[fingerprint].identity
    try:
        created = logbook.signoff.create_request(
            targets,
            args.out,
            supervisor=supervisor,
            supervisor_name=args.supervisor_name or "",
            message=args.message,
            cosign_reason=args.cosign_reason,
            allow_private=args.include_private_accounts,
            allow_identifiers=args.allow_identifiers,
        )
    except IdentifiersFoundError as error:
        raise error.with_hint(CLI_HINT) from None
    request = created.request
    ctx.print(
        f"Wrote a request for {len(request.items)} entr{'y' if len(request.items) == 1 else 'ies'}"
        f" to {args.out} (request {request.uid[:8]}). Send it to {request.supervisor_name}."
    )
    return 0


def run_request_list(args: argparse.Namespace, ctx: CliContext) -> int:
    requests = open_logbook(ctx, args).signoff.sent_requests()
    for sent in requests:
        stored = sent.stored
        ctx.print(
            f"{stored.uid[:8]}  {stored.created_at:%Y-%m-%d}  {stored.status:<9} "
            f"{stored.item_count:>3} entr{'y' if stored.item_count == 1 else 'ies'}  to "
            f"{stored.supervisor_name}"
        )
    if not requests:
        ctx.print("No requests have been sent from this logbook.")
    return 0


def run_inbox_list(args: argparse.Namespace, ctx: CliContext) -> int:
    entries = open_logbook(ctx, args).signoff.inbox()
    for entry in entries:
        request = entry.request
        ctx.print(
            f"{request.uid[:8]}  {request.created_at:%Y-%m-%d}  {entry.status:<9} "
            f"{len(request.items):>3} entr{'y' if len(request.items) == 1 else 'ies'}  from "
            f"{request.practitioner.name}"
        )
    if not entries:
        ctx.print("The inbox is empty: logbook-cli inbox open REQUEST-FILE")
    return 0


def run_inbox_open(args: argparse.Namespace, ctx: CliContext) -> int:
    entry = open_logbook(ctx, args).signoff.open_request(args.file).entry
    _print_request(ctx, entry.request.uid, ctx.open())
    ctx.print(f"Added to the inbox as {entry.uid[:8]}. Answer it with: logbook-cli respond …")
    return 0


def run_inbox_show(args: argparse.Namespace, ctx: CliContext) -> int:
    logbook = open_logbook(ctx, args)
    _print_request(ctx, _find_request(logbook, args.request), logbook)
    return 0


def _find_request(logbook: Logbook, prefix: str) -> str:
    matches = [e.uid for e in logbook.signoff.inbox() if e.uid.startswith(prefix)]
    if len(matches) != 1:
        problem = "matches no request" if not matches else "matches several requests"
        raise NotFoundError(f"'{prefix}' {problem} in the inbox (see logbook-cli inbox list).")
    return matches[0]


def _print_request(ctx: CliContext, uid: str, logbook: Logbook) -> None:
    from logbook.domain.signing import field_label
    from logbook.services.privacy import request_findings

    request = logbook.signoff.inbox_entry(uid).request
    who = request.practitioner
    registrations = ", ".join(who.registrations)
    ctx.print(
        f"Request {request.uid} from {who.name}" + (f" ({registrations})" if registrations else "")
    )
    ctx.print(f"Sent {request.created_at:%d %b %Y} to {request.supervisor_name}")
    if request.message:
        ctx.print(f"Message: {request.message}")
    for item in request.items:
        ctx.print(f"  {item.uid[:8]}  {item.description}")
        for name, value in item.content.items():
            if name in ("kind", "uid") or value in (None, "", []):
                continue
            ctx.print(f"              {field_label(name)}: {_value(value)}")
    flagged = request_findings(request.items)
    if flagged:
        ctx.print("Privacy: this request may identify a client (a logbook should not):")
        for line in flagged:
            ctx.print(f"  ! {line}")


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def run_respond(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.signoff.inbox import Decision

    logbook = open_logbook(ctx, args)
    uid = _find_request(logbook, args.request)
    request = logbook.signoff.inbox_entry(uid).request
    decisions: dict[str, Decision] = {}
    by_prefix = {item.uid: item for item in request.items}

    def entry(prefix: str) -> str:
        found = [u for u in by_prefix if u.startswith(prefix)]
        if len(found) != 1:
            raise NotFoundError(f"'{prefix}' does not name one entry of this request.")
        return found[0]

    for text in args.returns:
        prefix, sep, comment = text.partition("=")
        if not sep or not comment.strip():
            raise LogbookError(f"'{text}' is not ENTRY=COMMENT; say why it is returned.")
        decisions[entry(prefix)] = Decision.returned(comment)
    for prefix in args.sign:
        decisions[entry(prefix)] = Decision.signed()
    if args.sign_all:
        for item_uid in by_prefix:
            decisions.setdefault(item_uid, Decision.signed())
    identity = _identity(logbook, args.identity)
    response = logbook.signoff.respond(
        uid,
        decisions,
        identity,
        signing_passphrase(identity),
        args.out,
        message=args.message,
    ).response
    ctx.print(
        f"Signed {len(response.signed)} and returned {len(response.returned)} entr"
        f"{'y' if len(response.returned) == 1 else 'ies'}. Wrote {args.out}: send it back to "
        f"{request.practitioner.name}."
    )
    ctx.print(f"Your fingerprint, if they ask: {identity.fingerprint}")
    return 0


def run_signed_by_me(args: argparse.Namespace, ctx: CliContext) -> int:
    register = open_logbook(ctx, args).signed_by_me
    if args.receipt:
        kept = register.import_receipt(args.receipt)
        ctx.print(
            f"Kept {kept.added} signature(s) you made for {kept.practitioner} "
            f"({kept.already} already kept); {kept.sessions_logged} logged as supervision given."
        )
    found = register.all(practitioner=args.practitioner)
    for given in found:
        ctx.print(
            f"{given.signed_at:%Y-%m-%d}  {given.practitioner:<24}  {given.mode.label:<10}  "
            f"{given.description}"
        )
    if not found:
        ctx.print("You have signed nothing yet that this logbook knows of.")
    return 0


def run_apply_response(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.domain.identity import normalise_fingerprint
    from logbook.services.signoff.responses import PartialResponseError, UntrustedSignerError

    logbook = open_logbook(ctx, args)
    review = logbook.signoff.review_response(args.file)
    trusted = False
    if args.trust_fingerprint:
        heard = normalise_fingerprint(args.trust_fingerprint)
        if heard != review.supervisor.fingerprint:
            raise UntrustedSignerError(review.supervisor)
        trusted = True
    try:
        result = logbook.signoff.apply_response(
            args.file, confirm_partial=args.confirm_partial, trust_signer=trusted
        )
    except PartialResponseError as error:
        ctx.print(str(error))
        ctx.print("Run again with --confirm-partial to apply the valid answers.")
        return 1
    signer = result.supervisor
    ctx.print(f"Response from {signer.name} ({signer.fingerprint}):")
    ctx.print(f"  signed:   {len(result.signed)} entr{'y' if len(result.signed) == 1 else 'ies'}")
    ctx.print(f"  returned: {len(result.returned)} (their comments are on the entries)")
    for refusal in result.refused:
        ctx.print(f"  refused:  {refusal.description}: {refusal.reason}")
    return 0
