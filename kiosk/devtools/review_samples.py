"""Review screens for screenshots and layout tests: pages the page pipeline flagged
(seems empty, hard to read, turned upright) and the screen's notices (made-up pages)."""

from __future__ import annotations

from kiosk.core.records import replace
from kiosk.core.session import Deleted, Limits
from kiosk.ui.presenter.pagenote import Ask, PageNote
from kiosk.ui.presenter.view import View

REVIEW_SCREENS = ("review-flagged", "review-notices")
# review-flagged: page 2 seems empty (asked), 3 too dark (asked), 4 turned upright, 5 seems
# empty and was kept.
FLAGGED = {
    2: PageNote(blank=True, ask=Ask.KEEP_BLANK),
    3: PageNote(problem="dark", ask=Ask.RESCAN),
    4: PageNote(turned=True),
    5: PageNote(blank=True, turned=True),
}


def review_sample(name: str, view: View) -> View:
    if name == "review-flagged":
        pages = tuple(replace(p, note=FLAGGED.get(p.number, p.note)) for p in view.pages)
        return replace(view, pages=pages)
    if name == "review-notices":  # 5 pages of at most 5; an empty one taken out by itself
        refs = view.session.pages
        session = replace(
            view.session,
            pages=refs[:5],
            deleted=(Deleted(refs[5], 2),),
            limits=Limits(max_pages=5),
        )
        return replace(view, session=session, pages=view.pages[:5], dropped_blank=(3,))
    return view
