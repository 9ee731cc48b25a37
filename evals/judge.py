"""Model-judged measures, off by default: a chat model rates faithfulness and answer relevance.

Faithfulness: for each answer sentence that carries a citation, does the cited quote support it
(yes/no)? Relevance: how well does the answer address the question (1-5)? Both are opinions of a
model, not measurements, and the report labels them so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.errors import ModelUnavailable
from assistant.settings import Settings
from assistant.types import Answer
from evals.runner import Outcome

SUPPORT_PROMPT = """You check whether evidence supports a statement.
Evidence: {evidence}
Statement: {statement}
Does the evidence support the statement? Reply with one word: yes or no."""

RELEVANCE_PROMPT = """Rate how well the answer addresses the question, from 1 (not at all) \
to 5 (fully and directly). Reply with the number only.
Question: {question}
Answer: {answer}"""

# Text followed by one or more citation markers: one cited statement.
_CITED = re.compile(r"(?P<text>[^\[\]]+?)(?P<markers>(?:\s?\[\d+\])+)")
_MARKER = re.compile(r"\[(\d+)\]")
_SCORE = re.compile(r"[1-5]")


def cited_statements(answer: Answer) -> list[tuple[str, str]]:
    """(statement, the quotes it cites joined) for each cited statement of the answer."""
    quotes = {c.marker: c.quote for c in answer.citations}
    out: list[tuple[str, str]] = []
    for match in _CITED.finditer(answer.answer):
        statement = match.group("text").strip(" |-*\n")
        markers = [int(m) for m in _MARKER.findall(match.group("markers"))]
        cited = [quotes[m] for m in markers if m in quotes]
        if statement and cited:
            out.append((statement, " ".join(cited)))
    return out


def parse_yes_no(reply: str) -> bool | None:
    word = reply.strip().split(maxsplit=1)[0].strip(".,!:;\"'").lower() if reply.strip() else ""
    return True if word == "yes" else False if word == "no" else None


def parse_score(reply: str) -> int | None:
    match = _SCORE.search(reply)
    return int(match.group(0)) if match else None


class Judge:
    """Asks the configured OpenAI-compatible chat model, as the llm composer does."""

    def __init__(self, settings: Settings) -> None:
        if not settings.llm_base_url:
            raise ModelUnavailable(
                "--judge needs a chat model; set BLUELIGHT_LLM_BASE_URL to an OpenAI-compatible "
                "endpoint"
            )
        from assistant.compose.llm import chat_model

        self.model_name = settings.llm_model
        # A verdict is one number: eight tokens are plenty.
        self.model = chat_model(settings, max_tokens=8, timeout_s=settings.llm_timeout_s)
        self.failures = 0

    def ask(self, prompt: str) -> str | None:
        try:
            reply = self.model.invoke(prompt)
        except Exception:  # any client or server failure: this judgement is simply missing
            self.failures += 1
            return None
        return str(reply.content)

    def judge(self, outcome: Outcome) -> dict[str, Any]:
        answer = outcome.answer
        verdicts = []
        for statement, evidence in cited_statements(answer):
            reply = self.ask(SUPPORT_PROMPT.format(evidence=evidence, statement=statement))
            verdicts.append(None if reply is None else parse_yes_no(reply))
        judged = [v for v in verdicts if v is not None]
        reply = self.ask(
            RELEVANCE_PROMPT.format(question=outcome.question.question, answer=answer.answer)
        )
        return {
            "statements": len(verdicts),
            "judged": len(judged),
            "supported": sum(judged),
            "faithfulness": sum(judged) / len(judged) if judged else None,
            "relevance": None if reply is None else parse_score(reply),
        }


def judge_outcomes(outcomes: Sequence[Outcome], settings: Settings) -> dict[str, Any]:
    """Model-judged faithfulness and relevance over the answered in-scope questions."""
    judge = Judge(settings)
    per_question = {
        o.question.id: judge.judge(o)
        for o in outcomes
        if o.question.in_scope and not o.answer.declined and not o.error
    }
    judged = sum(r["judged"] for r in per_question.values())
    supported = sum(r["supported"] for r in per_question.values())
    ratings = [r["relevance"] for r in per_question.values() if r["relevance"] is not None]
    return {
        "label": "model-judged",
        "model": judge.model_name,
        "faithfulness": supported / judged if judged else None,
        "relevance": sum(ratings) / len(ratings) if ratings else None,
        "statements_judged": judged,
        "answers_rated": len(ratings),
        "failed_calls": judge.failures,
        "questions": per_question,
    }
