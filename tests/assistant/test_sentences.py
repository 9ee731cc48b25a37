"""Splitting chunks into quotable units: prose, lists, table rows, fields, headings."""

from __future__ import annotations

from assistant.retrieval.sentences import split_sentences, units_of


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = "Prof. J. Smith spoke, e.g. on estates. The U.K. review followed."
    assert split_sentences(text) == [
        "Prof. J. Smith spoke, e.g. on estates.",
        "The U.K. review followed.",
    ]


def test_a_line_that_announces_a_list_quotes_every_item() -> None:
    units = units_of("The review named three areas:\n- estates\n- control rooms\n- training")
    assert [u.kind for u in units] == ["list"]
    assert units[0].display() == "The review named three areas: estates; control rooms; training."


def test_table_rows_are_read_under_their_header_and_the_header_says_nothing() -> None:
    units = units_of(
        "Barrier | Explanation\nFunding streams | Different budgets\nLegislation | Law"
    )
    assert [u.kind for u in units] == ["header", "row", "row"]
    assert units[1].display() == "Funding streams (Barrier) — Explanation: Different budgets"
    assert not units[0].content and units[1].content


def test_a_header_repeated_on_a_new_page_is_not_a_row() -> None:
    units = units_of(
        "Arrangement | Area | Record\nJoint control | South East | P082\n"
        "Arrangement | Area Record | \nShared hub | Wales | P090"
    )
    assert [u.kind for u in units] == ["header", "row", "header", "row"]
    assert [u.display() for u in units if u.content] == [
        "Joint control (Arrangement) — Area: South East; Record: P082",
        "Shared hub (Arrangement) — Area: Wales; Record: P090",
    ]


def test_a_record_field_line_names_each_of_its_labels() -> None:
    assert units_of("Theme: co responding. Region: South West.")[0].labels == ("Theme", "Region")
    assert units_of("Lead: Gloucestershire Fire and Rescue Service.")[0].labels == ("Lead",)
    assert units_of("Staff moved into a refurbished hub in 2019.")[0].labels == ()


def test_headings_links_labels_and_flattened_tables_are_not_content() -> None:
    text = "\n".join(
        [
            "3. Membership and secretariat",
            "See https://example.org/report for the full text.",
            "The group set out its aims as follows:",
            " ".join(["Station", "Area", "Services"] * 20),
            "The group met four times in its first year.",
        ]
    )
    kinds = [u.kind for u in units_of(text)]
    assert kinds == ["heading", "link", "label", "fragment", "sentence"]


def test_a_short_lead_in_joins_the_sentence_it_introduces() -> None:
    units = units_of("– Wolverhampton. The council commissioned the fire service to run telecare.")
    assert len(units) == 1 and units[0].text.startswith("– Wolverhampton. The council")


def test_record_fields_are_fields_and_every_unit_quotes_its_chunk_exactly() -> None:
    text = (
        "Project P060: Ambulance hub.\nLead: West Midlands Ambulance Service.\n"
        "Staff moved into a refurbished hub in 2019."
    )
    units = units_of(text)
    assert [u.kind for u in units] == ["field", "field", "sentence"]
    assert all(u.text in text for u in units)
