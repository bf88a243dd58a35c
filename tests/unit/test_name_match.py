"""Finding homes and people from what someone typed, as chat does (core.name_match)."""

import pytest

from core.errors import NotFound
from core.name_match import edits, match_home, match_person

HOMES = ["Victoria Gardens", "Hawthorn House", "Orchard Grove", "Meadowburn", "Riverside Court"]
PEOPLE = [
    "Sarah MacKenzie",
    "Sarah Wilson",
    "Tom Baxter",
    "Emma Reid",
    "Emma Campbell",
    "Claire Docherty",
]


@pytest.mark.parametrize(
    "typed, home",
    [
        ("Victoria Gardens", "Victoria Gardens"),
        ("victoria gardens", "Victoria Gardens"),
        ("victoria", "Victoria Gardens"),
        ("hawthorn", "Hawthorn House"),
        ("hawthorne", "Hawthorn House"),
        ("meadowburm", "Meadowburn"),
        ("orchard", "Orchard Grove"),
        ("riverside", "Riverside Court"),
        ("Hawthorn Hosue", "Hawthorn House"),
        ("river", "Riverside Court"),
    ],
)
def test_homes_by_full_name_short_form_or_small_typo(typed, home):
    assert match_home(typed, HOMES) == home


def test_an_unknown_home_says_what_was_closest_and_lists_the_homes():
    with pytest.raises(NotFound) as raised:
        match_home("Meadowbank", HOMES)
    assert "Did you mean Meadowburn?" in str(raised.value)
    assert "Victoria Gardens, Hawthorn House" in str(raised.value)
    with pytest.raises(NotFound) as raised:
        match_home("Narnia", HOMES)
    assert "Did you mean" not in str(raised.value)


def test_a_generic_word_alone_is_not_a_home():
    with pytest.raises(NotFound):
        match_home("court", ["Riverside Court", "Oakwood Court"])


@pytest.mark.parametrize(
    "typed, person",
    [
        ("Tom Baxter", "Tom Baxter"),
        ("tom", "Tom Baxter"),
        ("Baxter", "Tom Baxter"),
        ("MacKenzie", "Sarah MacKenzie"),
        ("Sarah MacKenzi", "Sarah MacKenzie"),
        ("claire docherty", "Claire Docherty"),
    ],
)
def test_people_by_full_name_unique_first_name_or_surname_or_small_typo(typed, person):
    assert match_person(typed, PEOPLE) == person


def test_a_shared_first_name_names_who_shares_it():
    with pytest.raises(NotFound) as raised:
        match_person("Emma", PEOPLE)
    assert (
        str(raised.value)
        == "2 people are called 'Emma': Emma Campbell, Emma Reid. Give the full name."
    )


def test_nobody_close_enough_gets_a_suggestion_only_when_one_is_near():
    with pytest.raises(NotFound) as raised:
        match_person("Sarha Makenzee", PEOPLE)
    assert "Did you mean Sarah MacKenzie?" in str(raised.value)
    with pytest.raises(NotFound) as raised:
        match_person("Zebedee", PEOPLE)
    assert "Did you mean" not in str(raised.value)


def test_edit_distance():
    assert edits("hawthorne", "hawthorn") == 1
    assert edits("kitten", "sitting") == 3
    assert edits("", "abc") == 3


def test_the_cli_finds_homes_as_chat_does(demo_core) -> None:  # type: ignore[no-untyped-def]
    """``staffbot ot request --home hawthorne`` and the other commands use core.directory."""
    import pytest

    from core.directory import find_home
    from core.errors import NotFound

    with demo_core.uow() as uow:
        assert find_home(uow.session, "hawthorne").name == "Hawthorn House"
        assert find_home(uow.session, "victoria").name == "Victoria Gardens"
        with pytest.raises(NotFound, match="Victoria Gardens"):
            find_home(uow.session, "Narnia")
