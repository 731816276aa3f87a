"""Warning signs: the named list by what to do, and a reader of what people type that fails safe.

Pure (no clock, no I/O). Clinical practice asks about warning signs rather than reading them from
free text, and so does the app (`start` asks, `check` records the answers); reading what people
type is a second net. The app cannot judge a symptom: it notices that what was logged matches a
listed sign and says, calmly, what to do about that sign. Words it cannot read are never good
news: the answer to them names the emergency and urgent signs first (`render.signs_answer`).

The levels follow the guidance: call the emergency number now, go to an emergency department
now, see a doctor within a day or two, see a doctor or physical therapist soon, and the skin signs
of an ice or heat session. The reader errs towards silence on everyday sentences ("fell asleep with
the ice pack on", "no fever") and towards the listed signs said in ordinary words, misspelled, or
by a carer for someone else ("my husband cant feel his bum on the toilet"). Patterns are whole
words and phrases; a negation earlier in the same clause ("no", "not", "without", "don't"...)
cancels a match, and a sign said to be over ("gone now") cancels a see-soon or skin reading, never
a more serious one.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Literal

from therapy_timer.named_tuple import NamedTuple

Level = Literal["emergency", "urgent", "doctor", "see-soon", "skin"]
NAMED_PREFIX = "[sign: "
DEFAULT_EMERGENCY_NUMBER = "112 / 999 / 911"
"""The advice's emergency number unless `[advice] emergency_number` says another: a locale is no
safe guide (many machines outside the US run en_US)."""
NUMBER = "{number}"


class Sign(NamedTuple):
    name: str
    level: Level
    label: str  # what the sign is, in a few plain words
    advice: str  # what to do, in one short sentence (an emergency sign's holds NUMBER)


EMERGENCY_ADVICE = f"Call the emergency number now ({NUMBER}): this needs help at once, not the plan."
URGENT_ADVICE = "Go to an emergency department now; do not wait for an appointment or for the plan."
DOCTOR_ADVICE = "See a doctor within a day or two, and tell them about this."
SOON_ADVICE = "Arrange for a doctor or physical therapist to look at your back in the next few days."
LEVEL_ADVICE: dict[Level, str] = {
    "emergency": EMERGENCY_ADVICE,
    "urgent": URGENT_ADVICE,
    "doctor": DOCTOR_ADVICE,
    "see-soon": SOON_ADVICE,
    "skin": "Stop that treatment on that spot and let the skin recover; get a blister or broken skin seen.",
}

SIGNS: tuple[Sign, ...] = (
    Sign("chest-pain", "emergency", "chest pain, tightness or pressure along with the back pain", EMERGENCY_ADVICE),
    Sign("breathless", "emergency", "sudden breathlessness", EMERGENCY_ADVICE),
    Sign("tearing", "emergency", "a sudden tearing or ripping pain through to the back or belly", EMERGENCY_ADVICE),
    Sign("collapse", "emergency", "fainting or collapsing", EMERGENCY_ADVICE),
    Sign("confused-fever", "emergency", "sudden confusion with a fever", EMERGENCY_ADVICE),
    Sign(
        "saddle",
        "urgent",
        "numbness or pins and needles between the legs, around the bottom or inner thighs (the toilet paper "
        "feels different), or new loss of sexual feeling",
        URGENT_ADVICE,
    ),
    Sign(
        "bladder-bowel",
        "urgent",
        "new trouble passing urine (straining, a weak stream, none for hours), leaking, losing control of "
        "the bowels, or not feeling the need to go",
        URGENT_ADVICE,
    ),
    Sign(
        "leg-weakness",
        "urgent",
        "a leg getting weaker, a foot that drags or slaps, legs giving way, or numbness in both legs or spreading",
        URGENT_ADVICE,
    ),
    Sign("fever", "urgent", "fever or chills along with the back pain", URGENT_ADVICE),
    Sign("trauma", "urgent", "the pain started after a serious fall, a car crash or a sports accident", URGENT_ADVICE),
    Sign(
        "red-flag",
        "doctor",
        "a history of cancer, weight loss you cannot explain, or pain that is constant or worse at night",
        DOCTOR_ADVICE,
    ),
    Sign(
        "bones",
        "doctor",
        "long-term steroid tablets or osteoporosis, with new back pain after even a small fall or strain",
        DOCTOR_ADVICE,
    ),
    Sign(
        "immune",
        "doctor",
        "a weakened immune system (chemotherapy, transplant medicines, HIV), injecting drugs, or a recent infection",
        DOCTOR_ADVICE,
    ),
    Sign("first-past-50", "doctor", "a first bout of severe back pain past about 50 (or under 20)", DOCTOR_ADVICE),
    Sign("upper-back", "doctor", "pain high in the back, between the shoulder blades", DOCTOR_ADVICE),
    Sign("nerve", "see-soon", "tingling, burning or numbness in the back or spreading into one leg", SOON_ADVICE),
    Sign("radiating", "see-soon", "pain that runs down a leg, below the knee", SOON_ADVICE),
    Sign(
        "no-better",
        "see-soon",
        "no better after a week or two, worse rather than better after the first days, painkillers that do not "
        "touch it, or bouts that keep coming back",
        SOON_ADVICE,
    ),
    Sign(
        "heat-burn",
        "skin",
        "a burn from the heat: blisters, peeling or broken skin, redness that lasts over an hour, or brown "
        "blotchy marks",
        "Stop using heat on that spot now and let the skin recover. Get blisters or broken skin seen by a doctor.",
    ),
    Sign(
        "ice-injury",
        "skin",
        "skin hurt by the ice: white, grey, purple or mottled, hard or waxy, slow to warm, numb for long, or blistered",
        "Stop the ice on that spot now and let the skin warm up on its own. Get blisters, or skin that stays "
        "white, hard or numb, seen by a doctor.",
    ),
)
BY_NAME = {sign.name: sign for sign in SIGNS}
ORDER: dict[Level, int] = {"emergency": 0, "urgent": 1, "doctor": 2, "see-soon": 3, "skin": 4}
SERIOUS: frozenset[Level] = frozenset({"emergency", "urgent"})
"""The levels that need help at once: never cancelled by "gone now", asked about at the start."""


class Question(NamedTuple):
    """One screening question: a "yes" means one (or more) of `signs`."""

    ask: str
    signs: tuple[str, ...]


SCREENING: tuple[Question, ...] = (
    Question(
        "Chest pain or pressure, sudden breathlessness, a tearing pain through to your back or belly, "
        "fainting, or sudden confusion with a fever?",
        ("chest-pain", "breathless", "tearing", "collapse", "confused-fever"),
    ),
    Question(
        "Numbness or pins and needles between your legs or around your bottom (wiping feels different), "
        "or new trouble passing or holding urine or stool?",
        ("saddle", "bladder-bowel"),
    ),
    Question("A leg getting weaker, a foot that drags, or numbness in both legs?", ("leg-weakness",)),
    Question("A fever or chills, or did the pain start with a serious fall or an accident?", ("fever", "trauma")),
    Question(
        "Cancer in the past, weight loss you cannot explain, steroid tablets or osteoporosis, a weakened "
        "immune system, or is this your first bad back past about 50?",
        ("red-flag", "bones", "immune", "first-past-50"),
    ),
)
"""The questions `start` asks once per injury, and `check` any time: each a key press."""
CHECK_NONE = "none"
"""The text of a `CHECK` event (a check's answer) when no sign was said yes to; else the signs' names."""


def check_text(answered: list[Sign]) -> str:
    """What a check records: "none", or the signs' names."""
    return " ".join(sign.name for sign in answered) or CHECK_NONE


def advice(sign: Sign, number: str = DEFAULT_EMERGENCY_NUMBER) -> str:
    """What to do about `sign`, with the emergency number in effect (`[advice] emergency_number`)."""
    return sign.advice.replace(NUMBER, number or DEFAULT_EMERGENCY_NUMBER)


def level_advice(level: Level, number: str = DEFAULT_EMERGENCY_NUMBER) -> str:
    """What to do about any sign of `level`, with the emergency number in effect."""
    return LEVEL_ADVICE[level].replace(NUMBER, number or DEFAULT_EMERGENCY_NUMBER)


# Words ----------------------------------------------------------------------------------------------

_CANT = (
    r"(?:can'?t|cannot|can not|couldn'?t|could not|unable to|not able to|cannae|canna|couldnae|"
    r"(?:haven'?t|hasn'?t|have not|has not) been able to)"
)
_NUMB = (
    r"(?:numb\w*|no (?:feeling|sensation)|(?:lost|loss of) (?:all )?(?:the )?(?:feeling|sensation)|"
    r"(?:can'?t|cannot|can not|couldn'?t|cannae) feel(?: anything| a thing)?|dead)"
)
_GAP = r"(?:(?!\b(?:not|no|nae|nothing|never|isn'?t|wasn'?t|didn'?t|doesn'?t|hasn'?t)\b)[^.;!?])"
"""Any character of the same sentence, where no negation begins: "groin feels normal, not numb"."""
_PINS = r"(?<!on )pins? (?:and|an|n|&|'n'?) need\w*"
_BURN = (
    r"(?!burning hot\b)(?:burn\w*|sunburn\w*|blist\w*|scald\w*|raw|weeping|broken skin|bubbl\w*|peel\w*|"
    r"toasted|(?:brown|dark) (?:\w+ )?(?:marks?|patch\w*|blotch\w*|spots?)|blotch\w*|mottled brown|brown mottl\w*|"
    r"lacy|(?:skin|skin's|skin is)\b[^.;!?]{0,10}\bcrack\w*|"
    r"skin broke|skin (?:is |has )?(?:broken|come off|peeled off))"
)
"""A burn in the words people use ("blistr", "skin has come off"), but not the weather's "burning hot"."""
_SADDLE = (
    r"(?:groin|crotch|between (?:my|the|his|her|their) legs|inner (?:part of (?:my |the |both )?)?thighs?|"
    r"insides? of (?:my |the |both )?thighs|buttocks?|bum(?: cheeks)?|butt(?: cheeks)?|(?:my|his|her|their) bottom|backside|genitals?|"
    r"private (?:parts|area|bits)|privates|intimate area|down there|down below|doon below|saddle(?: area)?|perineum|vagina|vulva|penis|"
    r"scrotum|testicles|around (?:my|his|her|the) (?:bottom|anus|back passage)|back passage)"
)
_LEG = r"(?:legs?|foot|feet|knees?|ankles?)"
_SELF = r"(?:myself|meself|my ?self|himself|herself|themselves|themself|the bed)"
_CHEST = r"(?:chest|breast ?bone|sternum)"
_BREATH = (
    r"(?:breathless\w*|short(?:ness)? of breath|(?:can'?t|cannot|can not|couldn'?t|could not|unable to) "
    r"(?:breathe?|breath|get (?:my |a )?breath|catch (?:my |his |her |their )?breath)|(?:struggl\w*|fight\w*|gasp\w*|hard|difficult\w*|trouble) "
    r"(?:to |for |with |breathing)?(?:breathe?|breath|air)|breathing (?:went |got |is |has )?(?:\w+ )?"
    r"(?:bad|hard|difficult|funny|fast|gone)|lips? (?:\w+ )?(?:are |look |looks |gone |going |went )?(?:\w+ )?blue)"
)
_FAINT = (
    r"(?<!nearly )(?<!almost )(?:faint(?:ed|s)|fainting|passed out|pass(?:es|ing)? out|blacked out|black(?:ed|s|ing)? out|keeled over|"
    r"came (?:round|to)\b[^.;!?]{0,20}\bfloor|lost consciousness|unconscious|unresponsive|"
    r"(?<!legs )(?<!leg )(?<!knees )(?<!knee )(?<!knees just )(?<!legs just )collaps(?:ed|es|ing)(?! under| beneath| on me| when (?:i|he|she) (?:walk|stand))"
    r"(?! (?:onto|into|on to|in|on) (?:the |my |a )?(?:sofa|couch|bed|chair|settee|armchair)))"
)
_CONFUSED = (
    r"(?:confus\w*|disorient\w*|delirious|not making (?:any )?sense|(?:doesn'?t|don'?t|dont|didn'?t) know (?:where|who)|(?:keeps?|kept) asking "
    r"(?:where|what|who)|talking nonsense|not (?:him|her|my)self)"
)
_FEVERISH = r"(?:fever\w*|temperature|temp|feverish|burning up|hot and cold|shiver\w*|chills|3[89](?:[.,]\d)?)"
_URINE = r"(?:urine|pee|wee|urinate|bladder|bowels?|poo|stools?|toilet|loo)"
_HEAT = r"(?:heat\w*|hot[ -]water|hot|bottle|(?:heating )?pad|shower|bath|warm\w*|wheat bag)"
_ICE = r"(?:ice|iced|icing|ice ?packs?|frozen|freezer|cold pack|gel pack|peas)"
_ICE_HARM = (
    r"(?:white|grey\w*|gray\w*|pale|hard|waxy|blister\w*|burn\w*|frost\w*|without feeling|mottled|purple|"
    r"blotch\w*|(?:not|won'?t|wont|isn'?t|doesn'?t) (?:warm\w*|warming) up|slow to warm|"
    r"(?:still|stays?|stayed) numb|numb for (?:hours|ages|long|over an hour))"
)
"""What ice does to skin that is hurt, not what it is meant to do: numbness during a session is its purpose."""
_LASTING = (
    r"(?:for (?:hours|ages|long|over an hour|(?:\d+|two|three|four|several|a few) hours)|hours now|"
    r"since (?:this morning|last night|yesterday)|(?:\d+|two|three|several) hours|this evening|tonight|all day)\b"
)
_WEEK_OR_MORE = (
    r"(?:(?:[7-9]|1\d|2\d|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen) days|(?:a|one|two|three|[1-4]) "
    r"(?:weeks?|wks?)|over a week|weeks|fortnight|day (?:[89]|1\d|2\d)|week (?:two|three|2|3)|"
    r"(?:second|third|fourth) week|week and a half)"
)
_NO_CHANGE = (
    r"(?:no better|not (?:getting )?(?:any )?better|no improvement|not improving|hasn'?t improved|not improved|"
    r"still (?:the )?same|(?:still )?just as bad|no change|no progress|the same as (?:day|the first)|"
    r"if anything (?:it'?s |its )?worse|getting worse|(?:nothing|zero) improve\w*|nothing (?:is )?working|"
    r"hasn'?t got(?:ten)? any better|as bad as ever|where i started|feel the same|same pain level|still stuck|"
    r"still (?:exactly |just )?(?:the )?same|same as ever|nae better|not a bit better|no a bit better|"
    r"(?:still )?as bad as (?:day one|day 1|the first day)|hasn'?t eased|not eased)"
)

# (sign, pattern, says its own negation): a pattern that contains "can't" or "no feeling" is not
# cancelled by that word; every other one is cancelled by a negation before or inside it.
_RULES: tuple[tuple[str, str, bool], ...] = (
    (
        "chest-pain",
        rf"\b{_CHEST}\b(?! infection| of\b| freezer| x-?ray)[^.;!?]{{0,40}}\b(?:pain\w*|hurt\w*|ach\w*|tight\w*|pressure|"
        r"crush\w*|heavy|heaviness|squeez\w*|sitting on it|band)\b",
        False,
    ),
    (
        "chest-pain",
        rf"\b(?:pain\w*|hurt\w*|tight\w*|pressure|crush\w*|heavy|heaviness|squeez\w*|elephant|"
        rf"band)\b[^.;!?]{{0,40}}\b(?:in|on|across|around|of|through|behind) (?:my |the |his |her )?{_CHEST}\b",
        False,
    ),
    ("chest-pain", rf"\b(?:tight|heavy|crushing|painful|sore|aching) {_CHEST}\b|\b(?:heart attack|angina)\b", False),
    (  # sudden, not after the stairs
        "breathless",
        rf"\b{_BREATH}(?![^.;!?]{{0,25}}\b(?:after|from|climbing|walking up|going up) (?:the |my |a )?(?:stairs|walk\w*|"
        r"run\w*|climb\w*|exercise|gym|hill))",
        True,
    ),
    (
        "breathless",
        r"\b(?:sudden\w*|all of a sudden|out of nowhere)\b[^.;!?]{0,30}\bout of breath\b|"
        r"\bout of breath\b[^.;!?]{0,30}\b(?:sudden\w*|out of nowhere|sitting (?:still|down)|at rest|resting)\b",
        False,
    ),
    (
        "tearing",
        r"\b(?:tearing|ripping|rip(?:ped|s)?|tore|torn|tear(?:s)?)\b(?! (?:up|a muscle|my (?:\w+ )?muscle|"
        r"(?:a |my )?(?:ligament|tendon|hamstring|calf|disc|meniscus)))[^.;!?]{0,50}\b(?:through|belly|stomach|tummy|"
        r"abdom\w*|gut|chest|aneurysm|shoulder ?blades)\b",
        False,
    ),
    (  # sudden, or the worst ever: not the "something tore when I lifted it" of a strained muscle
        "tearing",
        r"\b(?:sudden\w*|all of a sudden|out of nowhere)\b[^.;!?]{0,30}\b(?:tearing|ripping)\b|\b(?:tearing|ripping)\b"
        r"[^.;!?]{0,50}\bworst (?:pain )?(?:of my life|ever|i'?ve ever)",
        False,
    ),
    (
        "tearing",
        r"\b(?:belly|stomach|tummy|abdom\w*|chest)\b[^.;!?]{0,40}\b(?:tearing|ripping|rip|tore|torn|tear)\b",
        False,
    ),
    (
        "tearing",
        r"\b(?:aneurysm|aortic|aorta)\b[^.;!?]{0,80}\b(?:pain|sudden\w*|tear\w*|rip\w*)\b|"
        r"\b(?:pain|sudden\w*)\b[^.;!?]{0,60}\b(?:aneurysm|aort\w*)\b",
        False,
    ),
    ("collapse", rf"\b{_FAINT}\b", False),
    ("collapse", r"\bwent (?:grey|gray|white)\b[^.;!?]{0,20}\b(?:and|then) (?:fell|dropped|went down)\b", False),
    ("confused-fever", rf"\b{_CONFUSED}\b.{{0,100}}\b{_FEVERISH}\b|\b{_FEVERISH}\b.{{0,100}}\b{_CONFUSED}", True),
    ("saddle", rf"\b(?:{_NUMB}|tingl\w*|{_PINS})\b{_GAP}{{0,40}}\b{_SADDLE}\b", True),
    ("saddle", rf"\b{_SADDLE}\b{_GAP}{{0,60}}\b(?:{_NUMB}|tingl\w*|{_PINS})", True),
    (
        "saddle",
        rf"\b(?:{_CANT}|don'?t|doesn'?t) feel\b[^.;!?]{{0,30}}\b(?:when (?:i|he|she|they) (?:wip\w*|pee\w*|go)|(?:toilet )?paper)\b",
        True,
    ),
    ("saddle", r"\bwip(?:e|ed|ing)\b[^.;!?,]{0,30}\bnumb", False),
    (  # new loss of sexual feeling or function
        "saddle",
        r"\b(?:can'?t|cannot|couldn'?t|unable to|no longer|not able to|trouble|problems?) (?:get(?:ting)?|keep\w*|"
        r"hav\w*|maintain\w*) (?:an? )?(?:erection|hard-?on)\b|\berectile\b|\bimpoten\w*|"
        r"\b(?:no|lost|loss of|losing) (?:all )?(?:feeling|sensation)\w*\b[^.;!?]{0,25}\b(?:during|when (?:we )?(?:have|having)) sex\b|"
        r"\b(?:can'?t|cannot|couldn'?t) (?:feel|climax|orgasm)\b[^.;!?]{0,20}\b(?:during )?sex\b",
        True,
    ),
    (  # a carer: "he cant feel his bum when he sits on the toilet"
        "saddle",
        rf"\b(?:{_CANT}|don'?t|doesn'?t|didn'?t) feel (?:his|her|their|my|the)? ?{_SADDLE}\b",
        True,
    ),
    (
        "bladder-bowel",
        rf"\b{_CANT}\b[^.;!?]{{0,20}}\b(?:hold|control|stop|start)\w*\b[^.;!?]{{0,25}}\b{_URINE}\b",
        True,
    ),
    (
        "bladder-bowel",
        rf"\b{_CANT}\b (?:pee|urinate|wee|empty my bladder|go to the toilet|poo|pass (?:urine|water|a stool))\b",
        True,
    ),
    (
        "bladder-bowel",
        r"\b(?:don'?t|dont|can'?t|cant|cannot|no longer) (?:feel|tell|know)\b[^.;!?]{0,20}"
        r"\b(?:(?:need|have) to (?:pee|wee|go|poo)|bladder(?: is full)?)\b",
        True,
    ),
    ("bladder-bowel", r"\btry\w* to (?:pee|wee|urinate)\b[^.;!?]{0,30}\b(?:nothing|won'?t come|can'?t)\b", True),
    ("bladder-bowel", r"\b(?:bowels?|bladder)\b (?:just )?(?:let go|gave way|gave out|emptied)\b", False),
    ("bladder-bowel", r"\b(?:pee|wee|urine|poo)\b[^.;!?]{0,20}\b(?:by itself|on its own)\b", False),
    ("bladder-bowel", r"\b(?:urine|pee|wee|bowels?|stools?|poo)\b[^.;!?]{0,30}\bwithout (?:my |any )?control\b", True),
    ("bladder-bowel", r"\bleak\w* (?:in|into) my (?:pants|trousers|underwear|knickers)\b", False),
    ("bladder-bowel", r"\bdribbl\w* (?:urine|pee|wee)\b", False),
    (
        "bladder-bowel",
        r"\b(?:pee\w*|wee|weeing|urin\w*|stream|flow)\b[^.;!?]{0,20}\b(?:weak|slow|dribbl\w*|trickl\w*|drip\w*|drops?)\b",
        False,
    ),
    (
        "bladder-bowel",
        r"\b(?:poo|pee|wee|urine|stools?|bowels?)\b[^.;!?]{0,25}\bwithout (?:me|him|her|them) (?:knowing|noticing|feeling)\b",
        True,
    ),
    ("bladder-bowel", r"\b(?:pee|wee|urinat\w*|toilet|loo)\b[^.;!?]{0,40}\b(?:only |just )?dribbl\w*", False),
    (
        "bladder-bowel",
        r"\b(?:pee|wee|urine|water|it)\b[^.;!?]{0,10}\b(?:won'?t|wont|will not|doesn'?t|does not|didn'?t|isn'?t) "
        r"(?:come|coming|flow\w*|start)\b",
        True,
    ),
    ("bladder-bowel", r"\bbladder\b[^.;!?]{0,20}\bfull\b[^.;!?]{0,30}\b(?:nothing|can'?t|won'?t|wont|no)\b", True),
    ("bladder-bowel", r"\bstrain\w* (?:to|when i|when trying to) (?:pee|wee|urinate|go|pass)\b", False),
    (
        "bladder-bowel",
        r"\b(?:haven'?t|hasn'?t|have not|has not|havent|hasnt|not|didn'?t|no) (?:peed|weed|had a (?:pee|wee)|"
        r"been (?:for a (?:pee|wee)|able to (?:pee|wee|go))|passed (?:urine|water)|(?:pee|wee|urine))\b[^.;!?]{0,30}\b"
        r"(?:since|all (?:day|night|evening)|for (?:hours|\d+|a day|the whole))",
        True,
    ),
    ("bladder-bowel", rf"\b(?:wet|wetting|peed|peeing|pissed|soiled|pooed|messed) {_SELF}\b(?! laughing)", False),
    (
        "bladder-bowel",
        rf"\b{_CANT} hold (?:it|it in|on|my (?:pee|wee|bladder|bowels?))\b(?! (?:together|still|up))",
        True,
    ),
    ("bladder-bowel", rf"\b(?:toilet|loo|pee|wee)\b[^.;!?]{{0,40}}\b{_CANT} (?:get anything out|go)\b", True),
    ("bladder-bowel", r"\b(?:pee|wee|urinate)\b[^.;!?]{0,15}\bnothing (?:comes?|came|will come) out\b", True),
    ("bladder-bowel", r"\b(?:lost|losing|no) control (?:of|over) (?:my )?(?:bladder|bowels?)\b", True),
    (
        "bladder-bowel",
        r"\b(?:wet|peed|pissed|soiled|pooed|messed) (?:myself|meself|my ?self|the bed|"
        r"my (?:pants|trousers|underwear|knickers))\b(?! laughing)",
        False,
    ),
    (
        "bladder-bowel",
        r"\b(?:bed ?wetting|incontinen\w*|leak\w* (?:some |a bit of )?(?:urine|pee|wee|poo)|leaking (?:when|if))\b",
        False,
    ),
    ("bladder-bowel", r"\b(?:didn'?t|did not) (?:make it|get) to the (?:toilet|bathroom|loo)\b", True),
    (
        "bladder-bowel",
        r"\bhad an? accidents? (?:in|on|with) (?:bed|my (?:pants|trousers|underwear|sleep|bowels?|bladder))\b",
        False,
    ),
    (
        "bladder-bowel",
        r"\b(?:trouble|problems?|difficulty) (?:peeing|urinating|holding (?:my )?(?:urine|wee|pee|bladder))\b",
        False,
    ),
    ("leg-weakness", r"\b(?:foot|feet|leg|legs|toes?)\b[^.;!?]{0,20}\b(?:dragg\w*|drags?|flopp\w*|slapp\w*)\b", False),
    (
        "leg-weakness",
        r"\btrip\w* (?:up )?(?:over|on) (?:my |his |her )?(?:own )?(?:left |right )?(?:foot|feet|toes?)\b",
        False,
    ),
    (  # numbness in both legs
        "leg-weakness",
        r"\b(?:both|my two|the two) (?:legs|feet|thighs|calves)\b[^.;!?]{0,30}\b(?:numb\w*|tingl\w*|pins|no feeling|dead)"
        r"|\b(?:numb\w*|tingl\w*|pins and needles|no feeling)\b[^.;!?]{0,30}\bboth (?:my |his |her )?(?:legs|feet|thighs|calves|sides)\b"
        r"|\b(?:legs|feet)\b (?:are |is |have |has |both |gone |going |went |feel |felt )*(?:numb|dead)\b",
        False,
    ),
    (  # numbness that spreads, or reaches the other leg
        "leg-weakness",
        r"\b(?:numb\w*|tingl\w*|pins and needles)\b[^.;!?]{0,40}\b(?:spread\w*|mov\w*|creep\w*|climb\w*|going|getting|gone) "
        r"(?:further|higher|up|more|across|to (?:the |my )?other|to both)\b|\b(?:numb\w*|tingl\w*|pins and needles)\b"
        r"[^.;!?]{0,40}\bspread\w*\b[^.;!?]{0,40}\b(?:every|each|by the) (?:hour|day)\b"
        r"|\b(?:numb\w*|tingl\w*)\b[^.;!?]{0,20}\b(?:getting|growing) (?:bigger|wider|worse)\b"
        r"|\b(?:numb\w*|tingl\w*|pins and needles)\b[^.;!?]{0,60}\b(?:other|second) (?:leg|foot)\b"
        r"|\b(?:numb\w*|tingl\w*|pins and needles)\b.{0,60}\bnow (?:my |his |her )?(?:right|left|other) (?:leg|foot)\b",
        False,
    ),
    (
        "leg-weakness",
        rf"\b{_LEG}\b[^.;!?]{{0,25}}\b(?:going|go|goes|went|gone) (?:away |out )?(?:from )?under (?:me|him|her)\b",
        True,
    ),
    (
        "leg-weakness",
        rf"\b{_LEG}\b(?! (?:went|go|goes|going) weak)[^.;!?]{{0,25}}\b(?:weak\w*|giv\w* (?:way|out)|gave (?:way|out)|"
        r"buckl\w*|heavy|clumsy|collaps\w*|(?:like )?jelly)\b(?! from (?:lying|sitting|resting|walking|the walk|the gym))",
        False,
    ),
    (
        "leg-weakness",
        rf"\b{_LEG}\b[^.;!?]{{0,40}}\b(?:won'?t|wouldn'?t|can'?t|wont|cant) (?:hold|carry|support) me\b",
        True,
    ),
    ("leg-weakness", rf"\b{_LEG}\b[^.;!?]{{0,10}}\b(?:won'?t|wont|doesn'?t) do what i (?:tell|want)\b", True),
    (
        "leg-weakness",
        rf"\b{_LEG}\b[^.;!?]{{0,30}}\b(?:(?:feels?|is|going|gone) week|(?:went|gone|goes) (?:out )?from under me|"
        r"no (?:strength|power)|not having any power|(?:didn'?t|did not) hold me|dragging it)\b",
        True,
    ),
    ("leg-weakness", rf"\b{_CANT} push off\b", True),
    ("leg-weakness", r"\b(?:foot\b[^.;!?]{0,15}\bslap\w*|foot drops|toes? (?:catch|catches|catching|drags?))\b", False),
    ("leg-weakness", rf"\b(?<!went )(?:weak\w*|heavy|clumsy)\b(?! at the knees?)[^.;!?]{{0,15}}\b{_LEG}\b", False),
    (
        "leg-weakness",
        r"\b(?:foot ?drop|drop foot|(?:foot|leg) drags?|dragging (?:my )?(?:foot|leg)|foot (?:slaps|slapping)|"
        r"(?:keep|kept|keeps) (?:tripping|stumbling|falling over))\b",
        False,
    ),
    ("leg-weakness", rf"\b{_CANT} (?:lift|raise|move|bend) (?:my )?(?:left |right )?(?:foot|leg|toes|ankle)\b", True),
    ("leg-weakness", rf"\b{_LEG}\b[^.;!?]{{0,30}}\b{_CANT} (?:pull|lift) (?:it|them|my (?:foot|toes)) up\b", True),
    ("leg-weakness", rf"\b{_CANT} (?:stand|walk) on (?:my )?(?:toes|heels|tip ?toes?)\b", True),
    (
        "fever",
        r"\b(?<!cabin )(?<!spring )(?<!football )(?<!gave me )(?<!gave me the )(?<!gives me )(?<!gives me the )(?:fever|fevers|feverish|febrile|chills|the shivers|shivery|"
        r"high temperature|(?:running|have|got) a temperature|temperature of \d\d|night sweats)\b"
        r"(?! (?:watching|listening|reading|down my spine))",
        False,
    ),
    (
        "fever",
        r"\b(?:boiling|burning|roasting) (?:hot )?(?:then|and) (?:freezing|shivering|cold)\b|\bhot and cold sweats\b|"
        r"\brigou?rs\b|\bhot and shiver\w*|\b(?:sweat\w* and shiver\w*|shiver\w* and sweat\w*)\b",
        False,
    ),
    (  # a temperature on its own: 38.6, 38,6 C, 39 degrees, 102F (not the weather: "39 degrees in Brisbane")
        "fever",
        r"(?<![\d.,/])(?<!water )(?<!bath )(?<!weather )(?<!outside )(?<!oven )(?<!room )(?<!is )"
        r"(?:(?:3[89]|4[01])[.,]\d|(?:3[89]|4[01]) ?(?:°|degrees?|c\b)|10[0-6](?:[.,]\d)? ?(?:°|degrees?)? ?f\b|10[0-6][.,]\d ?(?:°|degrees?))"
        r"(?![\d/])(?![^.;!?]{0,25}\b(?:outside|out there|in [a-z]+|today in|weather|bath|water|oven|room)\b)",
        False,
    ),
    (  # a temperature written as a number: 38 to 41.9 degrees Celsius, 100.4 to 106 Fahrenheit
        "fever",
        r"\b(?:temp\w*|thermometer|fever)\b[^.;!?]{0,25}?"
        r"(?<![\d.])(?:3[89](?:[.,]\d)?|4[01](?:[.,]\d)?|10[0-6](?:[.,]\d)?) ?(?:°|degrees?)? ?[cf]?\b",
        False,
    ),
    (
        "trauma",
        r"\b(?:fell|fallen|fall|slipped|tripped|came off|thrown)\b(?! asleep)[^.;!?]{0,25}\b(?:down|off|from|on(?:to)?)\b[^.;!?]{0,20}\b(?:stairs|steps|ladder|roof|ice|bike|horse|height|scaffold\w*|wall|trampoline)\b",
        False,
    ),
    (
        "trauma",
        r"\b(?:(?:car|road|traffic|bike|cycling|motorbike|motorcycle|ski|skiing|work|sports?|rta) "
        r"(?:accident|crash|collision|pile-?up)|(?:had|in|since|after|from|during) (?:a|an|the|my) (?:\w+ )?"
        r"(?:accident|crash|collision|pile-?up)|collision)\b(?! (?:in|with) (?:bed|my))",
        False,
    ),
    (
        "trauma",
        r"\b(?:came|fell|thrown|knocked) off (?:my |the |a )?(?:bike|horse|motorbike|scooter|ladder|roof)\b",
        False,
    ),
    (
        "trauma",
        r"\b(?:rear[- ]?ended|(?:hit|knocked (?:down|over)|run over) by (?:a |the )?(?:car|bus|truck|lorry|van|bike|cyclist)|"
        r"knocked (?:off|down)|bad fall|hard fall|serious fall|nasty fall|met with (?:an|a) accident|came a cropper)\b",
        False,
    ),
    (
        "radiating",
        r"\b(?:shoot\w*|radiat\w*|run\w*|ran|travel\w*|go|goes|going|went|coming|comes|spread\w*|moves?)\b[^.;!?]{0,40}"
        r"\b(?:down|doon|into|till|until|to)\b[^.;!?]{0,20}\b(?:leg|legs|thigh|calf|calves|foot|shin|knee|toes?|ankle|heel)\b",
        False,
    ),
    ("radiating", r"\b(?:below|past|under) (?:my |the )?knee\b|\bsciatica\b|\bsciatic\b", False),
    (  # the path of the pain: from the back or hip to below the knee, or felt low and traced to the back
        "radiating",
        r"\bfrom (?:my |the )?(?:lower back|back|hip|buttock|bum)\b[^.;!?]{0,30}\bto (?:my |the )?"
        r"(?:calf|calves|foot|feet|heel|ankle|toes?|shin)\b|\b(?:calf|shin|foot|ankle|heel)\b[^.;!?]{0,40}"
        r"\b(?:comes?|coming|seems to come) from (?:my |the )?(?:lower )?back\b",
        False,
    ),
    (  # the calf and the back together: one pain along the nerve
        "radiating",
        r"\b(?:calf|calves|shin|ankle|heel)\b[^.;!?]{0,30}\b(?:and|with|plus|\+) (?:my |the |in my )?(?:lower )?back\b|"
        r"\bback\b[^.;!?]{0,15}\b(?:and|with|plus|\+) (?:my |the |in my )?(?:calf|calves|shin|ankle|heel)\b",
        False,
    ),
    (
        "radiating",
        r"\bdown (?:the (?:back|front|outside|inside|side) of )?(?:my|the) (?:left |right )?(?:leg|thigh|calf)\b",
        False,
    ),
    (  # weight lost without meaning to (dieting on purpose is not the sign)
        "red-flag",
        r"\b(?:(?:lost|losing|dropped) (?:a lot of |so much |some |loads of )?weight|weight loss|"
        r"(?:lost|losing|dropped) (?:about |around |nearly |almost |over |maybe )?(?:(?:\d+(?:[.,]\d)?|one|two|three|"
        r"four|five|six|seven|eight|nine|ten|a few|several) ?(?:kg|kgs|kilos?|lbs?|pounds|stone)|a stone|half a stone)|"
        r"(?:dropped|lost|gone down) (?:a|one|two) (?:dress |clothes |trouser )?sizes?|"
        r"weight (?:is )?(?:dropping|falling) off)\b"
        r"(?![^.;!?]{0,60}\b(?:(?<!not )(?<!not on )(?:on |started |starting )?(?:a|my) diet|(?<!not )(?<!without )dieting|"
        r"on purpose|slimming)\b)",
        False,
    ),
    (  # the person's own cancer, not a charity shop or someone else's
        "red-flag",
        r"(?:(?:^|\bi(?:'ve| ve|ve| have)? )(?:had|have) |\bhistory of |\btreated for |\btreatment for |\bmy )"
        r"(?:\w+ )?(?:cancer|lymphoma|leuka?emia|myeloma|melanoma|sarcoma)\b|"
        r"\bcancer (?:survivor|patient)\b|\btumou?r\b|\bchemo(?:therapy)?\b",
        False,
    ),
    (  # night pain, unless the same sentence says something eases it
        "red-flag",
        r"\b(?:(?:worse|worst) (?:at|in the) night|night pain|pain wakes me)\b"
        r"(?![^.!?]{0,60}\b(?:fine|better|easier|ok|okay|eases?|settles?) (?:with|if|when|once|after)\b)",
        False,
    ),
    (  # at night, and rest does not ease it
        "red-flag",
        r"\bnights?\b.{0,100}\b(?:rest|resting|lying still|lie still)\b[^.;!?]{0,15}\b(?:does nothing|doesn'?t "
        r"(?:help|touch it|ease it)|makes no difference)|\b(?:rest|resting)\b[^.;!?]{0,15}\b(?:does nothing|"
        r"doesn'?t (?:help|touch it|ease it)|makes no difference)\b.{0,60}\bnights?\b",
        True,
    ),
    (  # someone's cancer, typed by them or by a carer, with the back pain
        "red-flag",
        r"\b(?:had|has|have|having|with|after|survived|beat)\b[^.;!?]{0,20}\b(?:cancer|lymphoma|leuka?emia|myeloma|"
        r"melanoma|sarcoma)\b[^.;!?]{0,60}\b(?:back|pain|hurts?|aches?)\b",
        False,
    ),
    (  # constant pain, worse at night or lying down
        "red-flag",
        r"\b(?:pain|it|back)\b[^.;!?]{0,20}\b(?:constant|all the time|never (?:stops|lets up|eases))\b[^.;!?]{0,40}"
        r"\b(?:night|bed|lying)\b|\bnight\b[^.;!?]{0,60}\b(?:pain|it) is (?:just |always )?constant\b",
        False,
    ),
    (
        "bones",
        r"\b(?:osteopor\w*|osteopenia|brittle bones|(?:(?:long[- ]term|daily|years of|on) )?(?:steroid|prednisolone|"
        r"prednisone)s?\b(?! (?:cream|spray|inhaler|injection)))",
        False,
    ),
    (
        "immune",
        r"\b(?:immun\w*(?: system)?\b[^.;!?]{0,15}\b(?:suppress\w*|weak\w*|compromis\w*|low|poor)|immunosuppress\w*|"
        r"immunocompromis\w*|transplant|hiv|(?:inject\w*|iv|intravenous) (?:drugs|heroin)|(?:i|he|she) injects?\b|"
        r"(?:had|have|got|recent|recently had|getting over) (?:a |an )?(?:uti|urine infection|kidney infection|"
        r"chest infection|infection|abscess|sepsis)\b)",
        False,
    ),
    (  # a first bad back past about 50: the age, and "first" in the same line
        "first-past-50",
        r"(?<![\d.])(?:[5-9]\d|1[01]\d)(?![\d.%/])(?! ?(?:kg|lb|lbs|min|mins|minutes|degrees|°|%|mg|pounds))\b"
        r".{0,80}\b(?:first\b[^.;!?]{0,30}\b(?:back|pain|spasm|episode|attack|like this|this bad)|never (?:had|before))"
        r"\b|\b(?:first\b[^.;!?]{0,30}\b(?:back|pain|spasm|episode|attack)|never had)\b.{0,80}\b(?:i'?m|i am|aged?|"
        r"he'?s|she'?s|"
        r"is|at) (?:[5-9]\d|1[01]\d)\b",
        True,
    ),
    (
        "upper-back",
        r"\bbetween (?:my |the |his |her )?shoulder ?blades\b|\bshoulder ?blades?\b[^.;!?]{0,20}\bpain\b",
        False,
    ),
    (  # painkillers that do not touch it
        "no-better",
        r"\b(?:pain ?kil+\w*|paink\w*|ibuprofen|paracetamol|tablets|pills|meds|medication|co-?codamol|codeine|"
        r"naproxen|tramadol)\b[^.;!?]{0,40}\b(?:not (?:working|helping|touching)|don'?t (?:work|help|touch)|"
        r"doesn'?t (?:work|help|touch)|do nothing|does nothing|nothing|no (?:use|help|effect|difference)|useless)\b|"
        r"\bnothing (?:touches|helps|works|is working)\b",
        True,
    ),
    (  # worse rather than better after the first days
        "no-better",
        r"\b(?:worse (?:and worse|every day|each day|by the day|day by day|not better|rather than better)|worse\b"
        r"[^.;!?]{0,15}\bthan (?:on )?(?:day (?:1|one)|the first day|yesterday|at the start|when it started)|getting worse (?:every|each) day|"
        r"(?:getting|got) worse since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|day))\b",
        True,
    ),
    (  # bouts that keep coming back
        "no-better",
        r"\b(?:\d+(?:st|nd|rd|th)|third|fourth|fifth|sixth|several|so many) time\b[^.;!?]{0,20}\b(?:this|in)\b|"
        r"\bkeeps? (?:coming back|happening|going out)\b",
        False,
    ),
    ("no-better", r"\b(?:no|not any|not (?:getting )?(?:any )?) ?better\b[^.;!?]{0,30}\b(?:weeks?|fortnight)\b", True),
    (  # a week or more of this, and no change: "10 days, still the same", "2 wks, if anything worse"
        "no-better",
        rf"\b{_WEEK_OR_MORE}\b[^;!?]{{0,60}}\b{_NO_CHANGE}|\b{_NO_CHANGE}[^;!?]{{0,30}}\b{_WEEK_OR_MORE}\b",
        True,
    ),
    (
        "no-better",
        r"\b(?:weeks?|fortnight)\b[^.;!?]{0,30}\b(?:no better|not (?:getting )?(?:any )?better|no improvement|hasn'?t improved|not improved)\b",
        True,
    ),
    ("heat-burn", rf"\b{_BURN}\b{_GAP}{{0,60}}\b{_HEAT}\b", True),
    ("heat-burn", rf"\b{_HEAT}\b{_GAP}{{0,60}}\b{_BURN}\b", True),
    ("heat-burn", rf"\bstill (?:\w+ )?red\b[^.;!?]{{0,30}}\b(?:hours?|{_HEAT})\b", False),
    (
        "heat-burn",
        r"\b(?:red|redness)\b[^.;!?]{0,40}\b(?:hasn'?t|won'?t|isn'?t|not|didn'?t|still|hours)\b[^.;!?]{0,20}\b(?:fad\w*|gone|go\w* (?:away|down)|there)\b",
        True,
    ),
    (
        "ice-injury",
        rf"\b{_ICE_HARM}\b{_GAP}{{0,60}}\b{_ICE}\b",
        True,
    ),
    (
        "ice-injury",
        rf"\b{_ICE}\b{_GAP}{{0,60}}\b{_ICE_HARM}\b",
        True,
    ),
    (  # skin that the cold has hurt, said without naming the ice
        "ice-injury",
        r"\b(?:skin|patch|spot|area)\b[^.;!?]{0,25}\b(?:turn\w*|gone|went|is|looks?|go\w*) (?:\w+ )?(?:white|grey|gray|"
        r"waxy|purple|mottled)\b(?! (?:hair|hairs))",
        False,
    ),
    (
        "ice-injury",
        r"\b(?:white|grey|gray|waxy|purple)\b[^.;!?]{0,25}\b(?:no feeling|"
        r"numb\w*|cold to (?:the )?touch|hard)\b|\b(?:mottled|purple)\b[^.;!?]{0,40}\b(?:won'?t|wont|not|isn'?t) "
        r"(?:warm\w*|warming)\b|\bstill no feeling\b[^.;!?]{0,20}\b(?:hours?|later)\b",
        True,
    ),
    (  # redness that lasts: a burn
        "heat-burn",
        r"\bstill red\b[^.;!?]{0,25}\b(?:this morning|next day|the day after|today|tonight|since|overnight)\b",
        False,
    ),
    (
        "ice-injury",
        r"\b(?:white|grey|gray|pale|waxy)\b[^.;!?]{0,30}\b(?:\d+ ?(?:hrs?|hours?)|hours|an hour) later\b",
        False,
    ),
    # numbness that lasts, in a sentence about the ice (numb during a session is what ice is for)
    ("ice-injury", rf"\b{_ICE}\b[^.;!?]{{0,60}}\bnumb\w*\b[^.;!?]{{0,40}}\b{_LASTING}", False),
    ("ice-injury", rf"\bnumb\w*\b[^.;!?]{{0,60}}\b{_ICE}\b[^.;!?]{{0,40}}\b{_LASTING}", False),
    ("ice-injury", rf"\bnumb\w*\b[^.;!?]{{0,40}}\b{_LASTING}[^.;!?]{{0,60}}\b{_ICE}\b", False),
    (
        "nerve",
        rf"\b(?<!mind )(?<!mind-)(?<!left me )(?:tingl\w*|{_PINS}|prickl\w*|numb\w*|electric\w*|zap\w*|fizz\w*|"
        r"burning (?:sensation|feeling|pain)|"
        r"burns? down|wet sock)\b(?![^.;!?]{0,30}\b(?:hands?|arms?|fingers?|wrists?|elbows?|face|lips?|neck|brain|head)\b)"
        r"(?<!brain is numb)(?<!head is numb)",
        False,
    ),
    ("nerve", r"\b(?:leg|legs|foot|feet)\b[^.;!?]{0,25}\b(?:asleep|gone to sleep)\b", False),
)


@functools.cache
def _compiled() -> tuple[tuple[str, re.Pattern[str], bool], ...]:
    """The rules, compiled at the first reading (not at import: `status` imports this module)."""
    return tuple((name, re.compile(pattern), own) for name, pattern, own in _RULES)


_NEGATION = re.compile(
    r"\b(?:no|nae|not|never|without|none|nothing|nor|neither|denies|deny|cannot|dont|didnt|doesnt|isnt|havent|hasnt|"
    r"wasnt)\b|n't\b"
)
_OVER = re.compile(
    r"\b(?:(?:has|have|did)(?: not|n't) (?:come back|returned)|(?<!back )(?:is|has|have) gone|went away|stopped|"
    r"(?:has |have )?healed|cleared up)\b|'s gone\b"
)
_BACK_TO_NORMAL = re.compile(
    r"\b(?:(?:feeling|sensation|colou?r) (?:came|comes|has come|is) back|(?:went )?back to (?:its |my )?normal|"
    r"fine (?:after|again|now)|(?:pink|normal|warm) again|gone (?:in|after|within) (?:a few|a couple of|\d+) (?:minutes|mins))\b"
)
_SOMEONE_ELSE = re.compile(
    r"\b(?:(?:my|our|the) (?:dog|cat|puppy|kitten|pet|toddler|baby|boss|colleague)s?|the (?:kids?|children)|"
    r"(?:(?:a|our|his|her) )?(?:friend|neighbou?r|colleague)s?(?:'s)?|my (?:mate|friend|neighbou?r|colleague|boss|sister|brother|son|daughter|kid|child|cousin|aunt|uncle|niece|"
    r"nephew)s?(?:'s)?|saw|seen|witnessed|watched|(?:in|on) (?:the|a) (?:film|movie|show|telly|tv|programme|news)|"
    r"(?:film|movie|show|book|programme) (?:about|where))\b"
)
"""Something or someone else is the subject: "the dog had an accident", "my mate's got a numb bum from
the drive". A husband, a wife, a partner, a parent or a grandparent is not, on their own: the words
may be a carer's, typing for the person with the back pain ("my husband cant feel his bum on the
toilet"), unless the line also speaks of the writer's own back (`_CARER_OF_ANOTHER`)."""
_CARER = re.compile(
    r"\b(?:my|our) (?:husband|wife|partner|hubby|mum|mom|mam|mother|dad|father|grandma|grandpa|granny|gran|nan|"
    r"nana|grandad|granddad|grandfather|grandmother|fianc\w*|boyfriend|girlfriend|other half)s?(?:'s)?\b|"
    r"^(?:mum|mom|dad|grandma|grandpa|gran|nan)\b"
)
_OWN_BACK = re.compile(r"\b(?:my (?:own )?(?:back|lower back)|mine|i'?m fine|i am fine)\b")
"""A line about someone in the family that also speaks of the writer's own back is about two people."""
_LONG_AGO = re.compile(
    r"\b(?:last year|years ago|a year ago|as a (?:kid|child|teenager)|when i was (?:young|little|a kid)|"
    r"in (?:19|20)\d\d)\b"
)
"""An accident long ago is history, not the start of this pain."""
_SENTENCE_END = re.compile(r"[.;!?]")
_ANSWERED_NO = re.compile(r"\s*[?:-]\s*(?:no|none|nope|not really|nothing)\b")
_CLAUSE = re.compile(r"[.;:!?,]|\b(?:but|although|though|however|except)\b")


def _negated(text: str, start: int, end: int, says_its_own: bool, name: str) -> bool:
    """Whether a negation earlier in the clause (or inside the phrase) cancels the match, or, for a
    see-soon or skin sign, the rest of the clause says it is over ("the numbness has not come back",
    "it went away"). A more serious sign said to be over still gets its advice: it may come back,
    and the app cannot judge whether it has really gone."""
    clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    if _NEGATION.search(text, clause_start, start) or _SOMEONE_ELSE.search(text, clause_start, start):
        return True
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    if _CARER.search(text, sentence_start, end) and _OWN_BACK.search(text):
        return True  # "my husband fell off his bike; my back went when I lifted it": not his sign
    if name == "trauma" and _LONG_AGO.search(text):
        return True
    if _ANSWERED_NO.match(text, end):  # a checklist: "leg weakness? no"
        return True
    if BY_NAME[name].level in ("see-soon", "skin"):
        after = _CLAUSE.search(text, end)
        if _OVER.search(text, end, after.start() if after else len(text)):
            return True
        sentence_end = _SENTENCE_END.search(text, end)
        if _BACK_TO_NORMAL.search(text, end, sentence_end.start() if sentence_end else len(text)):
            return True
    return not says_its_own and bool(_NEGATION.search(text, start, end))


def read(text: str) -> list[Sign]:
    """The listed signs that `text` matches, most serious first (none for everyday words).

    A skin sign (a burn from heat, an injury from ice) or numbness between the legs explains the
    numbness or burning it mentions, so that is not also read as a nerve sign.
    """
    named = named_sign(text)
    if named:
        return [named]
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    found: dict[str, tuple[int, int]] = {}
    for name, pattern, own in _compiled():
        for match in pattern.finditer(lowered):
            if not _negated(lowered, match.start(), match.end(), own, name):
                found.setdefault(name, match.span())
                break
    if "nerve" in found and {"ice-injury", "heat-burn", "saddle"} & found.keys():
        del found["nerve"]  # the same numbness or burning, already read as the more telling sign
    elif "nerve" in found and _numb_from_ice(lowered, *found["nerve"]):
        del found["nerve"]  # ice numbs the skin it sits on: that is its purpose, not a nerve sign
    return sorted((BY_NAME[name] for name in found), key=lambda s: ORDER[s.level])


def _numb_from_ice(text: str, start: int, end: int) -> bool:
    """Whether the nerve match is numbness in a sentence about the ice."""
    if not text[start:end].startswith("numb"):
        return False
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    stop = _SENTENCE_END.search(text, end)
    sentence = text[begin : stop.start() if stop else len(text)]
    without_ice = re.search(
        r"\b(?:even (?:when|without|though)|haven'?t|hasn'?t|not|without) (?:\w+ )?ic(?:e|ed|ing)\b", sentence
    )
    return bool(re.search(rf"\b{_ICE}\b", sentence)) and not without_ice


def record_text(sign: Sign | None, words: str) -> str:
    """What `log symptom` stores: the words as typed, marked with the sign the user chose, if any."""
    if sign is None:
        return words
    return f"{NAMED_PREFIX}{sign.name}] {words or sign.label}"


def named_sign(text: str) -> Sign | None:
    """The sign a stored symptom was logged with (`--sign`), if it was."""
    if not text.startswith(NAMED_PREFIX):
        return None
    return BY_NAME.get(text[len(NAMED_PREFIX) :].split("]", 1)[0])


def most_serious(signs: list[Sign]) -> Sign | None:
    return min(signs, key=lambda s: ORDER[s.level], default=None)


class OpenSign(NamedTuple):
    """A logged sign that stays on show until the user acknowledges it."""

    sign: Sign
    at: datetime
    text: str


def open_signs(symptoms: list[tuple[datetime, str]], acknowledged: datetime | None) -> list[OpenSign]:
    """Every sign that needs a doctor, logged since the last acknowledgement: most serious first,
    then the latest first; a sign logged more than once shows once, as last logged.

    Skin signs get their advice when logged but do not stay on show: they are about one session's
    skin, not about the back.
    """
    latest: dict[str, OpenSign] = {}
    for at, text in symptoms:
        if acknowledged is not None and at <= acknowledged:
            continue
        for sign in read(text):
            if sign.level != "skin" and (sign.name not in latest or latest[sign.name].at <= at):
                latest[sign.name] = OpenSign(sign, at, text)
    return sorted(latest.values(), key=lambda w: (ORDER[w.sign.level], -w.at.timestamp()))


def open_warning(symptoms: list[tuple[datetime, str]], acknowledged: datetime | None) -> OpenSign | None:
    """The most serious sign on show (`open_signs`), the latest of its level, if any."""
    return next(iter(open_signs(symptoms, acknowledged)), None)


def reminder_note(warning: OpenSign | None, last_fired: datetime | None) -> str:
    """The sentence the first reminder after a logged sign adds to its body (once, then `status` keeps it)."""
    if warning is None or (last_fired is not None and last_fired >= warning.at):
        return ""
    head = "Get help now" if warning.sign.level in SERIOUS else "See a doctor soon"
    return f" {head}: you logged {warning.sign.label}."
