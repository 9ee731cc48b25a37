"""Questions from project records: one field, two fields, a field the record lacks (partial),
lists over several records and comparisons of two."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from evals.generate.evidence import Evidence, Record
from evals.generate.phrase import title_phrase

# Nouns that already say "a project" at the end of a title: "the Tri-Service Centre".
PROJECT_HEADS = frozenset({
    "project", "projects", "scheme", "schemes", "pilot", "pilots", "programme", "programmes",
    "partnership", "service", "services", "centre", "centres", "hub", "hubs", "academy", "unit",
    "units", "team", "teams", "collaboration", "alliance", "initiative", "network", "trial",
    "trials", "board", "station", "stations", "merger", "review", "model", "response", "control",
    "headquarters", "officers", "officer", "responders", "vehicles", "base", "bases", "agreement",
})  # fmt: skip
_MONEY = re.compile(r"£\s?\d(?:[\d,.]*\d)?(?:\s?(?:million|billion|m|bn|k)\b)?")
_PERCENT = re.compile(r"\d+(?:\.\d+)?(?:%| per cent)")
_COUNT = re.compile(
    r"(?<![£\d.,])\d{1,3}(?:,\d{3})+(?![\d])|(?<![£\d.,/])\d+(?: (?:million|thousand))?(?= [a-z])"
)
# Figures a question may ask for that a record may not give, with the words that would give
# them: a cost is given by a sum of money, a head count by a number beside "staff".
MISSING_FIGURES = (
    (
        "cost",
        "money",
        ("How much did {t} cost?", "What was the cost of {t}?", "What did {t} cost to set up?"),
    ),
    ("budget", "money", ("What was the annual budget of {t}?", "How big is the budget for {t}?")),
    ("funding", "money", ("How much funding did {t} receive?", "How much money was put into {t}?")),
    ("savings", "money", ("How much did {t} save?", "What savings has {t} delivered?")),
    ("staff", "staff", ("How many staff work on {t}?", "How many people does {t} employ?")),
    (
        "response times",
        "minute",
        (
            "By how many minutes did {t} cut response times?",
            "How much faster were responses under {t}?",
        ),
    ),
    ("volunteers", "volunteer", ("How many volunteers take part in {t}?",)),
    ("lives saved", "lives", ("How many lives has {t} saved?",)),
)
MISSING_PARTS = {
    "cost": "how much did it cost",
    "budget": "what was its budget",
    "funding": "how much funding did it get",
    "savings": "how much did it save",
    "staff": "how many staff does it have",
    "response times": "how much did it cut response times",
    "volunteers": "how many volunteers does it have",
    "lives saved": "how many lives has it saved",
}


@dataclass(frozen=True)
class Asked:
    """A question about records: what it asks, what must be cited, what must appear."""

    question: str
    must_cite: tuple[str, ...]
    key_facts: tuple[str, ...]
    kind: str
    rule: str
    status: str = "answered"
    missing: tuple[str, ...] = ()
    answer: str = ""


def services_text(services: tuple[str, ...]) -> list[str]:
    return [s.replace("_", " ") for s in services if s != "other"]


def figures(text: str) -> list[str]:
    """Sums of money, percentages and counts stated in a text, in order."""
    found = _MONEY.findall(text) + _PERCENT.findall(text) + _COUNT.findall(text)
    return [f.strip() for f in found if not re.fullmatch(r"(19|20)\d\d", f.strip())]


def record_questions(
    record: Record, common: Callable[[str], bool], rng: random.Random
) -> Iterator[Asked]:
    """Single-field and two-field questions about one record."""
    t = title_phrase(record.title, common, PROJECT_HEADS)
    rid = (record.record_id,)

    def ask(
        templates: tuple[str, ...], facts: tuple[str, ...], rule: str, kind: str = "project_lookup"
    ) -> Asked:
        text = rng.choice(templates).format(t=t)
        return Asked(
            text[:1].upper() + text[1:],
            rid,
            facts,
            kind,
            rule,
            answer=f"{record.record_id}: " + "; ".join(facts),
        )

    def twice(templates: tuple[str, ...], facts: tuple[str, ...], rule: str) -> Iterator[Asked]:
        """The plainest fields asked in two wordings: robustness to phrasing is part of it."""
        for template in rng.sample(templates, 2):
            yield ask((template,), facts, rule)

    if record.year:
        yield from twice(
            (
                "When did {t} start?",
                "What year did {t} begin?",
                "When was {t} launched?",
                "Which year did {t} get going?",
                "How long has {t} been running?",
            ),
            (str(record.year),),
            "record.year",
        )
    if record.region:
        yield from twice(
            (
                "Which region is {t} in?",
                "Where in the country is {t}?",
                "What region does {t} cover?",
                "Which part of the country is {t} based in?",
            ),
            (record.region,),
            "record.region",
        )
    if record.lead:
        yield from twice(
            (
                "Who leads {t}?",
                "Which organisation is behind {t}?",
                "Who was the lead organisation for {t}?",
                "Who is in charge of {t}?",
            ),
            (record.lead,),
            "record.lead",
        )
    if record.partners:
        yield ask(
            (
                "Who are the partners in {t}?",
                "Which organisations worked together on {t}?",
                "Who did {t} involve besides the lead?",
            ),
            record.partners[:3],
            "record.partners",
            "list",
        )
    services = services_text(record.services)
    if len(services) >= 2:
        yield ask(
            ("Which services are involved in {t}?", "Which services take part in {t}?"),
            tuple(services),
            "record.services",
            "list",
        )
    if record.status:
        yield ask(
            (
                "What is the status of {t}?",
                "Is {t} still running, or did it end?",
                "What stage is {t} at?",
            ),
            (record.status,),
            "record.status",
        )
    if record.outcomes and (found := figures(record.outcomes)):
        yield ask(
            (
                "What were the results of {t}?",
                "What did {t} achieve?",
                "What outcomes were reported for {t}?",
            ),
            tuple(found[:2]),
            "record.outcomes",
        )
    short = [b for b in record.barriers if len(b.split()) <= 10]
    if short:
        yield ask(
            (
                "What problems did {t} run into?",
                "What barriers were reported for {t}?",
                "What got in the way of {t}?",
            ),
            (short[0],),
            "record.barriers",
        )
    if record.year and record.lead:
        yield ask(
            ("When did {t} start, and who led it?", "Who led {t} and when did it begin?"),
            (str(record.year), record.lead),
            "record.year+lead",
            "multi_hop",
        )
    if record.region and len(services) >= 2:
        yield ask(
            ("Where is {t}, and which services does it bring together?",),
            (record.region, *services),
            "record.region+services",
            "multi_hop",
        )


def partial_questions(
    record: Record,
    lacks: Callable[[Record, str], bool],
    common: Callable[[str], bool],
    rng: random.Random,
) -> Iterator[Asked]:
    """Two-part questions whose first part the record answers and whose second it cannot."""
    t = title_phrase(record.title, common, PROJECT_HEADS)
    known: list[tuple[str, str]] = []
    if record.year:
        known.append((f"When did {t} start", str(record.year)))
    if record.lead:
        known.append((f"Who leads {t}", record.lead))
    if record.region:
        known.append((f"Which region is {t} in", record.region))
    if not known:
        return
    wanting = [name for name, words, _ in MISSING_FIGURES if lacks(record, words)]
    for name in rng.sample(wanting, min(2, len(wanting))):
        first, fact = rng.choice(known)
        text = f"{first}, and {MISSING_PARTS[name]}?"
        yield Asked(
            text[:1].upper() + text[1:],
            (record.record_id,),
            (fact,),
            "multi_hop",
            f"record.partial.{name.replace(' ', '_')}",
            status="partial",
            missing=(name,),
            answer=f"{fact}; the evidence does not give the {name}.",
        )


def missing_figure_questions(
    record: Record,
    lacks: Callable[[Record, str], bool],
    common: Callable[[str], bool],
    rng: random.Random,
) -> Iterator[Asked]:
    """A figure the record does not state, and nothing else in the store states either."""
    t = title_phrase(record.title, common, PROJECT_HEADS)
    for name, words, templates in MISSING_FIGURES:
        if lacks(record, words):
            text = rng.choice(templates).format(t=t)
            yield Asked(
                text[:1].upper() + text[1:],
                (),
                (),
                "near_miss",
                f"nearmiss.missing_{words}",
                status="not_covered",
                missing=(name,),
                answer=f"The evidence on {record.record_id} gives no {name}.",
            )


def list_questions(evidence: Evidence, rng: random.Random) -> Iterator[Asked]:
    """Which projects share a region and a service, a theme and a region, a lead: up to four."""
    groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in evidence.records:
        for svc in services_text(r.services):
            if r.region:
                groups[("region+service", f"{r.region}|{svc}")].append(r)
        if r.region and r.theme:
            groups[("region+theme", f"{r.region}|{r.theme}")].append(r)
        if r.lead:
            groups[("lead", r.lead)].append(r)
    for (rule, key), members in sorted(groups.items()):
        if not 1 <= len(members) <= 4 or (rule == "lead" and len(members) < 2):
            continue
        if rule == "region+service":
            region, svc = key.split("|")
            text = rng.choice(
                (
                    f"Which projects in {_region(region)} involve {_service(svc)}?",
                    f"What {svc} collaboration projects are there in {_region(region)}?",
                    f"List the projects in {_region(region)} that {_service(svc)} take part in.",
                )
            )
        elif rule == "region+theme":
            region, theme = key.split("|")
            words = theme.replace("_", " ")
            text = rng.choice(
                (
                    f"Which {words} projects are there in {_region(region)}?",
                    f"What {words} work is going on in {_region(region)}?",
                )
            )
        else:
            text = rng.choice(
                (
                    f"Which projects does {key} lead?",
                    f"What projects is {key} the lead organisation for?",
                )
            )
        ids = tuple(sorted(r.record_id for r in members))
        yield Asked(
            text,
            ids,
            tuple(r.title for r in members),
            "list",
            f"records.{rule}",
            answer="; ".join(f"{r.record_id} {r.title}" for r in members),
        )


def comparison_questions(
    evidence: Evidence,
    same_split: Callable[[str, str], bool],
    common: Callable[[str], bool],
    rng: random.Random,
) -> Iterator[Asked]:
    """Which of two records in the same theme started first."""
    by_theme: dict[str, list[Record]] = defaultdict(list)
    for r in evidence.records:
        if r.year and r.theme:
            by_theme[r.theme].append(r)
    for _theme, members in sorted(by_theme.items()):
        pairs = [
            (a, b) for i, a in enumerate(members) for b in members[i + 1 :] if a.year != b.year
        ]
        pairs = [(a, b) for a, b in pairs if same_split(a.record_id, b.record_id)]
        for a, b in rng.sample(pairs, min(4, len(pairs))):
            ta = title_phrase(a.title, common, PROJECT_HEADS)
            tb = title_phrase(b.title, common, PROJECT_HEADS)
            text = rng.choice(
                (f"Which started first, {ta} or {tb}?", f"Did {ta} begin before or after {tb}?")
            )
            yield Asked(
                text[:1].upper() + text[1:],
                (a.record_id, b.record_id),
                (str(a.year), str(b.year)),
                "comparison",
                "records.comparison",
                answer=f"{a.record_id} started in {a.year}, {b.record_id} in {b.year}",
            )


def _region(region: str) -> str:
    """ "the North West", but "Wales" and "London": a compass region takes the article."""
    return f"the {region}" if re.match(r"(North|South|East|West)\b", region) else region


def _service(svc: str) -> str:
    return {
        "police": "the police",
        "fire": "the fire service",
        "ambulance": "the ambulance service",
    }.get(svc, f"the {svc}" if " " not in svc else f"{svc} partners")
