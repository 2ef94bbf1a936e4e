"""Acute medication classes: a built-in table of generic and brand names.

Medication-overuse thresholds (ICHD-3) and the migraine-day definition depend on the
*class* of what was taken, not on the name a user types. The table here turns names
like ``sumatriptan 50mg`` or ``Maxalt MLT 10`` into a class. It matches whole words of
known names only: an unknown name is unclassified (``None``), never guessed, because a
wrong class would silently change migraine days and overuse warnings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

TRIPTAN = "triptan"
SIMPLE_ANALGESIC = "simple_analgesic"
COMBINATION_ANALGESIC = "combination_analgesic"
OPIOID = "opioid"
ERGOT = "ergot"
GEPANT = "gepant"
DITAN = "ditan"
OTHER = "other"

#: Every medication class, in the order reports list them.
CLASSES: tuple[str, ...] = (
    TRIPTAN,
    SIMPLE_ANALGESIC,
    COMBINATION_ANALGESIC,
    OPIOID,
    ERGOT,
    GEPANT,
    DITAN,
    OTHER,
)

#: How a medication with no known class is shown and counted.
UNCLASSIFIED = "unclassified"

#: Classes whose intake alone makes a migraine day (the clinical-trial definition).
MIGRAINE_SPECIFIC: frozenset[str] = frozenset({TRIPTAN, ERGOT, GEPANT, DITAN})

#: Human labels, for tables and messages.
CLASS_LABELS: Mapping[str, str] = {
    TRIPTAN: "triptan",
    SIMPLE_ANALGESIC: "simple analgesic",
    COMBINATION_ANALGESIC: "combination analgesic",
    OPIOID: "opioid",
    ERGOT: "ergot",
    GEPANT: "gepant",
    DITAN: "ditan",
    OTHER: "other",
    UNCLASSIFIED: "unclassified",
}

# Ingredient roles. Adjuvants (caffeine, butalbital, isometheptene) are not classes of
# their own but turn an analgesic into a combination analgesic (ICHD-3 8.2.5).
_ADJUVANT = "adjuvant"

_INGREDIENT_CLASS: Mapping[str, str] = {
    # triptans
    "sumatriptan": TRIPTAN,
    "rizatriptan": TRIPTAN,
    "zolmitriptan": TRIPTAN,
    "eletriptan": TRIPTAN,
    "naratriptan": TRIPTAN,
    "almotriptan": TRIPTAN,
    "frovatriptan": TRIPTAN,
    # simple analgesics and NSAIDs
    "ibuprofen": SIMPLE_ANALGESIC,
    "naproxen": SIMPLE_ANALGESIC,
    "aspirin": SIMPLE_ANALGESIC,
    "acetaminophen": SIMPLE_ANALGESIC,
    "diclofenac": SIMPLE_ANALGESIC,
    "ketoprofen": SIMPLE_ANALGESIC,
    "dexketoprofen": SIMPLE_ANALGESIC,
    "ketorolac": SIMPLE_ANALGESIC,
    "indomethacin": SIMPLE_ANALGESIC,
    "celecoxib": SIMPLE_ANALGESIC,
    "etoricoxib": SIMPLE_ANALGESIC,
    "meloxicam": SIMPLE_ANALGESIC,
    "mefenamic acid": SIMPLE_ANALGESIC,
    "tolfenamic acid": SIMPLE_ANALGESIC,
    "flurbiprofen": SIMPLE_ANALGESIC,
    "metamizole": SIMPLE_ANALGESIC,
    "phenazone": SIMPLE_ANALGESIC,
    "propyphenazone": SIMPLE_ANALGESIC,
    # opioids
    "codeine": OPIOID,
    "dihydrocodeine": OPIOID,
    "tramadol": OPIOID,
    "tapentadol": OPIOID,
    "oxycodone": OPIOID,
    "hydrocodone": OPIOID,
    "hydromorphone": OPIOID,
    "oxymorphone": OPIOID,
    "morphine": OPIOID,
    "fentanyl": OPIOID,
    "butorphanol": OPIOID,
    "meperidine": OPIOID,
    "buprenorphine": OPIOID,
    "methadone": OPIOID,
    # ergots
    "ergotamine": ERGOT,
    "dihydroergotamine": ERGOT,
    # gepants and ditans
    "ubrogepant": GEPANT,
    "rimegepant": GEPANT,
    "zavegepant": GEPANT,
    "atogepant": GEPANT,
    "lasmiditan": DITAN,
    # other acute treatments: oxygen, antiemetics, steroids, antihistamines
    "oxygen": OTHER,
    "metoclopramide": OTHER,
    "prochlorperazine": OTHER,
    "chlorpromazine": OTHER,
    "promethazine": OTHER,
    "domperidone": OTHER,
    "ondansetron": OTHER,
    "granisetron": OTHER,
    "droperidol": OTHER,
    "haloperidol": OTHER,
    "cyclizine": OTHER,
    "buclizine": OTHER,
    "dimenhydrinate": OTHER,
    "diphenhydramine": OTHER,
    "dichloralphenazone": OTHER,
    "dexamethasone": OTHER,
    "prednisone": OTHER,
    "prednisolone": OTHER,
    "lidocaine": OTHER,
    "magnesium": OTHER,
    # adjuvants
    "caffeine": _ADJUVANT,
    "butalbital": _ADJUVANT,
    "isometheptene": _ADJUVANT,
}

# Other names (spelling variants, abbreviations, brands) -> their ingredients.
# Multi-word and hyphenated names are matched as whole word sequences.
_ALIASES: Mapping[str, tuple[str, ...]] = {
    # spelling variants and abbreviations
    "paracetamol": ("acetaminophen",),
    "apap": ("acetaminophen",),
    "acetylsalicylic acid": ("aspirin",),
    "asa": ("aspirin",),
    "dipyrone": ("metamizole",),
    "pethidine": ("meperidine",),
    "indometacin": ("indomethacin",),
    "dhe": ("dihydroergotamine",),
    "d.h.e.": ("dihydroergotamine",),
    # triptan brands
    "imitrex": ("sumatriptan",),
    "imigran": ("sumatriptan",),
    "tosymra": ("sumatriptan",),
    "onzetra": ("sumatriptan",),
    "zembrace": ("sumatriptan",),
    "treximet": ("sumatriptan", "naproxen"),
    "suvexx": ("sumatriptan", "naproxen"),
    "maxalt": ("rizatriptan",),
    "rizalt": ("rizatriptan",),
    "zomig": ("zolmitriptan",),
    "zomigon": ("zolmitriptan",),
    "ascotop": ("zolmitriptan",),
    "relpax": ("eletriptan",),
    "amerge": ("naratriptan",),
    "naramig": ("naratriptan",),
    "axert": ("almotriptan",),
    "almogran": ("almotriptan",),
    "frova": ("frovatriptan",),
    "migard": ("frovatriptan",),
    # simple analgesic brands
    "advil": ("ibuprofen",),
    "motrin": ("ibuprofen",),
    "nurofen": ("ibuprofen",),
    "brufen": ("ibuprofen",),
    "aleve": ("naproxen",),
    "naprosyn": ("naproxen",),
    "anaprox": ("naproxen",),
    "ecotrin": ("aspirin",),
    "disprin": ("aspirin",),
    "aspro": ("aspirin",),
    "tylenol": ("acetaminophen",),
    "panadol": ("acetaminophen",),
    "calpol": ("acetaminophen",),
    "doliprane": ("acetaminophen",),
    "dafalgan": ("acetaminophen",),
    "efferalgan": ("acetaminophen",),
    "cambia": ("diclofenac",),
    "voltaren": ("diclofenac",),
    "voltarol": ("diclofenac",),
    "cataflam": ("diclofenac",),
    "zipsor": ("diclofenac",),
    "toradol": ("ketorolac",),
    "sprix": ("ketorolac",),
    "indocin": ("indomethacin",),
    "elyxyb": ("celecoxib",),
    "celebrex": ("celecoxib",),
    "clotam": ("tolfenamic acid",),
    "novalgin": ("metamizole",),
    # combination analgesics
    "excedrin": ("aspirin", "acetaminophen", "caffeine"),
    "excedrin tension headache": ("acetaminophen", "caffeine"),
    "excedrin pm": ("acetaminophen", "diphenhydramine"),
    "anadin": ("aspirin", "caffeine"),
    "advil dual action": ("ibuprofen", "acetaminophen"),
    "nuromol": ("ibuprofen", "acetaminophen"),
    "anadin extra": ("aspirin", "acetaminophen", "caffeine"),
    "panadol extra": ("acetaminophen", "caffeine"),
    "thomapyrin": ("aspirin", "acetaminophen", "caffeine"),
    "goody's": ("aspirin", "acetaminophen", "caffeine"),
    "bc powder": ("aspirin", "caffeine"),
    "fioricet": ("butalbital", "acetaminophen", "caffeine"),
    "fiorinal": ("butalbital", "aspirin", "caffeine"),
    "esgic": ("butalbital", "acetaminophen", "caffeine"),
    "midrin": ("isometheptene", "acetaminophen", "dichloralphenazone"),
    "co-codamol": ("codeine", "acetaminophen"),
    "co-dydramol": ("dihydrocodeine", "acetaminophen"),
    "co-codaprin": ("codeine", "aspirin"),
    "tylenol 3": ("acetaminophen", "codeine"),
    "tylenol 4": ("acetaminophen", "codeine"),
    "tylenol with codeine": ("acetaminophen", "codeine"),
    "solpadeine": ("acetaminophen", "codeine", "caffeine"),
    "nurofen plus": ("ibuprofen", "codeine"),
    "migraleve": ("acetaminophen", "codeine", "buclizine"),
    "percocet": ("oxycodone", "acetaminophen"),
    "vicodin": ("hydrocodone", "acetaminophen"),
    "norco": ("hydrocodone", "acetaminophen"),
    "ultracet": ("tramadol", "acetaminophen"),
    "migramax": ("aspirin", "metoclopramide"),
    "paramax": ("acetaminophen", "metoclopramide"),
    # opioid brands
    "ultram": ("tramadol",),
    "oxycontin": ("oxycodone",),
    "roxicodone": ("oxycodone",),
    "dilaudid": ("hydromorphone",),
    "demerol": ("meperidine",),
    "stadol": ("butorphanol",),
    # ergots
    "migranal": ("dihydroergotamine",),
    "trudhesa": ("dihydroergotamine",),
    "d.h.e. 45": ("dihydroergotamine",),
    "cafergot": ("ergotamine", "caffeine"),
    "migergot": ("ergotamine", "caffeine"),
    "ergomar": ("ergotamine",),
    # gepants and ditans
    "ubrelvy": ("ubrogepant",),
    "nurtec": ("rimegepant",),
    "vydura": ("rimegepant",),
    "zavzpret": ("zavegepant",),
    "qulipta": ("atogepant",),
    "aquipta": ("atogepant",),
    "reyvow": ("lasmiditan",),
    # other
    "reglan": ("metoclopramide",),
    "maxolon": ("metoclopramide",),
    "compazine": ("prochlorperazine",),
    "stemetil": ("prochlorperazine",),
    "buccastem": ("prochlorperazine",),
    "motilium": ("domperidone",),
    "zofran": ("ondansetron",),
    "phenergan": ("promethazine",),
    "benadryl": ("diphenhydramine",),
    "dramamine": ("dimenhydrinate",),
    "o2": ("oxygen",),
}

_DOSE = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)?\s*"
    r"(?:mg|mcg|µg|μg|ug|g|ml|%|iu|units?|tabs?|tablets?|x)(?![\w])",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    """Casefold and drop accents, so ``Paracétamol`` and ``PARACETAMOL`` match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _tokens(text: str) -> tuple[str, ...]:
    """Split into letter runs and digit runs: ``Sumatriptan50mg`` -> sumatriptan, 50, mg."""
    return tuple(_TOKEN.findall(_fold(text)))


def _build_lookup() -> dict[tuple[str, ...], tuple[str, ...]]:
    lookup: dict[tuple[str, ...], tuple[str, ...]] = {}
    for ingredient in _INGREDIENT_CLASS:
        lookup[_tokens(ingredient)] = (ingredient,)
    for alias, ingredients in _ALIASES.items():
        lookup[_tokens(alias)] = ingredients
    return lookup


_LOOKUP = _build_lookup()
_MAX_WORDS = max(len(key) for key in _LOOKUP)


def normalise_key(name: str) -> str:
    """The key under which a user-set class is stored for ``name``.

    Casefolded, whitespace collapsed and amounts with a unit (``50mg``, ``400 mg``)
    removed, so ``Fioricet 50 mg`` and ``fioricet`` share one user class.
    """
    folded = _SPACES.sub(" ", _DOSE.sub(" ", name.casefold())).strip(" ,;")
    return folded or _SPACES.sub(" ", name.casefold()).strip()


def ingredients(name: str) -> tuple[str, ...]:
    """Known ingredients named in ``name``, matched as whole words, in order of appearance.

    Longer names win (``Nurofen Plus`` before ``Nurofen``), and an ingredient is listed
    once even when named twice (``Advil (ibuprofen)``).
    """
    words = _tokens(name)
    found: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            match = _LOOKUP.get(words[i : i + size])
            if match is not None:
                found.extend(x for x in match if x not in found)
                i += size
                break
        else:
            i += 1
    return tuple(found)


def _class_of_ingredients(found: tuple[str, ...]) -> str | None:
    classes = [_INGREDIENT_CLASS[x] for x in found]
    # A migraine-specific ingredient decides: Treximet is a triptan, Cafergot an ergot.
    for specific in (TRIPTAN, ERGOT, GEPANT, DITAN):
        if specific in classes:
            return specific
    analgesics = [c for c in classes if c in (SIMPLE_ANALGESIC, OPIOID)]
    if len(analgesics) >= 2 or (analgesics and _ADJUVANT in classes):
        return COMBINATION_ANALGESIC
    if analgesics:
        return analgesics[0]
    if OTHER in classes:
        return OTHER
    return None


def classify(name: str, user_classes: Mapping[str, str] | None = None) -> str | None:
    """The class of a medication name, or ``None`` when it is not known.

    ``user_classes`` maps :func:`normalise_key` names to classes the user set; a
    whole-name match there wins over the built-in table. Otherwise the name's known
    ingredients decide: a migraine-specific ingredient gives its class, two or more
    analgesics (or an analgesic with caffeine, butalbital or isometheptene) make a
    combination analgesic, and a name with no known ingredient stays unclassified.
    """
    if user_classes:
        key = normalise_key(name)
        for user_name, med_class in user_classes.items():
            if normalise_key(user_name) == key:
                return parse_class(med_class)
    return _class_of_ingredients(ingredients(name))


def parse_class(text: str) -> str:
    """A class constant from user input (``triptan``, ``simple analgesic``, ``Simple-Analgesic``).

    Raises ``ValueError`` naming the allowed values, for a one-line CLI error.
    """
    key = _SPACES.sub("_", text.strip().casefold().replace("-", " "))
    if key in CLASSES:
        return key
    allowed = ", ".join(CLASSES)
    raise ValueError(f"medication class must be one of {allowed} (got {text!r})")


def class_label(med_class: str | None) -> str:
    """A human label for a class; ``None`` reads as unclassified."""
    if med_class is None:
        return CLASS_LABELS[UNCLASSIFIED]
    return CLASS_LABELS.get(med_class, med_class)


def builtin_names() -> dict[str, str]:
    """Every name the built-in table classifies, with its class (for listings and docs).

    Adjuvants alone (caffeine, butalbital) are left out: on their own they stay unclassified.
    """
    table: dict[str, str] = {}
    for name in sorted([*_INGREDIENT_CLASS, *_ALIASES]):
        med_class = classify(name)
        if med_class is not None:
            table[name] = med_class
    return table


class Classes:
    """Medication names to classes: the user's own classes first, then the built-in table.

    Cached per name: a diary repeats the same few names thousands of times.
    """

    def __init__(self, user: dict[str, str]) -> None:
        self.user = user
        self._cache: dict[str, str | None] = {}

    def of(self, name: str) -> str | None:
        if name not in self._cache:
            key = normalise_key(name)
            found = self.user.get(key)
            self._cache[name] = found if found else classify(name)
        return self._cache[name]


@dataclass(frozen=True)
class NameClass:
    """A medication name in the diary, its class and where the class comes from."""

    name: str
    med_class: str | None
    origin: str  # "yours", "built-in" or "unclassified"
    doses: int = 0
