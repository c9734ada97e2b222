"""The page benchmark's tables: figures per pipeline, the issue's targets, page by page."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.bench.bench_pages import Run
    from tests.bench.corpus import CorpusPage

Rows = list[dict[str, Any]]


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def summarise(corpus: list[CorpusPage], rows: Rows, refs: Rows) -> dict[str, Any]:
    text = [i for i, p in enumerate(corpus) if p.text is not None]
    printed = [i for i in text if corpus[i].kind != "handwritten"]
    colour = [rows[i]["kb"] for i, p in enumerate(corpus) if p.has_colour]
    flagged = [r["blank"] for r in rows]
    expected = [p.blank for p in corpus]
    tp = sum(f and e for f, e in zip(flagged, expected, strict=True))
    fp = sum(f and not e for f, e in zip(flagged, expected, strict=True))
    fn = sum(e and not f for f, e in zip(flagged, expected, strict=True))
    stamps = [(i, rows[i]["stamp"], refs[i]["stamp"]) for i in text if "stamp" in rows[i]]
    skews = [rows[i]["skew"] for i in printed if rows[i].get("skew") is not None]
    straight = [rows[i]["skew"] for i in printed if corpus[i].skew == 0 and rows[i].get("skew")]
    deltas = [(rows[i]["cer"] - refs[i]["cer"], i) for i in text if rows[i]["upright"]]
    line_deltas = [
        (rows[i]["line_cer"] - refs[i]["line_cer"], i) for i in text if rows[i]["upright"]
    ]
    return {
        "kb_no_colour": _mean([rows[i]["kb"] for i, p in enumerate(corpus) if not p.has_colour]),
        "kb_colour_mean": _mean(colour),
        "kb_colour_max": max(colour, default=None),
        "kb_all": _mean([r["kb"] for r in rows]),
        "cer_mean": _mean([rows[i]["cer"] for i in text]),
        "cer_delta_max": max(deltas, default=(None, -1))[0],
        "cer_delta_page": corpus[max(deltas)[1]].name if deltas else None,
        "line_cer_mean": _mean([rows[i]["line_cer"] for i in text]),
        "line_cer_delta_max": max(line_deltas, default=(None, -1))[0],
        "line_cer_delta_page": corpus[max(line_deltas)[1]].name if line_deltas else None,
        "stamp_found": sum(s[0] for _, s, _ in stamps),
        "stamp_words": sum(s[1] for _, s, _ in stamps),
        "stamp_kept": all(s[0] >= r[0] for _, s, r in stamps),
        "skew_max": max(skews, default=None),
        "skew_straight_max": max(straight, default=0.0),
        "skew_unmeasured": sum(1 for i in printed if rows[i].get("skew") is None),
        "upright": sum(rows[i]["upright"] for i in text),
        "text_pages": len(text),
        "blank_tp": tp,
        "blank_fp": fp,
        "blank_fn": fn,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "ms_median": statistics.median(r["ms"] for r in rows),
    }


def _f(value: float | None, spec: str = ".1f") -> str:
    return "n/a" if value is None else format(value, spec)


def print_summary(
    labels: list[str], summaries: dict[str, dict[str, Any]], pdfa: dict[str, bool]
) -> None:
    print(
        f"\n{'pipeline':<22}{'KB no-col':>10}{'KB col':>8}{'(max)':>7}{'KB all':>8}{'x lossl':>8}"
        f"{'CER':>7}{'dCER':>7}{'line':>7}{'dline':>7}{'stamp':>7}{'skew':>7}{'upright':>9}"
        f"{'blank P/R':>11}{'ms/page':>9}{'PDF/A':>7}"
    )
    base = summaries[next(label for label in labels if label.startswith("lossless"))]
    for label in labels:
        s = summaries[label]
        ratio = s["kb_all"] / base["kb_all"] if base["kb_all"] else None
        pr = f"{_f(s['precision'], '.2f')}/{_f(s['recall'], '.2f')}"
        print(
            f"{label:<22}{_f(s['kb_no_colour']):>10}{_f(s['kb_colour_mean']):>8}"
            f"{_f(s['kb_colour_max'], '.0f'):>7}{_f(s['kb_all']):>8}{_f(ratio, '.2f'):>8}"
            f"{_f(s['cer_mean'], '.3f'):>7}{_f(s['cer_delta_max'], '+.3f'):>7}"
            f"{_f(s['line_cer_mean'], '.3f'):>7}{_f(s['line_cer_delta_max'], '+.3f'):>7}"
            f"{s['stamp_found']:>4}/{s['stamp_words']:<2}{_f(s['skew_max'], '.2f'):>7}"
            f"{s['upright']:>5}/{s['text_pages']:<3}{pr:>11}{s['ms_median']:>9.0f}"
            f"{'yes' if pdfa[label] else 'no':>7}"
        )
    print(
        "   KB: the page's share of the PDF (no-col: pages without colour content, blank backs"
        " included; col: pages with a stamp, photo or colour print); x lossl: KB all against"
        " lossless. CER: mean on pages with text; dCER: worst page, CER minus the upright"
        " lossless reference's, pages the pipeline left upright; line, dline: the same for the"
        " line CER (text lines against their best match: OCR's extra text ignored);"
        " stamp: stamp words read;"
        " skew: worst residual on printed text pages (degrees); blank P/R: precision/recall"
        " of the blank flag (baselines flag nothing)."
    )


def targets(
    s: dict[str, Any], memory: dict[str, float] | None, pdfa: bool
) -> list[tuple[str, bool | None, str]]:
    """The issue's targets, each with PASS/MISS (None: not measured in this run)."""

    def at_most(value: float | None, limit: float) -> bool | None:
        return None if value is None else value <= limit

    def at_least(value: float | None, limit: float) -> bool | None:
        return None if value is None else value >= limit

    peak = memory["peak"] if memory else None
    retained = memory["after"] - memory["before"] if memory else None
    session = f"{memory['pages']:.0f}-page" if memory else "no"
    return [
        (
            "<= 60 KB mean per page without colour",
            at_most(s["kb_no_colour"], 60),
            _f(s["kb_no_colour"]),
        ),
        (
            "<= 250 KB per colour page (max)",
            at_most(s["kb_colour_max"], 250),
            _f(s["kb_colour_max"]),
        ),
        ("<= 150 KB mean over all pages", at_most(s["kb_all"], 150), _f(s["kb_all"])),
        (
            "CER within +0.01 of lossless, every page",
            at_most(s["cer_delta_max"], 0.01),
            f"{_f(s['cer_delta_max'], '+.3f')} ({s['cer_delta_page']})",
        ),
        (
            "line CER within +0.01 of lossless, every page",
            at_most(s["line_cer_delta_max"], 0.01),
            f"{_f(s['line_cer_delta_max'], '+.3f')} ({s['line_cer_delta_page']})",
        ),
        (
            "stamp text kept (as many words as lossless)",
            s["stamp_kept"] if s["stamp_words"] else None,
            f"{s['stamp_found']}/{s['stamp_words']}",
        ),
        (
            "residual skew <= 0.2 deg, every printed page",
            at_most(s["skew_max"], 0.2),
            f"{_f(s['skew_max'], '.2f')} ({s['skew_unmeasured']} unmeasured)",
        ),
        (
            "no skew added to straight pages (<= 0.1)",
            at_most(s["skew_straight_max"], 0.1),
            _f(s["skew_straight_max"], ".2f"),
        ),
        (
            "every page upright",
            s["upright"] == s["text_pages"],
            f"{s['upright']}/{s['text_pages']}",
        ),
        ("blank precision >= 0.95", at_least(s["precision"], 0.95), _f(s["precision"], ".2f")),
        ("blank recall >= 0.95", at_least(s["recall"], 0.95), _f(s["recall"], ".2f")),
        ("no page with content flagged", s["blank_fp"] == 0, f"{s['blank_fp']} flagged"),
        (
            "<= 700 ms per page, median, one core",
            at_most(s["ms_median"], 700),
            f"{s['ms_median']:.0f}",
        ),
        (f"peak <= 400 MiB, {session} colour session", at_most(peak, 400), _f(peak, ".0f")),
        (
            f"after the {session} session within 20 MiB of before",
            at_most(retained, 20),
            _f(retained, "+.0f"),
        ),
        ("PDF/A-2b (claimed, output intent, qpdf clean)", pdfa, "yes" if pdfa else "no"),
    ]


def print_kinds(corpus: list[CorpusPage], labels: list[str], results: dict[str, Rows]) -> None:
    """KB per page by kind of document, and the kiosk's stored modes."""
    kinds = sorted({p.kind for p in corpus})
    print(f"\n{'KB/page by kind':<22}" + "".join(f"{k[:11]:>12}" for k in kinds))
    for label in labels:
        means = []
        for kind in kinds:
            kb = [results[label][i]["kb"] for i, p in enumerate(corpus) if p.kind == kind]
            means.append(f"{statistics.fmean(kb):>12.1f}")
        print(f"{label:<22}" + "".join(means))
    kiosk = results[labels[0]]
    for has_colour, name in ((True, "with colour content"), (False, "without")):
        modes = [kiosk[i]["mode"] for i, p in enumerate(corpus) if p.has_colour is has_colour]
        counts = ", ".join(f"{m} {modes.count(m)}" for m in ("color", "gray", "bw") if m in modes)
        print(f"   {labels[0]} stored the pages {name} as: {counts or 'none'}")


def print_pages(
    corpus: list[CorpusPage], labels: list[str], results: dict[str, Rows], refs: Rows
) -> None:
    short = {label: label.split()[0][:6] for label in labels}
    head = "".join(f"{'KB ' + short[lb]:>11}" for lb in labels)
    print(
        f"\n{'page':<24}{'kind':<18}{head}{'CER ref':>8}{'CER':>7}{'line ref':>9}{'line':>7}"
        f"{'skew':>6}{'meter':>6}  decided"
    )
    kiosk = labels[0]
    for i, page in enumerate(corpus):
        row = results[kiosk][i]
        sizes = "".join(f"{results[lb][i]['kb']:>11.1f}" for lb in labels)
        ref = refs[i]
        decided = f"{row['mode']} rot {row['rotation']}"
        decided += " BLANK" if row["blank"] else ""
        decided += "" if row["upright"] else " NOT-UPRIGHT"
        decided += f" stamp {row['stamp'][0]}/{row['stamp'][1]}" if "stamp" in row else ""
        print(
            f"{page.name:<24}{page.kind:<18}{sizes}{_f(ref.get('cer'), '.3f'):>8}"
            f"{_f(row.get('cer'), '.3f'):>7}{_f(ref.get('line_cer'), '.3f'):>9}"
            f"{_f(row.get('line_cer'), '.3f'):>7}{_f(row.get('skew'), '.2f'):>6}"
            f"{_f(ref.get('meter_error'), '.2f'):>6}  {decided}"
        )
    print(
        "   CER, line: the kiosk's; ref: the lossless scan turned upright; skew: the kiosk"
        " output's residual;"
        " meter: the skew meter's error on the lossless scan (known skew)"
    )


def print_report(
    corpus: list[CorpusPage],
    runs: list[Run],
    results: dict[str, Rows],
    refs: Rows,
    pdfa: dict[str, bool],
    memory: dict[str, float] | None,
    pnm: dict[str, Any] | None,
    cli: dict[str, Any] | None,
    version: str,
) -> dict[str, Any]:
    labels = [run.label for run in runs]
    kinds = sorted({p.kind for p in corpus})
    print(f"Page benchmark: {len(corpus)} corpus pages ({', '.join(kinds)})")
    print(f"Kiosk pipeline measured: {labels[0]}, {version}")
    summaries = {label: summarise(corpus, results[label], refs) for label in labels}
    print_summary(labels, summaries, pdfa)
    for run in runs:
        print(
            f"   {run.label}: PDF {len(run.pdf) / 1024:.0f} KB, assembly {run.pdf_ms:.0f} ms/page"
        )
    print_pages(corpus, labels, results, refs)
    if pnm:
        print(
            f"\nSANE pnm replay ({pnm['pages']} pages through SaneScanner and the pipeline):"
            f" scan {pnm['scan_ms']:.0f} ms/page, pipeline {pnm['pipeline_ms']:.0f} ms/page,"
            f" pixels as the file: {pnm['same_pixels']}/{pnm['pages']},"
            f" same decisions as direct: {pnm['same_decisions']}/{pnm['pages']}"
        )
        print(f"   {', '.join(pnm['names'])}; not set: {pnm['not_set']}")
    if cli and "error" in cli:
        print(f"\nkiosk pdf --json on the {cli['pages']} corpus files failed: {cli['error']}")
    elif cli:
        print(
            f"\nkiosk pdf --json on the {cli['pages']} corpus files (one process, one core):"
            f" {cli['ms_per_page']:.0f} ms/page wall, start-up included; {cli['lines']} JSON"
            f" lines; decisions as process_page's: {cli['same_decisions']}/{cli['pages']};"
            f" PDF {cli['pdf_kb']:.0f} KB"
        )
    if memory:
        print(
            f"\nMemory, {memory['pages']:.0f}-page colour session (pipeline + PDF, own process):"
            f" before {memory['before']:.0f} MiB, after the harness loaded one scan"
            f" {memory['loading']:.0f} MiB, peak {memory['peak']:.0f} MiB, with pages and PDF"
            f" held {memory['held']:.0f} MiB (encoded pages {memory['encoded']:.1f} MiB),"
            f" after dropping them {memory['after']:.0f} MiB (retained"
            f" {memory['after'] - memory['before']:+.0f} MiB; after malloc_trim"
            f" {memory['trimmed'] - memory['before']:+.0f} MiB)"
        )
    checks = targets(summaries[labels[0]], memory, pdfa[labels[0]])
    print(f"\nTargets (issue 15), {labels[0]}:")
    for name, ok, value in checks:
        verdict = "n/a " if ok is None else ("PASS" if ok else "MISS")
        print(f"  {verdict}  {name:<48} {value}")
    return {
        "version": version,
        "summaries": summaries,
        "pages": [
            {
                "page": p.name,
                "kind": p.kind,
                **{lb: results[lb][i] for lb in labels},
                "ref": refs[i],
            }
            for i, p in enumerate(corpus)
        ],
        "pdfa": pdfa,
        "memory": memory,
        "pnm": pnm,
        "cli": cli,
        "targets": [{"target": n, "pass": ok, "value": v} for n, ok, v in checks],
    }
