"""Medication classes in the diary: what class a name has and where it comes from, and the
user's own classes (`migraine medclass`)."""

from __future__ import annotations

from migraine_diary import storage as db
from migraine_diary.domain import medications
from migraine_diary.domain.medications import Classes, NameClass
from migraine_diary.domain.models import RULES, is_name
from migraine_diary.errors import field_error


def classes(diary: db.Diary | None) -> Classes:
    """The diary's names to classes: the user's own first, then the built-in table."""
    if diary is None:
        return Classes({})
    with diary.connect() as conn:
        return Classes(db.user_classes(conn))


def describe_name(diary: db.Diary | None, name: str) -> NameClass:
    user = {}
    if diary is not None:
        with diary.connect() as conn:
            user = db.user_classes(conn)
    key = medications.normalise_key(name)
    if key in user:
        return NameClass(name, user[key], "yours")
    builtin = medications.classify(name)
    return NameClass(name, builtin, "built-in" if builtin else "unclassified")


def check_class(name: str, med_class: str) -> tuple[str, str]:
    """A name and class as typed for `medclass`, checked before the diary is touched."""
    clean = " ".join(name.split())
    if not clean or len(clean) > 100 or not is_name(name.strip()):
        raise field_error("NAME", RULES["med"], name, private=True)
    try:
        return clean, medications.parse_class(med_class)
    except ValueError:
        raise field_error("CLASS", RULES["medication_class"], med_class) from None


def set_class(diary: db.Diary, name: str, med_class: str) -> NameClass:
    """Set the class of a name (and of the same name with another dose or case); returns it
    with the number of doses in the diary it now applies to."""
    key = medications.normalise_key(name)
    with diary.transaction() as conn:
        db.set_user_class(conn, key, name, med_class)
        doses = sum(
            n
            for stored, n, _ in db.medication_names(conn)
            if medications.normalise_key(stored) == key
        )
    return NameClass(name, med_class, "yours", doses)


def name_classes(diary: db.Diary | None) -> list[NameClass]:
    """Every medication name in the diary with its class, most used first."""
    if diary is None:
        return []
    with diary.connect() as conn:
        known = Classes(db.user_classes(conn))
        names = db.medication_names(conn)
    result = []
    for name, doses, _attacks in names:
        key = medications.normalise_key(name)
        med_class = known.of(name)
        origin = "yours" if key in known.user else "built-in" if med_class else "unclassified"
        result.append(NameClass(name, med_class, origin, doses))
    return result
