"""The first-run welcome: who you are, where you are registered, where you work and are
supervised, and which professional requirements to follow.

Nothing is written until Finish; then the profile and its organisations are saved in one
transaction. Every field is reachable with Tab and every page with Enter or Alt+N. Until then
the answers are kept as a draft, so closing the welcome (it asks first) or a crash does not
lose them: the next start fills them in again.
"""

from __future__ import annotations

import itertools
import json
import tomllib
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from logbook.domain.choices import OrganisationKind
from logbook.domain.errors import LogbookError, ValidationError
from logbook.domain.periods import add_months
from logbook.domain.records import Organisation, Profile, Record, Registration, RoleSpell
from logbook.resources import resource_root
from logbook.services.logbook import Logbook
from logbook.ui import theme
from logbook.ui.drafts import Button, DraftKeeper, ask_discard, widget_state

BODIES = ("BACP", "BABCP", "BPS", "HCPC", "NMC", "UKCP", "NCPS", "BAMBA", "SCoPEd", "AHCS")
NO_ORGANISATION = ""
DRAFT_NAME = "welcome"
ROW_DATES = frozenset({"renewal", "start", "end"})
PAGE_MARGINS = (22, 14, 22, 8)


@dataclass(frozen=True)
class PackChoice:
    """A requirement pack the practitioner can follow."""

    pack_id: str
    title: str
    description: str = ""


def available_packs(logbook: Logbook | None) -> list[PackChoice]:
    """The requirement packs to offer: from the requirements service, else the shipped files."""
    service = getattr(logbook, "requirements", None) if logbook is not None else None
    if service is not None and hasattr(service, "pack_infos"):
        found = [PackChoice(p.id, p.title, p.description) for p in service.pack_infos()]
        if found:
            return found
    return _packs_from_files()


def _packs_from_files() -> list[PackChoice]:
    try:
        folder = resource_root() / "packs"
    except FileNotFoundError:
        return []
    packs = []
    for path in sorted(folder.glob("*")):
        data: Any
        try:
            if path.suffix == ".toml":
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            elif path.suffix == ".json":
                data = json.loads(path.read_text(encoding="utf-8"))
            else:
                continue
        except (OSError, ValueError):
            continue
        meta = data.get("pack", data) if isinstance(data, dict) else {}
        pack_id = str(meta.get("id") or path.stem)
        packs.append(
            PackChoice(pack_id, str(meta.get("title") or pack_id), str(meta.get("description", "")))
        )
    return packs


# --- repeating rows -----------------------------------------------------------------------------


class RowList(QWidget):
    """Rows of fields with an Add button and a Remove button on each row (keyboard friendly)."""

    def __init__(self, add_text: str, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self._columns = len(headers) + 1
        self.grid.setVerticalSpacing(6)
        for column, text in enumerate(headers):
            label = QLabel(text)
            label.setObjectName("muted")
            self.grid.addWidget(label, 0, column)
        # Fields keep their natural widths; the space left over goes after the Remove buttons.
        self.grid.setColumnStretch(self._columns, 1)
        layout.addLayout(self.grid)
        self.add_button = QPushButton(add_text, self)
        self.add_button.setAccessibleName(add_text.replace("&", ""))
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self._next_grid_row = 1

    def make_fields(self) -> dict[str, QWidget]:
        raise NotImplementedError

    def _order_tabs(self) -> None:
        """Tab goes through the rows in order, then to the Add button.

        Done once the list sits in its window: before that the focus chain is a closed loop
        in which the Add button already counts as coming after the last row.
        """
        chain = [widget for row in self.rows for widget in row.values()]
        for first, second in itertools.pairwise([*chain, self.add_button]):
            QWidget.setTabOrder(first, second)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._order_tabs()

    def add_row(self, focus: bool = False, **values: Any) -> dict[str, Any]:
        fields = self.make_fields()
        row = self._next_grid_row
        self._next_grid_row += 1
        for column, widget in enumerate(fields.values()):
            self.grid.addWidget(widget, row, column)
        remove = QPushButton("Remove", self)
        remove.setAccessibleName(f"Remove row {len(self.rows) + 1}")
        entry: dict[str, Any] = {**fields, "_remove": remove}
        remove.clicked.connect(lambda: self.remove_row(entry))
        self.grid.addWidget(remove, row, len(fields))
        self.rows.append(entry)
        if self.isVisible():
            # Shown now, not when the layout gets round to it, so focus can move into the row.
            for widget in entry.values():
                widget.show()
            self._order_tabs()
        self.fill(entry, values)
        if focus:
            next(iter(fields.values())).setFocus(Qt.FocusReason.OtherFocusReason)
        return entry

    def fill(self, entry: dict[str, Any], values: dict[str, Any]) -> None:
        for key, value in values.items():
            widget = entry[key]
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QDateEdit) and isinstance(value, date):
                widget.setDate(QDate(value.year, value.month, value.day))
            elif isinstance(widget, QComboBox):
                index = widget.findData(value)
                if index < 0 and widget.isEditable():
                    widget.setEditText(str(value))
                else:
                    widget.setCurrentIndex(max(index, 0))

    def remove_row(self, entry: dict[str, Any]) -> None:
        for key, widget in entry.items():
            self.grid.removeWidget(widget)
            widget.deleteLater()
            del key
        self.rows.remove(entry)
        self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)


def _date_edit(name: str, value: date) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setDate(QDate(value.year, value.month, value.day))
    edit.setAccessibleName(name)
    return edit


class RegistrationRows(RowList):
    """The practitioner's professional registrations: body, number and renewal date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("&Add a registration", ["Body", "Number", "Renewal date"], parent)

    def make_fields(self) -> dict[str, QWidget]:
        body = QComboBox()
        body.setEditable(True)
        body.addItems(BODIES)
        body.setCurrentIndex(-1)
        body.setAccessibleName("Registration body")
        line = body.lineEdit()
        assert line is not None  # an editable combo box always has its line edit
        line.setPlaceholderText("e.g. BACP")
        body.setMinimumWidth(150)
        number = QLineEdit()
        number.setAccessibleName("Registration number")
        number.setPlaceholderText("Membership number")
        number.setMinimumWidth(220)
        renewal = _date_edit("Renewal date", add_months(date.today(), 12))
        return {"body": body, "number": number, "renewal": renewal}

    def registrations(self) -> list[Registration]:
        found = []
        for row in self.rows:
            body = row["body"].currentText().strip()
            number = row["number"].text().strip()
            if not body and not number:
                continue
            found.append(
                Registration(
                    body=body, number=number, renewal_date=row["renewal"].date().toPython()
                )
            )
        return found


class OrganisationRows(RowList):
    """The organisations that employ or supervise the practitioner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Add an &organisation", ["Name", "Kind", "Employs you", "Supervises you"], parent
        )

    def make_fields(self) -> dict[str, QWidget]:
        name = QLineEdit()
        name.setAccessibleName("Organisation name")
        name.setPlaceholderText("e.g. Leeds Mind")
        name.setMinimumWidth(230)
        kind = QComboBox()
        kind.setAccessibleName("Kind of organisation")
        for choice in OrganisationKind:
            kind.addItem(choice.label, choice.value)
        employer = QCheckBox()
        employer.setAccessibleName("Employs you")
        supervising = QCheckBox()
        supervising.setAccessibleName("Supervises you")
        return {"name": name, "kind": kind, "employer": employer, "supervising": supervising}

    def organisations(self) -> list[Organisation]:
        found = []
        for row in self.rows:
            name = row["name"].text().strip()
            if not name:
                continue
            found.append(
                Organisation(
                    name=name,
                    organisation_kind=OrganisationKind(row["kind"].currentData()),
                    employer=row["employer"].isChecked(),
                    supervising=row["supervising"].isChecked(),
                )
            )
        return found


class RoleRows(RowList):
    """The practitioner's roles over time; a role held now has no end date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a &role", ["Role", "From", "Until", "Current"], parent)

    def make_fields(self) -> dict[str, QWidget]:
        title = QLineEdit()
        title.setAccessibleName("Role title")
        title.setPlaceholderText("e.g. Psychological wellbeing practitioner")
        title.setMinimumWidth(280)
        start = _date_edit("Role started on", add_months(date.today(), -12))
        end = _date_edit("Role ended on", date.today())
        current = QCheckBox("Now")
        current.setAccessibleName("Role held now")
        current.setChecked(True)
        end.setEnabled(False)
        current.toggled.connect(lambda on: end.setEnabled(not on))
        return {"title": title, "start": start, "end": end, "current": current}

    def roles(self) -> list[RoleSpell]:
        found = []
        for row in self.rows:
            title = row["title"].text().strip()
            if not title:
                continue
            found.append(
                RoleSpell(
                    title=title,
                    start=row["start"].date().toPython(),
                    end=None if row["current"].isChecked() else row["end"].date().toPython(),
                )
            )
        return found


# --- pages --------------------------------------------------------------------------------------


def _scrolling(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    return area


class AboutYouPage(QWizardPage):
    """The first page: the practitioner's name, email and registrations (a name is required)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Welcome to Practice Logbook")
        self.setSubTitle(
            "A few details to set up your logbook. Everything stays on this computer, and you "
            "can change it later."
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        self.name = QLineEdit()
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("As it appears on your registration")
        self.email = QLineEdit()
        self.email.setAccessibleName("Your email (optional)")
        self.email.setPlaceholderText("Optional: printed on your portfolio")
        form.addRow("&Your name", self.name)  # Alt+N is the wizard's Next
        form.addRow("&Email", self.email)
        self.registerField("name*", self.name)

        self.registrations = RegistrationRows()
        self.registrations.add_row()
        heading = QLabel("Professional registrations")
        heading.setObjectName("sectionTitle")
        note = QLabel(
            "Renewal dates set your registration cycle on the dashboard and in the lists."
        )
        note.setObjectName("muted")
        note.setWordWrap(True)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addWidget(self.registrations)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(*PAGE_MARGINS)
        outer.addWidget(_scrolling(content))


class WorkPage(QWizardPage):
    """The second page: the organisations the practitioner works with, and their roles."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Where you work")
        self.setSubTitle(
            "The organisations that employ or supervise you (for example a charity and an NHS "
            "trust), and your roles over time."
        )
        self.organisations = OrganisationRows()
        self.organisations.add_row()
        self.roles = RoleRows()
        self.roles.add_row()
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        for title, widget in (("Organisations", self.organisations), ("Roles", self.roles)):
            heading = QLabel(title)
            heading.setObjectName("sectionTitle")
            layout.addWidget(heading)
            layout.addWidget(widget)
            layout.addSpacing(6)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(*PAGE_MARGINS)
        outer.addWidget(_scrolling(content))


class PacksPage(QWizardPage):
    """The last page: the requirement packs to follow, none ticked to begin with."""

    def __init__(self, packs: list[PackChoice]) -> None:
        super().__init__()
        self.setTitle("Requirements to follow")
        self.setSubTitle(
            "Pick the professional bodies and schemes whose requirements your logbook should "
            "check. You can change this at any time."
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        self.list = QListWidget()
        self.list.setSpacing(3)
        self.list.setAccessibleName("Requirement packs")
        for pack in packs:
            item = QListWidgetItem(pack.title)
            item.setSizeHint(item.sizeHint().expandedTo(QSize(0, 26)))
            item.setData(Qt.ItemDataRole.UserRole, pack.pack_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            if pack.description:
                item.setToolTip(pack.description)
            self.list.addItem(item)
        if packs:
            self.list.setCurrentRow(0)
            hint = QLabel("Space ticks or unticks the highlighted pack.")
            hint.setObjectName("muted")
            layout.addWidget(self.list, 1)
            layout.addWidget(hint)
        else:
            none = QLabel(
                "No requirement packs are installed in this version yet. Your logbook works "
                "without them; you can choose packs later in Requirements."
            )
            none.setWordWrap(True)
            none.setObjectName("muted")
            layout.addWidget(none)
            layout.addStretch(1)
            self.list.hide()

    def chosen(self) -> tuple[str, ...]:
        return tuple(
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        )


class FirstRunWizard(QWizard):
    """Creates the practitioner's profile (and their organisations) in one transaction."""

    def __init__(self, logbook: Logbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logbook = logbook
        self.setWindowTitle("Set up your logbook")
        self.setAccessibleName("Set up your logbook")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setMinimumSize(860, 600)
        logo = theme.app_icon().pixmap(QSize(48, 48), self.devicePixelRatioF())
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, logo)
        self.about = AboutYouPage()
        self.work = WorkPage()
        self.packs = PacksPage(available_packs(logbook))
        for page in (self.about, self.work, self.packs):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Start logging")
        self._offer_checking()
        self.saved: list[Record] = []
        drafts = getattr(logbook, "drafts", None)
        self.draft = DraftKeeper(self, drafts, DRAFT_NAME, self.answers, self._input_state)
        self.about.name.textChanged.connect(self.draft.changed_soon)
        self.about.email.textChanged.connect(self.draft.changed_soon)
        self._resume(drafts)

    def _offer_checking(self) -> None:
        """A reviewer may install the app only to check a portfolio someone sent them: that
        needs no logbook of their own, so it is offered before one is set up."""
        self.check_dialog: QDialog | None = None
        self.setButtonText(QWizard.WizardButton.CustomButton1, "Chec&k a portfolio…")
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.button(QWizard.WizardButton.CustomButton1).setToolTip(
            "Check a portfolio PDF someone sent you, without setting up a logbook"
        )
        W = QWizard.WizardButton
        self.setButtonLayout(
            [W.CustomButton1, W.Stretch, W.BackButton, W.NextButton, W.FinishButton, W.CancelButton]
        )
        # A bound method, not a lambda holding the wizard: Qt must be free to delete it.
        self.customButtonClicked.connect(self._custom_clicked)

    def _custom_clicked(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.check_portfolio()

    def check_portfolio(self) -> QDialog:
        """Open "Check a portfolio", with no logbook's confirmed keys to compare with."""
        from logbook.ui.portfolio_check_dialog import PortfolioCheckDialog

        dialog = PortfolioCheckDialog(None, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.check_dialog = dialog
        return dialog

    # --- the draft: never lose typing --------------------------------------------------------

    def _resume(self, drafts: Any) -> None:
        """Fill in the answers kept from last time (closed with "Save for later", or a crash)."""
        try:
            kept = drafts.get(DRAFT_NAME) if drafts is not None else None
        except LogbookError:
            return
        if kept is None:
            return
        try:
            self.fill(kept.content)
        except (KeyError, TypeError, ValueError):
            return  # kept by another version: start afresh (overwritten when typing starts)
        self.draft.adopt(DRAFT_NAME)
        self.about.setSubTitle(
            "Your answers from last time are filled in. " + self.about.subTitle()
        )

    def _input_state(self) -> object:
        widgets: list[QWidget] = [self.about.name, self.about.email, self.packs.list]
        for rows in (self.about.registrations, self.work.organisations, self.work.roles):
            widgets += [w for row in rows.rows for w in row.values()]
        return widget_state(widgets)

    def answers(self) -> dict[str, Any]:
        """Everything typed so far, as a JSON-ready draft (read back by :meth:`fill`)."""

        def row_values(rows: RowList) -> list[dict[str, Any]]:
            return [
                {key: _value(widget) for key, widget in row.items() if not key.startswith("_")}
                for row in rows.rows
            ]

        return {
            "name": self.about.name.text(),
            "email": self.about.email.text(),
            "registrations": row_values(self.about.registrations),
            "organisations": row_values(self.work.organisations),
            "roles": row_values(self.work.roles),
            "packs": list(self.packs.chosen()),
        }

    def fill(self, answers: dict[str, Any]) -> None:
        """Put ``answers`` (from :meth:`answers`) back into the pages."""
        self.about.name.setText(str(answers["name"]))
        self.about.email.setText(str(answers["email"]))
        for key, rows in (
            ("registrations", self.about.registrations),
            ("organisations", self.work.organisations),
            ("roles", self.work.roles),
        ):
            for entry in list(rows.rows):
                rows.remove_row(entry)
            for values in answers[key]:
                rows.add_row(**{k: _from_json(k, v) for k, v in values.items()})
        chosen = set(answers["packs"])
        for i in range(self.packs.list.count()):
            item = self.packs.list.item(i)
            ticked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def reject(self) -> None:
        """Esc, Cancel and the close button: with anything typed, ask before quitting.

        Save keeps the answers for the next start ("Save for later"): there is no logbook to
        save them into until the welcome is finished.
        """
        if self.draft.changed():
            answer = ask_discard(
                self,
                "Your answers have not been saved. “Save for later” keeps them, and Practice "
                "Logbook fills them in again the next time it starts.",
                save_text="Save for later",
            )
            if answer == Button.Cancel:
                return
            if answer == Button.Save and not self.draft.keep_now():
                QMessageBox.warning(
                    self,
                    "Your answers could not be kept",
                    "Practice Logbook could not write down your answers. Finish the welcome "
                    "now, or check that the logbook's folder can be written to.",
                )
                return
            if answer == Button.Discard:
                self.draft.finish()
        else:
            self.draft.finish()
        super().reject()

    def done(self, result: int) -> None:
        if result == QWizard.DialogCode.Accepted:
            self.draft.finish()  # the profile is saved: nothing left to keep
        else:
            self.draft.stop()
        super().done(result)

    def profile_records(self) -> list[Record]:
        """The organisations and the profile the answers describe (not yet saved)."""
        organisations = self.work.organisations.organisations()
        employer = next((o for o in organisations if o.employer), None)
        roles = tuple(
            RoleSpell(
                title=r.title,
                start=r.start,
                end=r.end,
                organisation_uid=employer.uid if employer and r.end is None else None,
            )
            for r in self.work.roles.roles()
        )
        profile = Profile(
            name=self.about.name.text().strip(),
            email=self.about.email.text().strip(),
            roles=roles,
            registrations=tuple(self.about.registrations.registrations()),
            followed_packs=self.packs.chosen(),
        )
        return [*organisations, profile]

    def accept(self) -> None:
        records = self.profile_records()
        try:
            self.logbook.records.create_many(records)
        except ValidationError as error:
            details = "\n".join(f"• {_friendly(p.field)}: {p.message}" for p in error.problems)
            QMessageBox.warning(self, "Please check your details", details or str(error))
            return
        except LogbookError as error:
            QMessageBox.warning(self, "Your details could not be saved", str(error))
            return
        self.saved = records
        super().accept()


def _value(widget: QWidget) -> Any:
    """What one row field holds, as JSON (dates as ISO text)."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QDateEdit):
        day = widget.date()
        return f"{day.year():04d}-{day.month():02d}-{day.day():02d}"
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return data if data is not None else widget.currentText()
    return None


def _from_json(key: str, value: Any) -> Any:
    """A row value from the draft, its dates back to dates.

    Raises:
        ValueError: a date that is not one (the draft is not this version's).
    """
    return date.fromisoformat(value) if key in ROW_DATES else value


def _friendly(field: str) -> str:
    head = field.split("[")[0].split(".")[0]
    return {
        "name": "Name",
        "email": "Email",
        "roles": "Roles",
        "registrations": "Registrations",
    }.get(head, head.replace("_", " ").capitalize())
