"""``backup``, ``check``, ``recover``, ``encrypt``, ``decrypt`` and ``change-passphrase``.

Passphrases are never read from the command line (other users could see them in the process
list and they would stay in the shell history): they are asked for at a prompt, or taken from
an environment variable for scripts (``PRACTICE_LOGBOOK_PASSPHRASE``,
``PRACTICE_LOGBOOK_NEW_PASSPHRASE``, ``PRACTICE_LOGBOOK_RECOVERY_KEY``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.cli.context import CliContext, ask_unlock, prompt_secret
from logbook.domain.errors import DamagedLogbookError, LockedLogbookError, LogbookError
from logbook.storage.encryption import ENV_RECOVERY_KEY, Unlock, write_private

if TYPE_CHECKING:
    from logbook.services import recovery
    from logbook.services.backups import BackupInfo
    from logbook.services.encryption import NewRecoveryKey
    from logbook.services.logbook import Logbook

ENV_NEW_PASSPHRASE = "PRACTICE_LOGBOOK_NEW_PASSPHRASE"


def register(sub: Any) -> None:
    backup = sub.add_parser(
        "backup",
        help="back up, list, restore or export backups",
        description="Backups are taken automatically (daily at start, before upgrades, "
        "restores and imports) and on demand. See docs/data-safety.md.",
    )
    actions = backup.add_subparsers(dest="action", metavar="ACTION", required=True)
    now = actions.add_parser("now", help="take a checked backup now")
    now.set_defaults(handler=run_backup_now)
    listing = actions.add_parser("list", help="list backups, newest first (numbered)")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.set_defaults(handler=run_backup_list)
    restore = actions.add_parser(
        "restore",
        help="restore a backup (what is there now is backed up first)",
        description="ID is a number from 'backup list', a backup's name, or the path of a "
        "backup file (an exported backup, a set-aside damaged file).",
    )
    restore.add_argument("id", metavar="ID")
    _recovery_option(restore)
    restore.set_defaults(handler=run_backup_restore)
    export = actions.add_parser("export", help="copy a backup to a file of your choice")
    export.add_argument("id", metavar="ID")
    export.add_argument("file", metavar="FILE", type=Path)
    export.set_defaults(handler=run_backup_export)
    folder = actions.add_parser("folder", help="show or choose the backup folder")
    folder.add_argument("folder", metavar="DIR", type=Path, nargs="?")
    folder.add_argument("--default", action="store_true", help="back up beside the logbook again")
    folder.set_defaults(handler=run_backup_folder)

    check = sub.add_parser(
        "check",
        help="check the logbook: file integrity, references, encryption, signatures",
    )
    check.set_defaults(handler=run_check)

    recover = sub.add_parser(
        "recover",
        help="when the logbook is damaged or missing: restore a backup or start anew",
    )
    choice = recover.add_mutually_exclusive_group()
    choice.add_argument(
        "--restore",
        metavar="ID",
        nargs="?",
        const="newest",
        help="restore the newest good backup (or the candidate numbered N, a backup's id, or "
        "a file such as a set-aside logbook)",
    )
    choice.add_argument(
        "--start-new", action="store_true", help="start an empty logbook (backups are kept)"
    )
    choice.add_argument(
        "--merge",
        metavar="FILE",
        type=Path,
        help="add to the logbook the records a set-aside (or other) logbook file holds that it "
        "does not; the file is left as it is",
    )
    _recovery_option(recover)
    recover.set_defaults(handler=run_recover)

    encrypt = sub.add_parser(
        "encrypt",
        help="encrypt the logbook with a passphrase (shows a recovery key to keep, first)",
    )
    _save_recovery_option(encrypt)
    encrypt.set_defaults(handler=run_encrypt)
    decrypt = sub.add_parser("decrypt", help="store the logbook unencrypted from now on")
    _recovery_option(decrypt)
    decrypt.set_defaults(handler=run_decrypt)
    change = sub.add_parser(
        "change-passphrase", help="choose a new passphrase (and get a new recovery key)"
    )
    _recovery_option(change)
    _save_recovery_option(change)
    change.set_defaults(handler=run_change_passphrase)


def _save_recovery_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--save-recovery-key",
        type=Path,
        metavar="FILE",
        help="write the new recovery key to FILE (readable by you only) instead of confirming "
        "it on the terminal; for scripts. Keep the file somewhere safe, off this computer",
    )


def _recovery_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--recovery-key",
        action="store_true",
        help=f"use the recovery key instead of the passphrase (asked for, or ${ENV_RECOVERY_KEY})",
    )


# --- opening ---------------------------------------------------------------------------------


def open_logbook(ctx: CliContext, args: argparse.Namespace | None = None) -> Logbook:
    """The logbook, asking for the passphrase (or ``--recovery-key``) if it is encrypted."""
    return ctx.open(recovery=getattr(args, "recovery_key", False))


def _new_passphrase() -> str:
    if value := os.environ.get(ENV_NEW_PASSPHRASE):
        return value
    first = prompt_secret("New passphrase (at least 8 characters): ", ENV_NEW_PASSPHRASE)
    if prompt_secret("The same again: ", ENV_NEW_PASSPHRASE) != first:
        raise LogbookError("The two passphrases differ; nothing was changed.")
    return first


# --- backups -----------------------------------------------------------------------------------


def _row(number: int, backup: BackupInfo) -> str:
    lock = "encrypted" if backup.encrypted else ""
    return (
        f"{number:>3}  {backup.when():<22} {backup.reason:<28} "
        f"{backup.records:>9,} records  {lock:<9}  {backup.id}"
    )


def run_backup_now(args: argparse.Namespace, ctx: CliContext) -> int:
    backup = open_logbook(ctx, args).backups.backup_now("manual")
    ctx.print(f"Backed up and checked: {backup.path}")
    ctx.print(f"  {backup.describe_counts()}")
    return 0


def run_backup_list(args: argparse.Namespace, ctx: CliContext) -> int:
    logbook = open_logbook(ctx, args)
    found = logbook.backups.all()
    if args.format == "json":
        ctx.print(json.dumps([_as_json(b) for b in found], indent=2))
        return 0
    if not found:
        ctx.print(f"No backups yet (they go to {logbook.backups.folder}).")
        return 0
    for number, backup in enumerate(found, 1):
        ctx.print(_row(number, backup))
    ctx.print(f"{len(found)} backup(s); new backups go to {logbook.backups.folder}")
    return 0


def _as_json(backup: BackupInfo) -> dict[str, Any]:
    return {
        "id": backup.id,
        "path": str(backup.path),
        "created_at": backup.created_at.isoformat(),
        "reason": backup.reason,
        "encrypted": backup.encrypted,
        "size": backup.size,
        "records": backup.records,
        "counts": {kind.value: n for kind, n in backup.counts.items()},
    }


def run_backup_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    logbook = open_logbook(ctx, args)
    candidate = Path(args.id).expanduser()
    if candidate.is_file():
        try:
            result = logbook.backups.restore_file(candidate)
        except LockedLogbookError:
            unlock = ask_unlock(args.recovery_key, candidate.name)
            result = logbook.backups.restore_file(candidate, unlock)
        ctx.print(f"Restored {candidate}.")
    else:
        chosen = logbook.backups.find(args.id)
        try:
            result = logbook.backups.restore(chosen)
        except LockedLogbookError:
            unlock = ask_unlock(args.recovery_key, "this backup")
            result = logbook.backups.restore(chosen, unlock)
        ctx.print(f"Restored the backup of {chosen.when()}: {chosen.describe_counts()}.")
    ctx.print(f"The logbook as it was just before is kept as backup {result.safety.id}.")
    return 0


def run_backup_export(args: argparse.Namespace, ctx: CliContext) -> int:
    logbook = open_logbook(ctx, args)
    written = logbook.backups.export(args.id, args.file)
    for path in written:
        ctx.print(f"Wrote {path}")
    if len(written) > 1:
        ctx.print(
            "The backup is encrypted: keep the .keys file beside it to open it with the "
            "passphrase (the recovery key opens it on its own)."
        )
    return 0


def run_backup_folder(args: argparse.Namespace, ctx: CliContext) -> int:
    logbook = open_logbook(ctx, args)
    if args.default or args.folder:
        folder = logbook.backups.choose_folder(None if args.default else args.folder)
        ctx.print(f"New backups will go to {folder}")
        ctx.print("Backups already taken stay where they are and are still listed.")
    else:
        ctx.print(str(logbook.backups.folder))
    return 0


# --- check and recovery ------------------------------------------------------------------------


def run_check(args: argparse.Namespace, ctx: CliContext) -> int:
    report = open_logbook(ctx, args).integrity.check()
    ctx.print(report.text())
    return 0 if report.ok else 1


def run_recover(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services import recovery
    from logbook.services.backups import BackupInfo, restore_location
    from logbook.services.logbook import Logbook

    if args.merge:
        return _merge(args, ctx)
    try:
        open_logbook(ctx, args)
    except DamagedLogbookError as error:
        ctx.print(str(error))
    else:
        ctx.print("The logbook opens and needs no recovery. To go back in time: backup restore.")
        return 0
    ctx.close()
    if args.start_new:
        Logbook.open(ctx.location, start_new=True).close()
        ctx.print(f"Started a new, empty logbook in {ctx.location.root}. Backups are kept.")
        return 0
    found = recovery.candidates(ctx.location)
    if args.restore is None:
        ctx.print("What the logbook can be restored from, newest first:")
        for number, candidate in enumerate(found, 1):
            ctx.print(f"{number:>3}  {candidate.describe()}")
        ctx.print("Restore with: recover --restore [N]   or start anew: recover --start-new")
        return 1
    chosen = _chosen(args.restore, found, ctx)
    source = chosen.path if isinstance(chosen, BackupInfo) else chosen
    unlock = ask_unlock(args.recovery_key, "the backup") if _encrypted(chosen) else None
    set_aside = restore_location(ctx.location, chosen, unlock)
    if isinstance(chosen, BackupInfo):
        ctx.print(f"Restored the backup of {chosen.when()}: {chosen.describe_counts()}.")
    else:
        ctx.print(f"Restored {source.name}.")
    if set_aside:
        ctx.print(f"The file that was in the way is kept as {set_aside.name}.")
    _tell_missing(ctx, source, unlock)
    return 0


def _chosen(wanted: str, found: list[recovery.Candidate], ctx: CliContext) -> BackupInfo | Path:
    """The candidate asked for: the newest, a number in the list, a backup id, or a file."""
    from logbook.services.backups import newest_good_backup

    if wanted == "newest":
        chosen = newest_good_backup(ctx.location)
        if chosen is None:
            raise LogbookError("There is no good backup to restore. Start anew: --start-new")
        return chosen
    if wanted.isdigit() and 1 <= int(wanted) <= len(found):
        candidate = found[int(wanted) - 1]
        return candidate.backup or candidate.path
    matches = [c for c in found if c.backup is not None and c.backup.id.startswith(wanted)]
    if len(matches) == 1 and matches[0].backup is not None:
        return matches[0].backup
    path = Path(wanted).expanduser()
    if path.is_file():
        return path
    raise LogbookError(
        f"'{wanted}' is neither a number of the list, nor a backup, nor a file. Run "
        "'recover' to see the list."
    )


def _encrypted(chosen: BackupInfo | Path) -> bool:
    from logbook.services.backups import BackupInfo

    if isinstance(chosen, BackupInfo):
        return chosen.encrypted
    with chosen.open("rb") as handle:
        return handle.read(16) != b"SQLite format 3\x00"


def _tell_missing(ctx: CliContext, restored_from: Path, unlock: Unlock | None) -> None:
    """Say which set-aside files hold records the restored logbook does not."""
    from logbook.services import recovery
    from logbook.services.logbook import Logbook

    with Logbook.open(ctx.location, unlock, auto_backup=False) as restored:
        for path in recovery.set_aside_files(ctx.location):
            if path == restored_from:
                continue
            missing = recovery.missing_from(restored.db, path)
            if missing:
                ctx.print(
                    f"{missing} record(s) in {path.name} are not in the restored logbook. "
                    f"Add them with: recover --merge {path}"
                )


def _merge(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services import recovery

    logbook = open_logbook(ctx, args)
    logbook.backups.backup_now("before-import")
    summary = recovery.merge_from(logbook.db, args.merge)
    ctx.print(
        f"Merged {args.merge.name}: {summary.added} record(s) added, {summary.updated} updated "
        f"to a later revision, {summary.unchanged} already here. The file was not changed."
    )
    return 0


# --- encryption --------------------------------------------------------------------------------


def run_encrypt(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.encryption import new_recovery_key

    logbook = open_logbook(ctx, args)
    passphrase = _new_passphrase()
    recovery = new_recovery_key()
    confirmation = _kept(recovery, args.save_recovery_key, ctx)
    result = logbook.encryption.encrypt(passphrase, recovery, confirmation)
    ctx.print("The logbook is now encrypted.")
    if result.backups_encrypted:
        ctx.print(f"{result.backups_encrypted} existing backup(s) were encrypted too.")
    return 0


def _kept(recovery: NewRecoveryKey, save_to: Path | None, ctx: CliContext) -> str:
    """Show the new recovery key (or save it) and return the user's confirmation, before any
    byte is encrypted with it.

    Raises:
        LogbookError: there is no terminal to confirm on and no file to save it to.
    """
    from logbook.services.encryption import CANNOT_RECOVER

    if save_to is not None:
        write_private(save_to.expanduser(), (recovery.text + "\n").encode("ascii"))
        ctx.print(f"The recovery key was written to {save_to}: keep it safe, off this computer.")
        return recovery.last_group
    ctx.print("")
    ctx.print("RECOVERY KEY (print it or write it down, and keep it safe, away from the computer):")
    ctx.print("")
    ctx.print(f"    {recovery.text}")
    ctx.print("")
    ctx.print("If you forget the passphrase, the recovery key opens the logbook and every backup.")
    ctx.print(CANNOT_RECOVER)
    if not sys.stdin.isatty():
        raise LogbookError(
            "There is no terminal to confirm the recovery key on, so nothing was encrypted. "
            "Scripts use --save-recovery-key FILE."
        )
    return input("Type the last four characters of the recovery key to go on: ")


def run_decrypt(args: argparse.Namespace, ctx: CliContext) -> int:
    logbook = open_logbook(ctx, args)
    logbook.encryption.decrypt(ask_unlock(args.recovery_key))
    ctx.print(
        "The logbook is no longer encrypted. Backups taken while it was encrypted stay "
        "encrypted and still open with the passphrase or recovery key."
    )
    return 0


def run_change_passphrase(args: argparse.Namespace, ctx: CliContext) -> int:
    from logbook.services.encryption import new_recovery_key

    logbook = open_logbook(ctx, args)
    current = ask_unlock(args.recovery_key, "the logbook (current)")
    passphrase = _new_passphrase()
    recovery = new_recovery_key()
    confirmation = _kept(recovery, args.save_recovery_key, ctx)
    count = logbook.encryption.change_passphrase(current, passphrase, recovery, confirmation)
    ctx.print(
        "The passphrase has been changed and the logbook has a new key: the old passphrase "
        "opens nothing written from now on. Keep the new recovery key; the old one still opens "
        "backups made before today."
    )
    if count:
        ctx.print(f"{count} backup(s) in the backup folder now open with the new passphrase too.")
    return 0
