"""Feedback on answers: anyone who can read may rate an answer; listing it needs the key.

Questions and comments are kept, and logged, with personal data masked (assistant/privacy.py):
people paste their e-mail address or phone number into a comment, and neither is needed here.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import RecordsDep, WriteKey
from api.errors import responses
from api.schemas import FeedbackIn, FeedbackList, FeedbackOut
from assistant.privacy import redact_optional

router = APIRouter(tags=["feedback"])
LOG = logging.getLogger("bluelight.feedback")


@router.post(
    "/v1/feedback",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackOut,
    responses=responses(400, 422),
)
def add_feedback(body: FeedbackIn, records: RecordsDep) -> FeedbackOut:
    """Rate an answer (by the `id` of the Answer) up or down, with an optional comment.

    E-mail addresses, phone numbers, NI numbers and postcodes in the comment and question are
    stored masked, as [email], [phone], [ni_number] and [postcode]."""
    comment, question = redact_optional(body.comment), redact_optional(body.question)
    row = records.add_feedback(body.answer_id, body.rating, comment, question)
    # A thumbs-down with its question is what an operator looks for to find gaps in the evidence.
    LOG.info(
        "feedback",
        extra={
            "fields": {
                "answer_id": body.answer_id,
                "rating": body.rating,
                "question": question,
                "comment": comment,
            }
        },
    )
    return FeedbackOut.model_validate(row)


@router.get(
    "/v1/feedback",
    response_model=FeedbackList,
    dependencies=[WriteKey],
    responses=responses(401, 403, 422),
)
def list_feedback(
    records: RecordsDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> FeedbackList:
    """Feedback, newest first (for an admin; needs the API key)."""
    rows, total = records.list_feedback(limit, offset)
    return FeedbackList(feedback=[FeedbackOut.model_validate(r) for r in rows], total=total)
