"""Plain-language concerns a client can choose, and which kind of team handles each."""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct

from kiosk.core.text import N_


class TeamKind(StrEnum):
    """Kinds of team inside a job centre; the routing table maps a case's kinds to inboxes."""

    LEISTUNG = "leistung"  # benefits
    VERMITTLUNG = "vermittlung"  # placement / personal adviser
    BUT = "but"  # education and participation (Bildung und Teilhabe)
    FORDERUNG = "forderung"  # claims / repayment
    WIDERSPRUCH = "widerspruch"  # objections office
    EINGANGSZONE = "eingangszone"  # entrance zone: triage


class Concern(Struct, frozen=True):
    """One button on the concern screen.

    ``label`` is the everyday wording (translated for the client); ``official`` is the
    administrative term shown as a subtitle; ``title_de`` names the document for staff,
    who always read German.
    """

    key: str
    label: str
    official: str
    title_de: str
    team_kind: TeamKind
    hint: str | None = None


CONCERNS: tuple[Concern, ...] = (
    Concern(
        "renewal",
        N_("I want to keep receiving Bürgergeld"),
        N_("Continued payment application (Weiterbewilligungsantrag)"),
        "Weiterbewilligung",
        TeamKind.LEISTUNG,
    ),
    Concern(
        "requested",
        N_("The job centre asked me for documents"),
        N_("Requested documents (Mitwirkung)"),
        "Angeforderte Unterlagen",
        TeamKind.LEISTUNG,
    ),
    Concern(
        "income",
        N_("I got work, wages or other money"),
        N_("Income (Einkommen)"),
        "Einkommensnachweise",
        TeamKind.LEISTUNG,
    ),
    Concern(
        "housing",
        N_("Rent, utilities, heating or moving"),
        N_("Housing costs (Kosten der Unterkunft)"),
        "Kosten der Unterkunft",
        TeamKind.LEISTUNG,
    ),
    Concern(
        "household",
        N_("My family or household changed"),
        N_("Change in the household (Änderung der Bedarfsgemeinschaft)"),
        "Änderung der Bedarfsgemeinschaft",
        TeamKind.LEISTUNG,
    ),
    Concern(
        "sick",
        N_("I am sick"),
        N_("Sick note (Arbeitsunfähigkeitsbescheinigung)"),
        "Arbeitsunfähigkeitsbescheinigung",
        TeamKind.VERMITTLUNG,
    ),
    Concern(
        "travel",
        N_("I want to travel (holiday)"),
        N_("Holiday (Ortsabwesenheit)"),
        "Ortsabwesenheit",
        TeamKind.VERMITTLUNG,
    ),
    Concern(
        "jobsearch",
        N_("Job applications, appointments, courses"),
        N_("Proof of applications (Eigenbemühungen)"),
        "Eigenbemühungen und Termine",
        TeamKind.VERMITTLUNG,
    ),
    Concern(
        "education",
        N_("School, day care, class trips, lunch"),
        N_("Education and participation (Bildung und Teilhabe)"),
        "Bildung und Teilhabe",
        TeamKind.BUT,
    ),
    Concern(
        "onetime",
        N_("One-off help: furniture, baby, clothes"),
        N_("One-off needs (einmalige Bedarfe)"),
        "Einmalige Bedarfe",
        TeamKind.LEISTUNG,
    ),
    Concern(
        "repayment",
        N_("I have to pay money back"),
        N_("Repayment (Forderung)"),
        "Forderung",
        TeamKind.FORDERUNG,
    ),
    Concern(
        "objection",
        N_("I disagree with a decision"),
        N_("Objection (Widerspruch)"),
        "Widerspruch",
        TeamKind.WIDERSPRUCH,
        hint=N_(
            "An objection must be signed. Please also put the signed original "
            "in the job centre's letterbox."
        ),
    ),
    Concern(
        "other",
        N_("Something else / I don't know"),
        N_("Other (Sonstiges)"),
        "Sonstiges",
        TeamKind.EINGANGSZONE,
    ),
)

CONCERN_KEYS: tuple[str, ...] = tuple(c.key for c in CONCERNS)
_BY_KEY = {c.key: c for c in CONCERNS}


class UnknownConcern(KeyError):
    """A concern key that is not in CONCERNS."""


def concern_by_key(key: str) -> Concern:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise UnknownConcern(key) from None
