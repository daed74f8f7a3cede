"""Dialogs of sign-off on this computer and by file: sign in person or in a batch, period
summaries, requests, applying a response, paper evidence, revocation, and new identities.

Every dialog shows problems inline (never in a blocking message box) and keeps the dialog open,
so the user can correct what is wrong; nothing is signed or attached until the service accepts
the whole action. The one question asked in a window of its own is whether a request may carry
text that looks like a client's details: it must not be missed.
"""

from logbook.ui.signoff.dialogs.base import (
    ActionDialog,
    EntryChooser,
    EntryRow,
    buttons,
    entry_columns,
    entry_rows,
)
from logbook.ui.signoff.dialogs.keys import ConfirmKeyDialog, IdentityDialog, SignerBox
from logbook.ui.signoff.dialogs.remote import ApplyResponseDialog, IdentifiersDialog, RequestDialog
from logbook.ui.signoff.dialogs.signing import (
    PaperDialog,
    PeriodSummaryDialog,
    RevokeDialog,
    SignDialog,
)

__all__ = [
    "ActionDialog",
    "ApplyResponseDialog",
    "ConfirmKeyDialog",
    "EntryChooser",
    "EntryRow",
    "IdentifiersDialog",
    "IdentityDialog",
    "PaperDialog",
    "PeriodSummaryDialog",
    "RequestDialog",
    "RevokeDialog",
    "SignDialog",
    "SignerBox",
    "buttons",
    "entry_columns",
    "entry_rows",
]
