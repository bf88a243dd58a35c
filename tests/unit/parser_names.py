"""The name catalog the parser's unit tests use: the demo organisation's named people and
homes, plus generated-style names, some sharing a first name or a surname on purpose, some
that are also ordinary words ("Will") or part of a home's name ("Victoria")."""

from __future__ import annotations

from intents.catalog import Catalog

DEMO_HOMES = (
    "Victoria Gardens",
    "Hawthorn House",
    "Orchard Grove",
    "Meadowburn",
    "Riverside Court",
)
DEMO_STAFF = (
    "Sarah MacKenzie",
    "David Wilson",
    "Fiona Grant",
    "Jennifer Ross",
    "Mark Stevens",
    "Aisha Rahman",
    "Tom Baxter",
    "Priya Nair",
    "Claire Docherty",
    "Graham Kerr",
)
# Generated-style names; some share a first name or a surname on purpose.
GENERATED = (
    "Eilidh Campbell",
    "Eilidh Morrison",
    "Callum Robertson",
    "Callum Shaw",
    "Isla MacLeod",
    "Isla Johnstone",
    "Ruairidh Thomson",
    "Kirsteen Paterson",
    "Hamish Urquhart",
    "Morag Sutherland",
    "Lachlan Fraser",
    "Mhairi Gillies",
    "Euan Patterson",
    "Catriona Bell",
    "Alistair Munro",
    "Ailsa Robertson",
    "Shona Cameron",
    "Finlay McIntosh",
    "Rhona Baird",
    "Iain Kennedy",
    "Gregor Stewart",
    "Heather Moffat",
    "Lorna McAllister",
    "Rory MacPherson",
    "Skye Galloway",
    "Kenneth Hogg",
    "Ewan Davidson",
    "Fraser Milne",
    "Ishbel McCallum",
    "Duncan Gray",
    "Morven Ritchie",
    "Struan Mackie",
    "Seonaid Lyall",
    "Angus Watt",
    "Will Anderson",
    "Victoria Lamont",
    "Niamh Docherty-Reid",
)
CATALOG = Catalog(homes=DEMO_HOMES, staff=DEMO_STAFF + GENERATED)
