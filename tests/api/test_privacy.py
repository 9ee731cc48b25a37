"""Personal data pasted into a question or comment is masked before it is kept: in the feedback
table and in the server's log file (assistant/privacy.py)."""

from __future__ import annotations

import sqlite3

import pytest

from assistant.privacy import redact
from tests.api.conftest import Server

EMAIL = "jane.smith@example.co.uk"
PHONE = "07911 123456"
NINO = "AB 12 34 56 C"
POSTCODE = "LS1 4AP"
# Ofcom's ranges for drama: libphonenumber calls them invalid, yet they look like any number.
MOBILE = "07700 900123"
LANDLINE = "(01632) 960 001"


@pytest.mark.parametrize(
    ("text", "masked", "kinds"),
    [
        (f"write to {EMAIL} please", "write to [email] please", ("email",)),
        (f"call {PHONE} or +44 20 7946 0958", "call [phone] or [phone]", ("phone",)),
        (f"my NI number is {NINO}.", "my NI number is [ni_number].", ("ni_number",)),
        (
            f"Jane Smith, 2 Park Row, Leeds {POSTCODE}",
            "Jane Smith, 2 Park Row, Leeds [postcode]",
            ("postcode",),
        ),
        (f"{EMAIL} / {PHONE}", "[email] / [phone]", ("email", "phone")),
    ],
)
def test_personal_data_is_masked_by_kind(text: str, masked: str, kinds: tuple[str, ...]) -> None:
    found = redact(text)
    assert found.text == masked
    assert found.kinds == kinds


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700 900 123",
        "07700-900-123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "(01632) 960 001",
        "01632 960001",
        "01632960001",
        "+44 1632 960001",
        "020 7946 0018",
        "(020) 7946 0018",
        "+44 (0)20 7946 0018",
        "0161 496 0000",
        "0113 496 0000",
        "0800 123 4567",
        "03069 990000",
    ],
)
def test_uk_numbers_are_masked_however_they_are_spelt(number: str) -> None:
    found = redact(f"Please ring me on {number} after six.")
    assert found.text == "Please ring me on [phone] after six."
    assert found.kinds == ("phone",)


@pytest.mark.parametrize(
    "text",
    [
        "In an emergency ring 999; for the police otherwise 101, and NHS 111 for health.",
        "Calls to 999 rose by 12,345 between 2015 and 2019 (ref 20190312).",
        "Between 01/02/2015 and 31/03/2016 the hub took 1234567 calls.",
    ],
)
def test_service_numbers_counts_and_dates_are_not_masked(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "What did the Kent control room merger save between 2014 and 2017?",
        "How many of the 43 forces share estates with fire and rescue?",
        "Which projects in the South West started in 2019 or 2020?",
        "a@b is not an address, and 999 is not a number to mask",
        "",
    ],
)
def test_ordinary_questions_are_left_as_they_are(text: str) -> None:
    assert redact(text).text == text
    assert not redact(text).found


@pytest.mark.server
def test_pasted_contact_details_reach_neither_the_feedback_table_nor_the_log(
    api_server: Server,
) -> None:
    question = f"Who runs the Leeds hub? Reply to {EMAIL} or {PHONE}"
    comment = (
        f"Wrong answer. I am at {POSTCODE}, NI {NINO}, phone {PHONE}, mail {EMAIL}, "
        f"mobile {MOBILE}, office {LANDLINE}"
    )
    with api_server.client() as client:
        r = client.post(
            "/v1/feedback",
            json={
                "answer_id": "privacy-1",
                "rating": "down",
                "comment": comment,
                "question": question,
            },
        )
    assert r.status_code == 201, r.text
    assert r.json()["question"] == "Who runs the Leeds hub? Reply to [email] or [phone]"
    assert r.json()["comment"] == (
        "Wrong answer. I am at [postcode], NI [ni_number], phone [phone], mail [email], "
        "mobile [phone], office [phone]"
    )
    with sqlite3.connect(api_server.data_dir / "bluelight.sqlite3") as db:
        rows = db.execute(
            "SELECT question, comment FROM feedback WHERE answer_id = 'privacy-1'"
        ).fetchall()
    assert rows == [(r.json()["question"], r.json()["comment"])]
    log = api_server.log_text()
    for secret in (EMAIL, PHONE, NINO, POSTCODE, "07911", MOBILE, LANDLINE, "900123", "960 001"):
        assert secret not in log
    logged = [line for line in api_server.log_lines() if line.get("answer_id") == "privacy-1"]
    assert [line["comment"] for line in logged] == [r.json()["comment"]]
