"""The SQLModel tables, matching the migrations in schema.py (a test compares them).

Stored instants are fixed-width UTC text and money is whole cents, so both sort and sum exactly
in SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field as Column
from sqlmodel import SQLModel

from migraine_diary.domain.dates import to_storage
from migraine_diary.domain.models import AttackInput, MedicationInput, SessionInput, session_values
from migraine_diary.storage.schema import IMPLICIT_CLIENT


class ClientRow(SQLModel, table=True):
    """Whose records these are: a client of a practice by name, or (name None, id
    IMPLICIT_CLIENT) the one unnamed client of a personal diary. `owner`: the PostgreSQL role
    that made it (None on SQLite). A name is unique among its owner's clients (on SQLite,
    in the diary)."""

    __tablename__ = "client"
    __table_args__ = (
        sa.Index("ix_client_owner_name", sa.text("COALESCE(owner, '')"), "name", unique=True),
    )

    id: int | None = Column(default=None, primary_key=True)
    name: str | None = None
    created_at: str | None = None
    owner: str | None = None


class Therapy(SQLModel, table=True):
    """A therapy's name as first spelled; `key` makes 'CST' and 'cst' one therapy."""

    __tablename__ = "therapy"

    id: int | None = Column(default=None, primary_key=True)
    name: str
    key: str = Column(unique=True)


class SessionRow(SQLModel, table=True):
    """A stored treatment session: UTC instant as fixed-width text, cost in whole cents."""

    __tablename__ = "session"

    id: int | None = Column(default=None, primary_key=True)
    therapy_id: int = Column(foreign_key="therapy.id")
    when: str
    minutes: int
    pain_before: int
    pain_after: int
    pain_later: int | None = None
    cost_cents: int = 0
    provider: str | None = None
    during_attack: bool = False
    notes: str | None = None
    client_id: int = Column(default=IMPLICIT_CLIENT, foreign_key="client.id")

    @classmethod
    def from_input(cls, session: SessionInput, therapy_id: int) -> SessionRow:
        return cls.model_validate(session_values(session, therapy_id))

    values_from_input = staticmethod(session_values)


class AttackRow(SQLModel, table=True):
    """A stored attack: UTC instants as fixed-width text; `end` NULL while ongoing.

    `import_key` (unique per client) identifies an imported attack, so a file imported twice
    for a client adds nothing, and the same file for another client gives them theirs.
    """

    __tablename__ = "attack"
    __table_args__ = (sa.UniqueConstraint("client_id", "import_key"),)

    id: int | None = Column(default=None, primary_key=True)
    start: str = Column(index=True)
    end: str | None = None
    peak: int
    aura: bool = False
    notes: str | None = None
    source: str = "typed"
    import_key: str | None = None
    client_id: int = Column(default=IMPLICIT_CLIENT, foreign_key="client.id")

    @classmethod
    def from_input(cls, attack: AttackInput) -> AttackRow:
        return cls.model_validate(
            {
                "start": to_storage(attack.start),
                "end": to_storage(attack.end) if attack.end is not None else None,
                "peak": attack.peak,
                "aura": attack.aura,
                "notes": attack.notes,
                "source": attack.source,
                "import_key": attack.import_key,
            }
        )


class MedicationRow(SQLModel, table=True):
    """An acute medication taken for an attack, by the name typed; its class is looked up
    when read, so a class the user sets later applies to every dose."""

    __tablename__ = "medication"

    id: int | None = Column(default=None, primary_key=True)
    attack_id: int = Column(foreign_key="attack.id", ondelete="CASCADE")
    name: str
    helpfulness: str | None = None
    taken_at: str | None = None

    @classmethod
    def from_input(cls, med: MedicationInput, attack_id: int) -> MedicationRow:
        return cls.model_validate(
            {
                "attack_id": attack_id,
                "name": med.name,
                "helpfulness": med.helpfulness,
                "taken_at": to_storage(med.taken_at) if med.taken_at is not None else None,
            }
        )


class MedicationClassRow(SQLModel, table=True):
    """A class the user set for a name the built-in table does not know (or gets wrong)."""

    __tablename__ = "medication_class"

    key: str = Column(primary_key=True)
    name: str
    med_class: str = Column(sa_column=sa.Column("class", sa.Text, nullable=False))


class CheckinRow(SQLModel, table=True):
    """A local day the user said was migraine-free ('YYYY-MM-DD')."""

    __tablename__ = "checkin"

    day: str = Column(primary_key=True)
    client_id: int = Column(default=IMPLICIT_CLIENT, foreign_key="client.id", primary_key=True)


class KeptRangeRow(SQLModel, table=True):
    """Local days (inclusive) the user declares completely recorded, e.g. a paper diary."""

    __tablename__ = "kept_range"
    __table_args__ = (sa.UniqueConstraint("client_id", "first", "last"),)

    id: int | None = Column(default=None, primary_key=True)
    first: str
    last: str
    client_id: int = Column(default=IMPLICIT_CLIENT, foreign_key="client.id")


class AdditionRow(SQLModel, table=True):
    """One record typed (a session, an attack or a check-in), in the order added: what
    `migraine undo` takes back. A deleted record takes its row with it."""

    __tablename__ = "addition"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["client_id", "checkin_day"], ["checkin.client_id", "checkin.day"], ondelete="CASCADE"
        ),
    )

    id: int | None = Column(default=None, primary_key=True)
    session_id: int | None = Column(default=None, foreign_key="session.id", ondelete="CASCADE")
    attack_id: int | None = Column(default=None, foreign_key="attack.id", ondelete="CASCADE")
    checkin_day: str | None = None  # with client_id, a check-in's key (ON DELETE CASCADE)
    client_id: int = Column(default=IMPLICIT_CLIENT, foreign_key="client.id")


class AttackDetailRow(SQLModel, table=True):
    """One trigger, symptom, pain position, most bothersome symptom or non-drug relief method
    of an attack, as written; `key` (case and spaces folded) is what filters and counts match,
    so 'Stress' and 'stress ' are one trigger. `helpfulness` only for a relief method."""

    __tablename__ = "attack_detail"
    __table_args__ = (sa.UniqueConstraint("attack_id", "kind", "key"),)

    id: int | None = Column(default=None, primary_key=True)
    attack_id: int = Column(foreign_key="attack.id", ondelete="CASCADE")
    kind: str
    value: str
    key: str
    helpfulness: str | None = None


class AttackOriginRow(SQLModel, table=True):
    """The UTC offsets (minutes east) an importing app recorded for an attack's start and end:
    with the stored UTC instants they give back its original local times."""

    __tablename__ = "attack_origin"

    attack_id: int = Column(primary_key=True, foreign_key="attack.id", ondelete="CASCADE")
    start_offset: int
    end_offset: int | None = None


class PlanRow(SQLModel, table=True):
    """A randomised plan as made (issue 15); `arms` is the JSON list of the arms as given,
    `abandoned` the instant it was ended early, with its `reason`."""

    __tablename__ = "plan"

    id: int | None = Column(default=None, primary_key=True)
    therapy_id: int = Column(foreign_key="therapy.id")
    other_therapy_id: int | None = Column(default=None, foreign_key="therapy.id")
    kind: str
    arms: str
    design: str
    seed: int
    algorithm: str
    n_blocks: int
    mid: float
    created: str
    start: str | None = None
    period_days: int | None = None
    washout_days: int | None = None
    power_blocks: int | None = None
    power_basis: str
    revealed: bool = False
    abandoned: str | None = None
    reason: str | None = None
    client_id: int = Column(default=IMPLICIT_CLIENT, foreign_key="client.id")


class PlanSlotRow(SQLModel, table=True):
    """One slot of a plan's sequence, drawn at creation; `session_id` once a session fills it."""

    __tablename__ = "plan_slot"

    plan_id: int = Column(foreign_key="plan.id", primary_key=True, ondelete="CASCADE")
    block: int = Column(primary_key=True)
    slot: int = Column(primary_key=True)
    arm: int
    session_id: int | None = Column(
        default=None, foreign_key="session.id", unique=True, ondelete="SET NULL"
    )


class PlanDeviationRow(SQLModel, table=True):
    """Something that did not go as planned, kept and listed (CENT)."""

    __tablename__ = "plan_deviation"

    id: int | None = Column(default=None, primary_key=True)
    plan_id: int = Column(foreign_key="plan.id", ondelete="CASCADE", index=True)
    at: str
    what: str
    block: int | None = None
    slot: int | None = None
    session_id: int | None = Column(default=None, foreign_key="session.id", ondelete="SET NULL")


class AcuteRatingRow(SQLModel, table=True):
    """Ratings of one acute dose or one session during an attack (exactly one of the two):
    the pain when taken and 2, 24 and 48 hours after, and whether the most bothersome
    symptom was gone at 2 hours."""

    __tablename__ = "acute_rating"

    id: int | None = Column(default=None, primary_key=True)
    medication_id: int | None = Column(
        default=None, foreign_key="medication.id", ondelete="CASCADE", unique=True
    )
    session_id: int | None = Column(
        default=None, foreign_key="session.id", ondelete="CASCADE", unique=True
    )
    at_dose: int | None = None
    pain_2h: int | None = None
    pain_24h: int | None = None
    pain_48h: int | None = None
    mbs_gone: bool | None = None


class AttackMbsRow(SQLModel, table=True):
    """The most bothersome symptom chosen for an attack: nausea, light, sound or other."""

    __tablename__ = "attack_mbs"

    attack_id: int = Column(primary_key=True, foreign_key="attack.id", ondelete="CASCADE")
    mbs: str


class ScoreRow(SQLModel, table=True):
    """A MIDAS, HIT-6 or PGIC total the user computed on the official form; a PGIC names the
    therapy (by key, and as spelled then) whose course it judges."""

    __tablename__ = "score"

    id: int | None = Column(default=None, primary_key=True)
    kind: str
    day: str
    total: int
    therapy_key: str | None = None
    therapy: str | None = None
    client_id: int = Column(default=IMPLICIT_CLIENT, foreign_key="client.id")


class ClientShareRow(SQLModel, table=True):
    """A client shared with another PostgreSQL role by `owner`, the role that shared it."""

    __tablename__ = "client_share"

    client_id: int = Column(primary_key=True, foreign_key="client.id", ondelete="CASCADE")
    role: str = Column(primary_key=True)
    owner: str | None = None


class AuditRow(SQLModel, table=True):
    """One write to a data table, as its trigger recorded it: ids only, never what was
    written. Append-only (a trigger refuses every change)."""

    __tablename__ = "audit"

    id: int | None = Column(default=None, primary_key=True)
    at: str
    role: str | None = None
    table_name: str
    record_id: int | None = None
    client_id: int | None = None
    action: str


def _whole_numbers_are_64_bit() -> None:
    """Every whole number the migrations make is 64-bit (INTEGER in SQLite, BIGINT on
    PostgreSQL: see postgres/ddl.py). SQLModel types an int as sa.Integer, which psycopg binds
    as ::INTEGER, 32 bits: an imported id above 2^31 was refused with "integer out of range"."""
    for table in SQLModel.metadata.tables.values():
        for column in table.columns:
            if type(column.type) is sa.Integer:
                column.type = sa.BigInteger()


_whole_numbers_are_64_bit()
