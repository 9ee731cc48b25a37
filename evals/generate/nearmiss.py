"""Unanswerable questions built the way real near misses arise: a real question with its place,
body or year swapped for one the store never mentions; a service no record involves; a figure
nothing in the store states; a programme that does not exist. Each constraint is checked
against the whole store before the question is kept."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property

from evals.generate.evidence import Evidence, Record
from evals.generate.gazetteer import BODIES, PLACES, PROGRAMME_HEADS, PROGRAMME_MODIFIERS
from evals.generate.records import _MONEY, _region

_YEAR = re.compile(r"(?<![\d/£])(?:19|20)\d\d(?![\d/])")
# Words that would state each kind of figure, if any text about the thing held them.
FIGURE_WORDS = {
    "money": ("£", "pounds", "cost", "budget", "funding", "million", "saving", "savings", "grant"),
    "staff": ("staff", "employ", "employs", "employed", "people", "workforce", "posts", "officers"),
    "minute": ("minute", "minutes", "response time", "response times", "faster", "seconds"),
    "volunteer": ("volunteer", "volunteers"),
    "lives": ("lives", "life", "survival", "survived", "saved"),
}
# Public services that answer emergencies but that a collaboration record may never involve.
OTHER_SERVICES = (
    "mountain rescue teams",
    "lifeboat crews",
    "cave rescue",
    "lowland search and rescue",
    "the prison service",
    "the probation service",
    "the armed forces",
    "park rangers",
    "the border force",
    "bomb disposal units",
    "search dog teams",
    "the highways traffic officers",
)
# Heads of the names of programmes, funds and bodies the store may mention.
NAME_HEADS = frozenset({
    "Programme", "Project", "Fund", "Scheme", "Network", "Centre", "Standard", "Academy", "Hub",
    "Pathfinder", "Pilot", "Initiative", "Partnership", "Strategy", "Review", "Agreement",
})  # fmt: skip
_NAME = re.compile(
    r"\b(?:[A-Z][\w'’-]+ (?:and |of |for )?){1,5}(?:" + "|".join(NAME_HEADS) + r")\b"
)


@dataclass(frozen=True)
class Miss:
    question: str
    rule: str
    unit: str  # what its split follows: the unit it was made from, or its own name
    answer: str
    missing: tuple[str, ...] = ()


class Absences:
    """The names the store lacks, worked out once."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence

    @cached_property
    def places(self) -> list[str]:
        return [p for p in PLACES if not self.evidence.holds(p)]

    @cached_property
    def held_places(self) -> list[str]:
        """Places the store names, longest first so "West Sussex" wins over "Sussex"."""
        return sorted((p for p in PLACES if self.evidence.holds(p)), key=len, reverse=True)

    @cached_property
    def bodies(self) -> list[str]:
        return [b for b in BODIES if not self.evidence.holds(b.removeprefix("the "))]

    @cached_property
    def years(self) -> list[str]:
        return [str(y) for y in range(1985, 2041) if not self.evidence.holds(str(y))]

    @cached_property
    def services(self) -> list[str]:
        return [s for s in OTHER_SERVICES if not self.evidence.holds(s.removeprefix("the "))]

    @cached_property
    def names(self) -> dict[str, str]:
        """Names of programmes, funds and the like in the store, with the unit that first
        names them."""
        out: dict[str, str] = {}
        for unit in self.evidence.units:
            for s in unit.sentences:
                for m in _NAME.finditer(s.text):
                    name = m.group(0)
                    before, after = s.text[: m.start()], s.text[m.end() :]
                    # Part of a longer name: "Tri-Service Public Service and ... Centre", "the
                    # Fire and Rescue Project of the Year category".
                    inside = re.search(r"[A-Z][\w'’-]*\s$", before) or re.match(
                        r" (?:of|for) ", after
                    )
                    if inside or len(name.split()) < 2 or name.startswith(("The ", "A ")):
                        continue
                    out.setdefault(name, unit.key)
        return out

    def lacks(self, record: Record, words: str) -> bool:
        """Whether nothing the store says about the record states this kind of figure: the
        record, any chunk naming its id or its title, any chunk holding most of the title's
        words."""
        texts = [record.text.casefold(), *self._about(record.record_id, record.title)]
        return _unstated(texts, words)

    @cache  # noqa: B019 - one Absences per generation run, held for its length
    def _about(self, record_id: str, title: str) -> list[str]:
        ev = self.evidence
        content = re.findall(r"[a-z][a-z-]{3,}", title.casefold())
        out = ev.chunks_with(record_id) + ev.chunks_with(title)
        if len(content) >= 3:
            need = max(3, round(len(content) * 0.6))
            out += [t for t in ev.texts if sum(1 for w in content if w in t) >= need]
        return out

    def figure_unstated(self, name: str, words: str) -> bool:
        """Whether no chunk that names this programme states the kind of figure."""
        return _unstated(self.evidence.chunks_with(name), words)


def _unstated(texts: list[str], words: str) -> bool:
    """Whether none of the texts holds a word that would state this kind of figure."""
    if words == "money" and any(_MONEY.search(t) for t in texts):
        return False
    return not any(
        n in t and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", t)
        for t in texts
        for n in FIGURE_WORDS[words]
    )


def swap_place(
    question: str, absences: Absences, rng: random.Random
) -> tuple[str, str, str] | None:
    """The question with its (longest) place name swapped for one the store never names."""
    for place in absences.held_places:
        if re.search(rf"(?<![\w-]){re.escape(place)}(?![\w-])", question):
            new = rng.choice(absences.places)
            swapped = re.sub(rf"(?<![\w-]){re.escape(place)}(?![\w-])", new, question, count=1)
            return swapped, place, new
    return None


def swap_year(question: str, absences: Absences, rng: random.Random) -> tuple[str, str, str] | None:
    m = _YEAR.search(question)
    if not m or not absences.years:
        return None
    new = rng.choice(absences.years)
    return question[: m.start()] + new + question[m.end() :], m.group(0), new


def swap_body(question: str, absences: Absences, rng: random.Random) -> tuple[str, str, str] | None:
    """An organisation named in the question (by a head word such as "Service" or "Council")
    swapped for a public body the store never names."""
    from evals.generate.facts import ORG_HEADS

    # The whole name, not the start of a longer one ("North Yorkshire Police, Fire and Crime").
    pattern = (
        r"(?:\bthe )?\b(?:[A-Z][\w'’-]+ (?:and |of |for |the )?){1,6}(?:%s)\b(?![,'’]| [A-Z&])"
    )
    heads = "|".join(h.capitalize() for h in ORG_HEADS)
    m = re.search(pattern % heads, question)
    if not m or not absences.bodies or m.group(0).startswith(("Which ", "What ", "Who ")):
        return None
    new = rng.choice(absences.bodies)
    if m.start() == 0:
        new = new[:1].upper() + new[1:]
    old = m.group(0).removeprefix("the ")
    return question[: m.start()] + new + question[m.end() :], old, new.removeprefix("the ")


def swapped(question: str, unit: str, absences: Absences, rng: random.Random) -> Iterator[Miss]:
    """Every swap that applies to a real question."""
    for rule, swap in (("place", swap_place), ("body", swap_body), ("year", swap_year)):
        done = swap(question, absences, rng)
        if done:
            text, old, new = done
            yield Miss(
                text,
                f"nearmiss.{rule}_swap",
                unit,
                f"Not covered: the store holds nothing on {new} (the real question names {old}).",
                (new,),
            )


def service_misses(evidence: Evidence, absences: Absences, rng: random.Random) -> Iterator[Miss]:
    """Projects in a real region with a service the store never mentions."""
    regions = sorted({r.region for r in evidence.records if r.region})
    for region in regions:
        for service in rng.sample(absences.services, min(3, len(absences.services))):
            text = rng.choice(
                (
                    f"Which projects in {_region(region)} involve {service}?",
                    f"Are {service} part of any collaboration in {_region(region)}?",
                    f"How do {service} work with the other services in {_region(region)}?",
                )
            )
            yield Miss(
                text,
                "nearmiss.service_swap",
                f"service:{region}|{service}",
                f"Not covered: the store never mentions {service}.",
                (service,),
            )


def year_misses(evidence: Evidence, absences: Absences, rng: random.Random) -> Iterator[Miss]:
    """Projects of a real theme or region that started in a year the store never mentions."""
    themes = sorted({r.theme for r in evidence.records if r.theme})
    regions = sorted({r.region for r in evidence.records if r.region})
    for theme in themes:
        year = rng.choice(absences.years)
        text = rng.choice(
            (
                f"Which {theme.replace('_', ' ')} projects started in {year}?",
                f"What {theme.replace('_', ' ')} work began in {year}?",
            )
        )
        yield Miss(
            text, "nearmiss.year_swap", f"year:{theme}", f"Not covered: nothing in {year}.", (year,)
        )
    for region in regions:
        year = rng.choice(absences.years)
        text = rng.choice(
            (
                f"What collaboration started in {_region(region)} in {year}?",
                f"Which projects in {_region(region)} began in {year}?",
            )
        )
        yield Miss(
            text,
            "nearmiss.year_swap",
            f"year:{region}",
            f"Not covered: nothing in {year}.",
            (year,),
        )


def body_misses(absences: Absences, rng: random.Random) -> Iterator[Miss]:
    """Questions about the part public bodies the store never names play in its projects."""
    for body in absences.bodies:
        text = rng.choice(
            (
                f"Which projects does {body} lead?",
                f"What has {body} done together with the other organisations?",
                f"Is {body} a partner in any of the projects?",
                f"How much has {body} put into these projects?",
            )
        )
        name = body.removeprefix("the ")
        yield Miss(
            text,
            "nearmiss.body_swap",
            f"body:{name}",
            f"Not covered: the store never names {name}.",
            (name,),
        )


def invented_programmes(absences: Absences, rng: random.Random, count: int) -> Iterator[Miss]:
    """Programmes named from a place the store lacks or "National", a modifier and a head,
    kept only when neither the name nor its modifier-and-head core stands in the store."""
    seen: set[str] = set()
    tries = 0
    while len(seen) < count and tries < count * 20:
        tries += 1
        modifier, head = rng.choice(PROGRAMME_MODIFIERS), rng.choice(PROGRAMME_HEADS)
        where = rng.choice([*absences.places[:40], "National", "Joint", "Regional"])
        name = f"{where} {modifier} {head}"
        if (
            name in seen
            or absences.evidence.holds(f"{modifier} {head}")
            or absences.evidence.holds(name)
        ):
            continue
        seen.add(name)
        text = rng.choice(
            (
                f"When did the {name} start?",
                f"Who runs the {name}?",
                f"What did the {name} achieve?",
                f"How much did the {name} cost?",
                f"Which services are part of the {name}?",
                f"Tell me about the {name}.",
                f"Is the {name} still going?",
            )
        )
        yield Miss(
            text,
            "nearmiss.no_such_programme",
            f"programme:{name}",
            f"Not covered: there is no {name} in the store.",
            (name,),
        )


def programme_figures(absences: Absences, rng: random.Random) -> Iterator[Miss]:
    """A figure about a real programme that no passage naming it gives."""
    asks = (
        ("money", "cost", ("How much did the {n} cost?", "What was the budget of the {n}?")),
        (
            "staff",
            "staff",
            ("How many staff work on the {n}?", "How many people does the {n} employ?"),
        ),
        ("volunteer", "volunteers", ("How many volunteers does the {n} use?",)),
    )
    for name, unit in sorted(absences.names.items()):
        for words, missing, templates in asks:
            if absences.figure_unstated(name, words):
                text = rng.choice(templates).format(n=name)
                yield Miss(
                    text,
                    f"nearmiss.missing_{words}",
                    unit,
                    f"Not covered: no passage naming {name} gives its {missing}.",
                    (missing,),
                )
