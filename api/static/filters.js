// Filters for theme, region and services: a select per kind lists the values the store holds
// (from /v1/facets); each chosen value shows as a chip that removes it.

import { clear, el, label } from "./dom.js";
import { icon } from "./icons.js";

const KINDS = [
  { key: "theme", name: "Theme" },
  { key: "region", name: "Region" },
  { key: "services", name: "Service" },
];

export function createFilters({ selects, chips, onChange }) {
  let facets = { theme: [], region: [], services: [] };
  let value = { theme: [], region: [], services: [] };

  function setFacets(next) {
    facets = next;
    render();
  }

  function set(next) {
    value = { theme: [...(next?.theme ?? [])], region: [...(next?.region ?? [])], services: [...(next?.services ?? [])] };
    render();
  }

  function change(next) {
    value = next;
    render();
    onChange(get());
  }

  function get() {
    return { theme: [...value.theme], region: [...value.region], services: [...value.services] };
  }

  function render() {
    for (const kind of KINDS) fillSelect(selects[kind.key], kind, facets[kind.key] ?? [], value[kind.key]);
    renderChips();
  }

  function renderChips() {
    clear(chips);
    const chosen = KINDS.flatMap((kind) => value[kind.key].map((v) => ({ kind, v })));
    chips.hidden = !chosen.length;
    for (const { kind, v } of chosen) {
      chips.append(
        el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: "filter-chip",
              "aria-label": `Remove filter ${kind.name}: ${label(v)}`,
              dataset: { kind: kind.key, value: v },
              onclick: () => change({ ...value, [kind.key]: value[kind.key].filter((x) => x !== v) }),
            },
            el("span", { class: "filter-chip-kind" }, `${kind.name}:`),
            ` ${label(v)}`,
            icon("close"),
          ),
        ),
      );
    }
    if (chosen.length > 1) {
      chips.append(
        el("li", {}, el("button", { type: "button", class: "link-button", onclick: () => change({ theme: [], region: [], services: [] }) }, "Clear filters")),
      );
    }
  }

  for (const kind of KINDS) {
    selects[kind.key].addEventListener("change", (event) => {
      const chosen = event.target.value;
      event.target.value = "";
      if (chosen && !value[kind.key].includes(chosen)) change({ ...value, [kind.key]: [...value[kind.key], chosen] });
    });
  }

  return { setFacets, set, get };
}

function fillSelect(select, kind, options, chosen) {
  clear(select);
  select.append(el("option", { value: "" }, `${kind.name}…`));
  for (const option of options) {
    if (chosen.includes(option)) continue;
    select.append(el("option", { value: option }, label(option)));
  }
  select.disabled = !options.length;
  select.value = "";
}

/** The facets answer, read into {theme, region, services} lists whatever the field names. */
export function readFacets(data) {
  const pick = (...names) => {
    for (const name of names) {
      const v = data?.[name];
      if (Array.isArray(v)) return v.map((x) => (typeof x === "object" ? (x.value ?? x.name) : x)).filter(Boolean);
    }
    return [];
  };
  return {
    theme: pick("themes", "theme"),
    region: pick("regions", "region"),
    services: pick("services", "service"),
    docTypes: pick("doc_types", "doc_type"),
    years: data?.years ?? data?.year_range ?? null,
    counts: data?.counts ?? null,
  };
}
