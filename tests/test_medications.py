"""The medication class table: names as people type them, user classes, no guessing."""

from __future__ import annotations

import pytest

from migraine_diary.domain.medications import (
    CLASS_LABELS,
    CLASSES,
    COMBINATION_ANALGESIC,
    DITAN,
    ERGOT,
    GEPANT,
    MIGRAINE_SPECIFIC,
    OPIOID,
    OTHER,
    SIMPLE_ANALGESIC,
    TRIPTAN,
    builtin_names,
    class_label,
    classify,
    ingredients,
    normalise_key,
    parse_class,
)


def test_class_constants_are_the_contract() -> None:
    assert CLASSES == (
        "triptan",
        "simple_analgesic",
        "combination_analgesic",
        "opioid",
        "ergot",
        "gepant",
        "ditan",
        "other",
    )
    assert frozenset({"triptan", "ergot", "gepant", "ditan"}) == MIGRAINE_SPECIFIC
    assert all(CLASS_LABELS[c] for c in CLASSES)
    assert CLASS_LABELS[SIMPLE_ANALGESIC] == "simple analgesic"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # triptans, generic and brand
        ("sumatriptan", TRIPTAN),
        ("rizatriptan", TRIPTAN),
        ("zolmitriptan", TRIPTAN),
        ("eletriptan", TRIPTAN),
        ("naratriptan", TRIPTAN),
        ("almotriptan", TRIPTAN),
        ("frovatriptan", TRIPTAN),
        ("Imitrex", TRIPTAN),
        ("Maxalt", TRIPTAN),
        ("Zomig", TRIPTAN),
        ("Relpax", TRIPTAN),
        ("Amerge", TRIPTAN),
        ("Axert", TRIPTAN),
        ("Frova", TRIPTAN),
        ("Treximet", TRIPTAN),
        # simple analgesics
        ("ibuprofen", SIMPLE_ANALGESIC),
        ("naproxen", SIMPLE_ANALGESIC),
        ("aspirin", SIMPLE_ANALGESIC),
        ("paracetamol", SIMPLE_ANALGESIC),
        ("acetaminophen", SIMPLE_ANALGESIC),
        ("diclofenac", SIMPLE_ANALGESIC),
        ("Advil", SIMPLE_ANALGESIC),
        ("Motrin", SIMPLE_ANALGESIC),
        ("Aleve", SIMPLE_ANALGESIC),
        ("Tylenol", SIMPLE_ANALGESIC),
        ("Panadol", SIMPLE_ANALGESIC),
        ("Cambia", SIMPLE_ANALGESIC),
        # combination analgesics
        ("Excedrin", COMBINATION_ANALGESIC),
        ("Excedrin Migraine", COMBINATION_ANALGESIC),
        ("Fioricet", COMBINATION_ANALGESIC),
        # opioids
        ("codeine", OPIOID),
        ("tramadol", OPIOID),
        ("oxycodone", OPIOID),
        ("hydrocodone", OPIOID),
        ("morphine", OPIOID),
        # ergots
        ("ergotamine", ERGOT),
        ("dihydroergotamine", ERGOT),
        ("DHE", ERGOT),
        ("D.H.E. 45", ERGOT),
        ("Migranal", ERGOT),
        ("Cafergot", ERGOT),
        # gepants and ditans
        ("ubrogepant", GEPANT),
        ("rimegepant", GEPANT),
        ("zavegepant", GEPANT),
        ("Ubrelvy", GEPANT),
        ("Nurtec", GEPANT),
        ("Zavzpret", GEPANT),
        ("lasmiditan", DITAN),
        ("Reyvow", DITAN),
        # other
        ("oxygen", OTHER),
        ("metoclopramide", OTHER),
        ("prochlorperazine", OTHER),
        ("domperidone", OTHER),
        ("ondansetron", OTHER),
    ],
)
def test_builtin_table(name: str, expected: str) -> None:
    assert classify(name) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sumatriptan 50mg", TRIPTAN),
        ("SUMATRIPTAN 50 MG", TRIPTAN),
        ("Sumatriptan50mg", TRIPTAN),
        ("Ibuprofen 400 mg", SIMPLE_ANALGESIC),
        ("Maxalt MLT 10", TRIPTAN),
        ("Zomig nasal spray 2.5mg", TRIPTAN),
        ("Nurtec ODT 75mg", GEPANT),
        ("Paracétamol 1g", SIMPLE_ANALGESIC),
        ("Tylenol 325mg", SIMPLE_ANALGESIC),
        ("Advil (ibuprofen) 200mg", SIMPLE_ANALGESIC),
    ],
)
def test_case_doses_and_units_are_ignored(typed: str, expected: str) -> None:
    assert classify(typed) == expected


@pytest.mark.parametrize(
    "name",
    [
        "aspirin + paracetamol + caffeine",
        "ibuprofen/paracetamol",
        "paracetamol and codeine",
        "ibuprofen with caffeine",
        "co-codamol 30/500",
        "Tylenol 3",
        "Nurofen Plus",
    ],
)
def test_two_analgesics_or_analgesic_with_caffeine_is_a_combination(name: str) -> None:
    assert classify(name) == COMBINATION_ANALGESIC


@pytest.mark.parametrize(
    "name", ["sumatriptan + naproxen", "sumatriptan/naproxen 85/500", "rizatriptan and ibuprofen"]
)
def test_a_triptan_with_an_analgesic_counts_as_triptan(name: str) -> None:
    assert classify(name) == TRIPTAN


def test_the_same_ingredient_twice_is_not_a_combination() -> None:
    assert ingredients("Advil (ibuprofen)") == ("ibuprofen",)
    assert classify("Tylenol / paracetamol") == SIMPLE_ANALGESIC


@pytest.mark.parametrize(
    "name",
    [
        "frobnicate",
        "sumatriptn",  # a typo is not silently taken as a triptan
        "sumatriptanx",
        "ibu",
        "caffeine",  # an adjuvant alone is not an analgesic
        "",
        "50 mg",
    ],
)
def test_unknown_names_are_unclassified_not_guessed(name: str) -> None:
    assert classify(name) is None


def test_user_classes_override_the_table_by_whole_name() -> None:
    users = {"fioricet": OTHER, "my headache powder": SIMPLE_ANALGESIC}
    assert classify("Fioricet", users) == OTHER
    assert classify("FIORICET 50 mg", users) == OTHER
    assert classify("My Headache  Powder", users) == SIMPLE_ANALGESIC
    # whole-name match only: a longer name does not pick up the user class
    assert classify("my headache powder extra", users) is None
    # names the user did not set still come from the table
    assert classify("Excedrin", users) == COMBINATION_ANALGESIC


def test_user_class_keys_are_normalised() -> None:
    assert classify("widget", {"  WIDGET ": "gepant"}) == GEPANT


def test_invalid_user_class_is_an_error_naming_the_allowed_values() -> None:
    with pytest.raises(ValueError, match="must be one of triptan"):
        classify("widget", {"widget": "painkiller"})


def test_normalise_key() -> None:
    assert normalise_key("  Sumatriptan   50 MG ") == "sumatriptan"
    assert normalise_key("Ibuprofen 400mg") == "ibuprofen"
    assert normalise_key("5-HTP 100mg") == "5-htp"
    assert normalise_key("400mg") == "400mg"
    assert normalise_key("Maxalt MLT") == "maxalt mlt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("triptan", TRIPTAN),
        ("Simple analgesic", SIMPLE_ANALGESIC),
        ("simple-analgesic", SIMPLE_ANALGESIC),
        ("combination_analgesic", COMBINATION_ANALGESIC),
        (" OTHER ", OTHER),
    ],
)
def test_parse_class(text: str, expected: str) -> None:
    assert parse_class(text) == expected


def test_parse_class_rejects_unknown() -> None:
    with pytest.raises(ValueError, match=r"got 'nsaid'"):
        parse_class("nsaid")


def test_class_label() -> None:
    assert class_label(None) == "unclassified"
    assert class_label(COMBINATION_ANALGESIC) == "combination analgesic"


def test_builtin_names_lists_classified_names_only() -> None:
    table = builtin_names()
    assert table["sumatriptan"] == TRIPTAN
    assert table["excedrin"] == COMBINATION_ANALGESIC
    assert "caffeine" not in table
    assert set(table.values()) == set(CLASSES)
