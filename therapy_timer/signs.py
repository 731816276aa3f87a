"""Warning signs: the named list, and a careful reader of what people type.

Pure (no clock, no I/O). The app cannot judge a symptom; it can only notice that what was logged
matches one of the listed signs and say, calmly, what to do about that sign. So the reader errs
towards silence on everyday sentences ("fell asleep with the ice pack on", "peeling skin", "no
fever") and towards the listed urgent signs when they are said in ordinary words ("I wet the bed",
"can't feel it when I wipe", "both legs feel heavy"). Patterns are whole words and phrases; a
negation earlier in the same clause ("no", "not", "without", "don't"...) cancels a match.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Literal, NamedTuple

Level = Literal["urgent", "see-soon", "skin"]
NAMED_PREFIX = "[sign: "


class Sign(NamedTuple):
    name: str
    level: Level
    label: str  # what the sign is, in a few plain words
    advice: str  # what to do, in one short sentence


URGENT_ADVICE = "Get medical help now: call your doctor's urgent line or emergency services. Do not wait for the plan."
SOON_ADVICE = "Please arrange for a doctor or physical therapist to look at your back soon."

SIGNS: tuple[Sign, ...] = (
    Sign("saddle", "urgent", "numbness between the legs, in the groin, buttocks or inner thighs", URGENT_ADVICE),
    Sign("bladder-bowel", "urgent", "new trouble controlling your bladder or bowels", URGENT_ADVICE),
    Sign("leg-weakness", "urgent", "a leg, or both legs, getting weak, heavy or clumsy", URGENT_ADVICE),
    Sign("fever", "urgent", "fever or chills along with the back pain", URGENT_ADVICE),
    Sign("trauma", "urgent", "the pain started after a serious fall or an accident", URGENT_ADVICE),
    Sign("nerve", "see-soon", "tingling, burning or numbness in the back or spreading into the legs", SOON_ADVICE),
    Sign("radiating", "see-soon", "pain that runs down a leg, below the knee", SOON_ADVICE),
    Sign(
        "red-flag",
        "see-soon",
        "weight loss you cannot explain, a history of cancer, or pain worse at night that rest does not ease",
        SOON_ADVICE,
    ),
    Sign("no-better", "see-soon", "no better after a week or two of this care", SOON_ADVICE),
    Sign(
        "heat-burn",
        "skin",
        "a burn from the heat: blisters, broken skin, or redness that lasts over an hour",
        "Stop using heat on that spot now and let the skin recover. Get blisters or broken skin seen by a doctor.",
    ),
    Sign(
        "ice-injury",
        "skin",
        "skin hurt by the ice: white or grey, hard, waxy, numb for long, or blistered",
        "Stop the ice on that spot now and let the skin warm up on its own. Get blisters, or skin that stays "
        "white, hard or numb, seen by a doctor.",
    ),
)
BY_NAME = {sign.name: sign for sign in SIGNS}
ORDER: dict[Level, int] = {"urgent": 0, "see-soon": 1, "skin": 2}

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
    r"(?!burning hot\b)(?:burn\w*|sunburn\w*|blist\w*|scald\w*|raw|weeping|broken skin|"
    r"skin broke|skin (?:is |has )?(?:broken|come off|peeled off))"
)
"""A burn in the words people use ("blistr", "skin has come off"), but not the weather's "burning hot"."""
_SADDLE = (
    r"(?:groin|crotch|between (?:my|the) legs|inner (?:part of (?:my |the |both )?)?thighs?|"
    r"insides? of (?:my |the |both )?thighs|buttocks?|bum(?: cheeks)?|butt(?: cheeks)?|my bottom|backside|genitals?|"
    r"private parts|privates|down there|down below|doon below|saddle(?: area)?|perineum|"
    r"around my (?:bottom|anus|back passage)|back passage)"
)
_LEG = r"(?:legs?|foot|feet|knees?|ankles?)"
_URINE = r"(?:urine|pee|wee|urinate|bladder|bowels?|poo|stools?|toilet|loo)"
_HEAT = r"(?:heat\w*|hot[ -]water|hot|bottle|(?:heating )?pad|shower|bath|warm\w*|wheat bag)"
_ICE = r"(?:ice|iced|icing|ice ?packs?|frozen|freezer|cold pack|gel pack|peas)"
_ICE_HARM = (
    r"(?:white|grey\w*|gray\w*|pale|hard|waxy|blister\w*|burn\w*|frost\w*|without feeling|"
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
    ("saddle", rf"\b(?:{_NUMB}|tingl\w*|{_PINS})\b{_GAP}{{0,40}}\b{_SADDLE}\b", True),
    ("saddle", rf"\b{_SADDLE}\b{_GAP}{{0,60}}\b(?:{_NUMB}|tingl\w*|{_PINS})", True),
    (
        "saddle",
        rf"\b(?:{_CANT}|don'?t|doesn'?t) feel\b[^.;!?]{{0,30}}\b(?:when i (?:wip\w*|pee\w*|go)|toilet paper)\b",
        True,
    ),
    ("saddle", r"\bwip(?:e|ed|ing)\b[^.;!?,]{0,30}\bnumb", False),
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
    (
        "leg-weakness",
        rf"\b{_LEG}\b(?! (?:went|go|goes|going) weak)[^.;!?]{{0,25}}\b(?:weak\w*|giv\w* (?:way|out)|gave (?:way|out)|"
        r"buckl\w*|heavy|clumsy|collaps\w*|(?:like )?jelly)\b",
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
        r"\b(?<!cabin )(?<!spring )(?<!football )(?:fever|fevers|feverish|febrile|chills|the shivers|shivery|"
        r"high temperature|(?:running|have|got) a temperature|temperature of \d\d|night sweats)\b"
        r"(?! (?:watching|listening|reading|down my spine))",
        False,
    ),
    (
        "fever",
        r"\b(?:boiling|burning|roasting) (?:hot )?(?:then|and) (?:freezing|shivering|cold)\b|\bhot and cold sweats\b|"
        r"\brigou?rs\b",
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
        r"\b(?:shoot\w*|radiat\w*|run\w*|ran|travel\w*|goes|going|coming|comes|spread\w*|moves?)\b[^.;!?]{0,40}"
        r"\b(?:down|doon|into|till|to)\b[^.;!?]{0,20}\b(?:leg|legs|thigh|calf|calves|foot|shin|knee|toes?|ankle|heel)\b",
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
    r"\b(?:(?:has|have|did)(?: not|n't) (?:come back|returned)|(?:is|has|have) gone|went away|stopped|"
    r"(?:has |have )?healed|cleared up)\b|'s gone\b"
)
_BACK_TO_NORMAL = re.compile(
    r"\b(?:(?:feeling|sensation|colou?r) (?:came|comes|has come|is) back|(?:went )?back to (?:its |my )?normal|"
    r"fine (?:after|again|now)|gone (?:in|after|within) (?:a few|a couple of|\d+) (?:minutes|mins))\b"
)
_SOMEONE_ELSE = re.compile(
    r"\b(?:my (?:daughter|son|husband|wife|partner|mate|friend|neighbou?r|mum|mom|dad|mother|father|brother|"
    r"sister|kid|child|baby|grandpa|grandma|granddad|nan|aunt|uncle|boss|colleague)s?|"
    r"the (?:dog|cat|puppy|toddler|baby|kids?|children)|"
    r"saw|seen|witnessed|watched)\b"
)
"""Someone or something else is the subject: "my daughter has a fever", "the dog had an accident"."""
_SENTENCE_END = re.compile(r"[.;!?]")
_ANSWERED_NO = re.compile(r"\s*[?:-]\s*(?:no|none|nope|not really|nothing)\b")
_CLAUSE = re.compile(r"[.;:!?,]|\b(?:but|although|though|however|except)\b")


def _negated(text: str, start: int, end: int, says_its_own: bool) -> bool:
    """Whether a negation earlier in the clause (or inside the phrase) cancels the match,
    or the rest of the clause says it is over ("the numbness has not come back", "it went away")."""
    clause_start = max((m.end() for m in _CLAUSE.finditer(text, 0, start)), default=0)
    if _NEGATION.search(text, clause_start, start) or _SOMEONE_ELSE.search(text, clause_start, start):
        return True
    if _ANSWERED_NO.match(text, end):  # a checklist: "leg weakness? no"
        return True
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
            if not _negated(lowered, match.start(), match.end(), own):
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


def open_warning(symptoms: list[tuple[datetime, str]], acknowledged: datetime | None) -> OpenSign | None:
    """The most serious urgent or see-soon sign logged since the last acknowledgement, if any.

    Skin signs get their advice when logged but do not stay on show: they are about one session's
    skin, not about the back.
    """
    found = [
        OpenSign(sign, at, text)
        for at, text in symptoms
        if acknowledged is None or at > acknowledged
        for sign in read(text)[:1]
        if sign.level != "skin"
    ]
    return min(found, key=lambda w: (ORDER[w.sign.level], -w.at.timestamp()), default=None)


def reminder_note(warning: OpenSign | None, last_fired: datetime | None) -> str:
    """The sentence the first reminder after a logged sign adds to its body (once, then `status` keeps it)."""
    if warning is None or (last_fired is not None and last_fired >= warning.at):
        return ""
    head = "Get help now" if warning.sign.level == "urgent" else "See a doctor soon"
    return f" {head}: you logged {warning.sign.label}."
