"""Geometry of the cohort page's SVG charts (risk levels, prevalence by gene, VAF per
alteration), in viewBox units; the templates only draw it."""

from __future__ import annotations

from jakcli.writers.common import LEVEL_TITLES, LEVELS, level_class, percent, shorten

VAF_LABEL_CHARS = 40


def cohort_charts(samples: list[dict]) -> dict:
    """Geometry for the cohort SVGs, in viewBox units; the templates only draw it."""
    return {"levels": _level_chart(samples), "genes": _gene_chart(samples), "vaf": _vaf_chart(samples)}


def _bar_rows(rows: list[tuple], total: int, label_w: int = 150, bar_w: int = 360, row_h: int = 26) -> dict:
    top = max((n for _, n, *_ in rows), default=0) or 1
    bars = []
    for i, (label, n, *extra) in enumerate(rows):
        bars.append({"label": label, "y": 8 + i * row_h, "w": round(bar_w * n / top, 1),
                     "text": f"{n} ({percent(n / total, 0)})" if total else str(n),
                     "cls": extra[0] if extra else ""})
    return {"width": label_w + bar_w + 90, "height": 16 + max(len(rows), 1) * row_h, "x0": label_w,
            "bar_h": row_h - 8, "bars": bars}


def _level_chart(samples: list[dict]) -> dict:
    counts = dict.fromkeys(LEVELS, 0)
    for s in samples:
        counts[s["level"]] = counts.get(s["level"], 0) + 1
    rows = [(LEVEL_TITLES.get(lv, lv), n, level_class(lv)) for lv, n in counts.items()]
    return _bar_rows(rows, len(samples))


def _gene_chart(samples: list[dict]) -> dict:
    carriers: dict[str, int] = {}
    for s in samples:
        for gene in dict.fromkeys(f["gene"] for f in s["findings"]):
            carriers[gene] = carriers.get(gene, 0) + 1
    rows = sorted(carriers.items(), key=lambda kv: (-kv[1], kv[0]))
    return _bar_rows(rows, len(samples))


def _vaf_chart(samples: list[dict], label_w: int = 330, plot_w: int = 600, row_h: int = 24) -> dict:
    """One row per alteration (gene + alteration), one dot per carrier at its VAF (0-100%)."""
    rows: dict[str, dict] = {}
    for s in samples:
        for f in s["findings"]:
            name = f["named"]
            row = rows.setdefault(name, {"name": name, "label": shorten(name, VAF_LABEL_CHARS),
                                         "dots": [], "unknown": 0})
            if f["rearrangement"]:
                continue
            if f["vaf"] is None:
                row["unknown"] += 1
            else:
                row["dots"].append({"v": f["vaf"], "tip": f"{s['name']}: {f['vaf_text']}"})
    ordered = sorted(rows.values(), key=lambda r: r["name"])
    for i, row in enumerate(ordered):
        row["y"] = 28 + i * row_h + row_h / 2
        row["count"] = f"n={len(row['dots']) + row['unknown']}" + (
            f" ({row['unknown']} without VAF)" if row["unknown"] else "")
        row["dots"] = _spread([dict(d, x=round(label_w + plot_w * min(max(d["v"], 0.0), 1.0), 1))
                               for d in sorted(row["dots"], key=lambda d: d["v"])])
    ticks = [{"x": label_w + plot_w * t / 100, "text": f"{t}%"} for t in (0, 25, 50, 75, 100)]
    return {"width": label_w + plot_w + 150, "height": 40 + max(len(ordered), 1) * row_h, "x0": label_w,
            "x1": label_w + plot_w, "rows": ordered, "ticks": ticks, "bottom": 28 + len(ordered) * row_h}


def _spread(dots: list[dict], radius: float = 5.0) -> list[dict]:
    """Offset dots vertically only where they would overlap, so equal VAFs stay countable."""
    offsets = (0, -radius, radius)
    run, last_x = 0, None
    for d in dots:
        run = run + 1 if last_x is not None and d["x"] - last_x < 2 * radius else 0
        d["dy"] = offsets[run % 3]
        last_x = d["x"]
    return dots
