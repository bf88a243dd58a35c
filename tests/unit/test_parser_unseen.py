"""Messages written for this round independently of the corpus templates: SMS-style,
typo'd and British, for every new intent and trap, plus the older intents they must not
swallow (18 short, common ones like "stop" or "i'll take it" also occur in the corpus).
Intent only (the exact slots of the traps are in test_parser_traps.py)."""

from __future__ import annotations

from datetime import date

import pytest

from intents.parser import get_parser
from tests.unit.parser_names import CATALOG

TODAY = date(2026, 1, 14)

CASES = [
    ("hiya can i swap my sat late for jennifers sunday early", "swap.request"),
    ("anybody fancy my friday night?", "swap.request"),
    ("would some1 cover my long day on the 22nd pls", "swap.request"),
    ("need some1 to take my shift tmrw x", "swap.request"),
    ("swop my wed early with tom?", "swap.request"),
    ("who is off sick today at riverside", "staffing.absent"),
    ("whos off on holiday next week", "staffing.absent"),
    ("how many are off sick today", "staffing.absent"),
    ("anyone on annual leave tomorrow at victoria", "staffing.absent"),
    ("who's signed off this week", "staffing.absent"),
    ("is tom in tomorrow", "rota.person"),
    ("when's priya working next", "rota.person"),
    ("what shifts has david got next week", "rota.person"),
    ("is jennifer ross on nights this week", "rota.person"),
    ("has my hol been approved yet", "leave.mine"),
    ("did my leave go thru", "leave.mine"),
    ("any news on my holiday request?", "leave.mine"),
    ("what holidays have i got", "leave.mine"),
    ("is my AL for feb sorted", "leave.mine"),
    ("cancel my hols pls", "leave.cancel"),
    ("dont need the 27th off anymore", "leave.cancel"),
    ("can u cancel my leave next week", "leave.cancel"),
    ("i want to cancel my holiday on the 3rd of march", "leave.cancel"),
    ("sorry cant do tomorrow now after all", "ot.withdraw"),
    ("i need to pull out of saturday, kids are sick", "ot.withdraw"),
    ("can't make OT88 anymore, sorry", "ot.withdraw"),
    ("soz something's come up cant do the night shift friday now", "ot.withdraw"),
    ("any ot going?", "ot.available"),
    ("is there any overtime at hawthorn this weekend", "ot.available"),
    ("any extra hours going next week", "ot.available"),
    ("can i pick up the sunday late at meadowburn", "ot.available"),
    ("i'll do the friday night", "ot.available"),
    ("dashboard pls", "dash.link"),
    ("can i get a link to my stats", "dash.link"),
    ("link to the dash?", "dash.link"),
    ("publish the draft rota for victoria", "rota.publish"),
    ("go live with draft 7", "rota.publish"),
    ("looks good, publish it", "rota.publish"),
    ("agency booked for tonight at riverside", "agency.book"),
    ("we got an agency hca for sat early", "agency.book"),
    ("booked agency cover for OT 19", "agency.book"),
    ("approve the swap for tom", "swap.approve"),
    ("swap 12 approved", "swap.approve"),
    ("reject swap 9 - not enough cover", "swap.deny"),
    ("no to the swap, we're short that day", "swap.deny"),
    ("i can do weekends now", "ot.preferences"),
    ("i can do earlies", "ot.preferences"),
    ("i dont do weekends anymore", "ot.preferences"),
    ("no more lates for me", "ot.preferences"),
    ("just riverside and hawthorn please", "ot.preferences"),
    ("i can do nights again", "ot.optin"),
    ("can priya have friday off", "leave.request"),
    ("book jennifer off 2nd-6th march", "leave.request"),
    ("i need a week off from the 16th", "leave.request"),
    ("could i have 3 days off in march", "leave.request"),
    ("thanks!", "unknown"),
    ("ta very much", "unknown"),
    ("ok cool", "unknown"),
    ("👍👍", "unknown"),
    ("hawthorn", "unknown"),
    ("nurse", "unknown"),
    ("the sunday one", "unknown"),
    ("friday?", "unknown"),
    ("YES 42", "ot.accept"),
    ("no sorry", "ot.decline"),
    ("I'm off sick", "sickness.report"),
    ("off sick today sorry", "sickness.report"),
    ("can I have my holiday cancelled", "leave.cancel"),
    ("swap", "swap.request"),
    ("Sarah wants to swap with me", "swap.request"),
    ("when do I work next", "rota.mine"),
    ("when is my next shift", "rota.mine"),
    ("is Grant working tomorrow", "rota.person"),
    ("I can't do Friday", "ot.decline"),
    ("no I can't do Friday", "ot.decline"),
    ("sorry can't do tonight", "ot.decline"),
    ("how much did we spend on agency this month", "unknown"),
    ("any news on OT42?", "ot.status"),
    ("who is on tomorrow", "staffing.on_shift"),
    ("who's working tomorrow at hawthorn", "staffing.on_shift"),
    ("who's short tomorrow", "staffing.gaps"),
    ("I can't do nights any more", "ot.preferences"),
    ("can't do nights now", "ot.preferences"),
    ("find an RN for Friday night at Victoria Gardens", "ot.request"),
    ("cancel OT12", "ot.cancel"),
    ("approve leave 88", "leave.approve"),
    ("how much leave have I got left", "leave.balance"),
    ("leave requests to review", "leave.pending"),
    ("what's my holiday balance", "leave.balance"),
    ("can I book annual leave 9th-13th February?", "leave.request"),
    ("who has asked for leave", "leave.pending"),
    ("any holiday requests waiting?", "leave.pending"),
    ("is there anyone off sick tomorrow", "staffing.absent"),
    ("yes I can do the friday night", "ot.accept"),
    ("I'll do it", "ot.accept"),
    ("yes please", "ot.accept"),
    ("I'll take it", "ot.accept"),
    ("happy to pick up nights at Meadowburn", "ot.optin"),
    ("add me to the overtime list", "ot.optin"),
    ("no more overtime thanks", "ot.optout"),
    ("stop", "unknown"),
    ("STOP", "unknown"),
    ("help", "help"),
    ("I can do the 22nd", "ot.accept"),
    ("can u send me my rota", "rota.mine"),
]


@pytest.fixture(scope="module")
def parser():
    return get_parser(CATALOG)


@pytest.mark.parametrize("text, intent", CASES, ids=[c[0] for c in CASES])
def test_unseen_phrasing(parser, text: str, intent: str) -> None:
    assert parser.parse(text, TODAY).intent == intent
