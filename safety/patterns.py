"""Safety patterns, reviewed like content: each list says what it catches.

Patterns are regular expressions matched against the *normalised* message
(lower case, SMS shorthand expanded, misspellings of key words corrected, see
:mod:`safety.normalise`). They are deliberately broad: a false alarm costs a
gentle crisis message, a miss can cost a life. Pain idioms ("this pain is killing
me", "dying to know") are excluded by :data:`NOT_CRISIS`.
"""

from __future__ import annotations

MEDS = r"(?:tablets?|pills?|meds|medicines?|medications?|doses?|capsules?|amitriptyline|nortriptyline|duloxetine|venlafaxine|cymbalta|effexor|elavil|pamelor|tramadol|gabapentin|pregabalin|antidepressants?|painkillers?|sleeping pills|them|it all|the lot|the packet|the box|the bottle|the pack)"
ALL_OF = r"(?:all|the entire|an entire|entire|every|the whole|a whole|whole|loads of|lots of|a load of|a bunch of|a handful of|a fistful of|handfuls of|a lot of|a month of|a months|all of|the rest of|everything)"
SELF = r"(?:myself|my self|me self|meself)"

# Suicidal thoughts, self-harm, intent to overdose: reply `crisis_support`.
CRISIS = [
    r"\bsuicid\w*",
    r"\bkill(?:ing|ed)? " + SELF,
    r"\bkms\b|\bkys\b",
    r"\bunalive\b",
    r"\b(?:end|ending|take|taking|finish) (?:my|my own) life\b",
    r"\bend(?:ing)? (?:it|it all|everything|things)(?: all)?\b(?! (?:pain|\w+ pain))",
    r"\b(?:want|wanted|wanting|going|planning|plan|thinking about|think about|thought about|decided) to (?:die|be dead|end it|not be here|disappear for good|not wake up)\b",
    r"\b(?:wish|wishing) (?:i|i was|i were|i could be|i had|to be) (?:dead|die|gone|never born|not here|not alive|could die)\b",
    r"\bwish i (?:would|could) (?:die|not wake up|just die)\b",
    r"\b(?:better off|be better) (?:dead|without me|if i (?:was|were) (?:gone|dead|not here))\b",
    r"\b(?:everyone|everybody|my family|my kids|they|the world|people) (?:would|will|d)? ?(?:be )?better off without me\b",
    r"\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on|carry on|carrying on|being alive|being here|staying alive)\b",
    r"\bnothing (?:left )?to live for\b",
    r"\bwhat(?:s| is) the point (?:of|in) (?:living|life|going on|carrying on|being alive|anything|it all)\b",
    r"\bwhats the point anymore\b|\bwhat is the point anymore\b",
    r"\b(?:do not|dont|don't) want to (?:live|be alive|be here|exist|wake up|go on|carry on)\b",
    r"\b(?:can not|cant|cannot) (?:go on|carry on|keep going|do this anymore|do this any more|take it anymore|take it any more|live like this|keep living)\b",
    r"\b(?:not|never) wake up\b",
    r"\b(?:hurt|hurting|harm|harming|cut|cutting|burn|burning|punish|punishing|injure|injuring) " + SELF + r"\b",
    r"\bself[ -]?harm\w*",
    r"\b(?:want|wanna|going|gonna|thinking|thought|tempted|plan|planning|feel like|might|should just|could just|ill|i will|about) (?:to |of |about )?(?:just )?(?:take|taking|swallow|swallowing|neck|down) " + ALL_OF + r" (?:of )?(?:my |the )?" + MEDS,
    r"\b(?:take|taking|swallow|swallowing) " + ALL_OF + r" (?:of )?(?:my |the )?" + MEDS + r" (?:and (?:end|die|sleep|never|not)|to (?:end|die|sleep forever|not wake)|so i (?:die|dont|do not|never|can))",
    r"\b(?:stockpil|sav|hoard|collect)\w* (?:up )?(?:my )?" + MEDS + r"\b",
    r"\b(?:overdose|od) on purpose\b",
    r"\b(?:want|going|planning|plan|thinking|think|tempted|thought about|thinking about) (?:to |of |about )?(?:overdose|overdosing|od|take an overdose|taking an overdose)\b",
    r"\bon purpose\b.*\b(?:took|taken|swallowed|overdosed)\b|\b(?:took|taken|swallowed|overdosed)\b.*\bon purpose\b",
    r"\bgoodbye (?:letter|note)s?\b|\bsuicide note\b|\bwritten (?:my )?(?:goodbye|farewell) (?:letter|note)s?\b",
    r"\b(?:hang|hanging|drown|drowning|shoot|shooting) " + SELF + r"\b",
    r"\bjump (?:off|in front of) (?:a |the )?(?:bridge|building|train|roof|cliff)\b",
    r"\b(?:life|living) (?:is not|isnt|is no longer|aint) worth (?:it|living)\b",
    r"\b(?:i am|im|feel|feeling) (?:like )?(?:a burden|such a burden) (?:to|on) (?:everyone|everybody|my family|them|people)\b",
    r"\bi (?:should|shouldnt|should not) (?:just )?(?:die|be here|be alive|exist)\b",
    r"\bi (?:hate|hate my) (?:my )?life\b.*\b(?:die|dead|end|over)\b",
    r"\bready to (?:die|go|give up on life|end it)\b",
    r"\bgive up on (?:life|living)\b",
    r"\bno longer want to (?:live|be here|be alive)\b",
    r"\blast (?:message|msg|goodbye|time you will hear from me)\b(?! (?:for|of) (?:today|tonight|now|the day))",
    r"\bwont be (?:here|around|alive) (?:tomorrow|much longer|for long|anymore)\b",
    r"\bi(?:m| am) (?:going to|gonna) (?:end|kill|hurt|do) (?:it|me|myself|something stupid)\b",
    # done with / tired of living
    r"\b(?:done|finished) with (?:life|living|everything|it all|being alive|this life)\b",
    r"\b(?:tired|sick|weary|exhausted) of (?:living|being alive|life|existing|being here|everything)\b",
    r"\brather (?:be dead|die|not be here|not exist|not be alive|be gone)\b|\bid rather be dead\b",
    r"\bnever (?:been|be|was) born\b",
    r"\bdisappear (?:forever|for good|for ever|and never come back|permanently)\b",
    r"\b(?:want|wants|wanting|need) (?:it|this|everything|it all|the pain|life)? ?(?:all )?(?:to )?(?:stop|end|be over) (?:forever|permanently|for good|for ever)\b",
    r"\b(?:want|wants|wanting) (?:it|everything|this) all (?:to )?(?:end|stop|be over|over)\b|\bwant everything to (?:end|stop)\b",
    r"\bwant (?:it|this|everything|it all) (?:all )?over\b",
    r"\beven if (?:it means )?(?:dying|i die|death|i end up dead)\b",
    # plans, means, method-seeking
    r"\b(?:got|have|made|making) a plan\b",
    r"\b(?:saved|saving|stashed|stashing|stockpiled|stockpiling|hoarded|hoarding|collected|collecting|putting aside|put aside|keeping back|kept back)(?: \w+){0,4} " + MEDS + r"\b",
    r"\b(?:kept|keeping)(?: \w+){0,3} " + MEDS + r" (?:aside|back|hidden|in reserve|for when|just in case)\b",
    MEDS + r"(?: \w+){0,2} (?:saved|stashed|stockpiled|hoarded|put aside|kept back) ?(?:up)?\b",
    r"\bhow many(?: \w+){0,6} (?:would|will|to|does it take to|do i need to|needed to) (?:kill|die|finish|end)\b",
    r"\benough to (?:kill|finish|end) (?:me|myself|my life|it)\b|\bwould (?:kill|finish) me\b(?<!pain would kill me)",
    r"\b(?:ways?|how) to (?:die|kill myself|end it|end my life|commit)\b|\b(?:painless|easiest|quickest|best) way to (?:go|die|end it)\b",
    r"\b(?:going to|gonna|will|ill|want to|thinking of|thinking about|about to|planning to) (?:just )?(?:take|swallow|down|neck) (?:the |a |my )?(?:whole|entire|full|rest of|rest)\b",
    r"\btake the rest\b",
    r"\b" + MEDS + r" (?:lined up|in front of me|ready)\b",
    r"\b(?:standing|sitting|stood|sat|am|im) (?:on|at) (?:the )?(?:edge|ledge|bridge|roof|platform|tracks|cliff)\b",
    r"\b(?:jump|jumping|jumped) (?:off|from|in front of)\b",
    r"\b(?:got|have|has|bought|buy|buying) (?:a |the )?(?:rope|noose|gun|shotgun|rifle)\b",
    r"\b(?:knife|blade|razor|gun)\b.*\b(?:myself|my wrists?|use it|on me)\b",
    r"\b(?:slit|slitting|slash|slashing|cut|cutting) (?:my )?wrists?\b",
    r"\b(?:need|urge|want|feel like|felt like|started|keep|kept|been|relapsed and|again) (?:to )?(?:cut|cutting)\b(?! (?:down|back|out|my dose|the dose|my tablets?|the tablets?|them|it|in half|my pills?))",
    r"\b(?:cut|cutting) again\b",
    r"\b(?:punch|punching|hit|hitting|bang|banging|scratch|scratching|burn|burned|burnt|starve|starving|bite|biting)\w*(?: \w+){0,3} (?:till|til|until|on purpose|to feel|as punishment|to punish|so i feel)\b",
    r"\b(?:hit|hitting|punch|punching|starve|starving|scratch|scratching) (?:myself|my self)\b",
    r"\b(?:till|til|until) (?:they|it|i|my \w+) (?:bleed|bled|bleeds)\b",
    r"\bdeserve to (?:die|hurt|suffer|be dead|be punished|be in pain)\b",
    r"\b(?:a|nothing but a|such a|just a|only a|being a) burden\b",
    r"\b(?:happier|better off|easier|better) (?:without me|if i (?:was|were|wasnt|werent|died|was gone|wasnt here|werent here|was dead))\b",
    r"\b(?:no one|nobody|noone|no body) (?:would|will|d) (?:even )?(?:care|notice|miss me|miss|mind)\b",
    r"\bif i (?:was|were|am|im) (?:gone|dead|not here|not around)\b",
    r"\bif i died\b",
    r"\btime (?:for me )?to go\b(?! (?:up|down|onto|on to|back|home|to (?:the|a|my|bed|work|sleep)|for (?:a|the|my)|and see|(?:and )?(?:feed|make|get|cook|pick|walk|collect|fetch|shop|catch|meet|watch|start|put|sort|tidy|clean|eat|have|do the|check|ring|call)\w*)\b)|\btime i (?:ended|end|finished) (?:it|things)\b|\bended it\b",
    # Giving one's things away, a warning sign.
    r"\b(?:given|gave|giving|give|handed|handing) (?:away )?(?:all )?(?:my|his|her|their) (?:things|belongings|possessions)\b",
    r"\b(?:given|giving|give) up on (?:everything|life|living|myself)\b|\b(?:ive|i have|i) given up$",
    r"\bwant out\b|\b(?:check out|go to sleep|sleep|be gone|leave|go) for good\b",
    r"\bsleep (?:forever|for ever|for good|and (?:never|not) wake)\b",
    r"\b(?:hope|wish|pray|praying|want|wouldnt mind if|wouldnt care if|wouldnt care|rather)(?: \w+){0,3} (?:not|never|dont|didnt|wouldnt|wont) (?:\w+ )?wake up\b",
    r"\bgod (?:to )?(?:take|takes|would take) me\b|\btake me (?:in my sleep|away|now)\b",
    r"\b(?:hit|run over|knocked down) by a (?:bus|car|train|lorry|truck)\b",
    r"\b(?:crash|crashing|drive|driving) (?:my car )?(?:into|off) (?:a |the )?(?:wall|tree|bridge|cliff|road)\b|\bcrash\w* my car on purpose\b",
    r"\b(?:wouldnt|would not|dont|do not|wont|idc) (?:mind|care) if i (?:died|die|didnt wake|was dead|were dead|live or die|lived or died)\b",
    r"\bcare if i live or die\b|\bidc if i live\b",
    r"\b(?:thinking|think|thought|thinkin|thinks) (?:a lot )?(?:about|bout|of) (?:dying|death|ending it|endin|ending my|suicide|killing|not being here|my death|being dead)\b",
    r"\b(?:death|dying|being dead) (?:would be|is|seems|feels like) (?:a relief|easier|better|the answer|the only way|the only option)\b|\bdying would be easier\b",
    r"\bif (?:im|i am|i was|i were) dead\b",
    r"\bbetter off gone\b",
    r"\bend of (?:my rope|the road|the line for me)\b",
    # Farewells for good, not the end of a chat ("I'll say goodbye now") or a goodbye to a car or a neighbour.
    r"\bthis is (?:my )?goodbyes?\b|\b(?:saying|said|say|made) my goodbyes\b|\b(?:saying|say|want to say|wanted to say) goodbye to "
    r"(?:everyone|everybody|you all|all of you|the world|my (?:family|kids|children|wife|husband|partner|mum|mom|dad|friends))\b",
    r"\bsaid goodbye to (?:everyone|everybody|us all|you all|all of us|them all|the world|my (?:family|kids|children|friends))\b",
    r"\bsaid goodbye\b(?: \w+){0,5} like (?:it was the last|(?:he|she|they|i) (?:wont|will not|would not|wouldnt) see)\b",
    r"\b(?:im|i am|i m) saying goodbye\b(?! (?:now|then|and thanks?|and thank|thanks|thank|to you now)\b)",
    r"\bwriting to say goodbye\b|\bwanted to say goodbye to (?:you|the team|everyone|the nurses)\b",
    r"\bsaying goodbye and (?:that )?(?:she|he|they|i) (?:loves?|love)\b|\bsay goodbye to (?:\w+ ){0,3}for me\b",
    r"\b(?:tablets|pills|meds)\b(?: \w+){0,4} (?:and )?saying goodbye\b|\bsay goodbye\b(?: \w+){0,4} before (?:i|im|i m) (?:go|leave|die|do it)\b(?! (?:to|on|for|out|home|back|away)\b)|\bgoodbye (?:everyone|all|world|forever|for ever|cruel world)\b",
    r"\bthis is it for me\b",
    r"\btell my (?:family|kids|children|wife|husband|partner|mum|mom|dad|son|daughter)\w* (?:i love|im sorry|that i|i am sorry|sorry)\b",
    r"\b(?:sorry|forgive me) for what (?:im|i am) (?:about|going) to do\b",
    r"\bsorted (?:out )?my (?:will|affairs)\b|\bletters? (?:to|for) my (?:kids|children|family|wife|husband|partner)\b",
    r"\b(?:wont|will not) (?:hear|see) (?:from )?me again\b|\bill be gone\b|\bwont (?:be|b) (?:here|around) (?:tomorrow|tmrw|much longer|for long|anymore|by)\b",
    r"\b(?:head in the oven|put my head in)\b",
    r"\btried to (?:overdose|kill myself|end (?:it|my life)|take my (?:own )?life)\b",
    r"\bno point (?:anymore|any more)\b|\bno point (?:in|to|of) (?:anything|living|life|going on|me|being alive|being here)\b",
    r"\bwhat(?:s| is) (?:even )?the point(?: \w+){0,2} (?:of me|in me|anymore|any more|of living|in living|of anything|in anything)\b",
    r"\b(?:why|y) (?:even )?bother (?:living|staying alive|being alive|going on|carrying on)\b|\bbother staying alive\b",
    r"\b(?:can not|cant|cannot|dont think i can|not able to|unable to) keep myself safe\b|\bnot safe (?:on my own|by myself|tonight|right now|around myself|with myself)\b",
    r"\b(?:scared|afraid|frightened|worried)(?: \w+){0,3} (?:ill|i will|i might|i may|of what i might|what i might) (?:do )?(?:something )?(?:to|with) myself\b|\bdo something to myself\b",
    r"\b(?:dont|do not) trust myself\b",
    r"\bend (?:my|me) (?:life|live|lfe)\b",
    r"\bfinish (?:it all|myself|me off)\b|\bfinish (?:it|things|everything) myself\b",
    r"\benough (?:\w+ ){0,3}to finish (?:it|things|everything|me)\b|\b(?:tablets|pills|all) (?:\w+ ){0,5}(?:to|and) finish (?:it|everything|things)\b",
    # "I'm ready to finish it", not "my granddaughter will finish it for me".
    r"\b(?:want to|wanna|going to|gonna|ready to|just|i will|ill|i could|plan to|planning to|decided to|time to|need to) (?:just )?"
    r"finish (?:it|things|everything)\b(?! (?:for|off|up|later|tomorrow|another|next|when|after|first|in|by|with|properly|quickly|"
    r"myself|today|at|on)\b)",
    r"\bdead inside\b",
    r"\bwish i (?:wasnt|werent|was not|were not) (?:here|alive|around)\b",
    r"\b(?:no|dont see a|cant see a|dont see any|cant see any|see no) (?:way out|future)\b",
    r"\bkill me if i took\b|\bbetter off with the (?:life )?insurance\b",
    r"\b(?:stop|not) existing\b|\bto not exist\b",

    r"\b(?:burn|burned|burnt|cut|hit|scratched|hurt|punched|bit|starved)\b(?: \w+){0,6} on purpose\b",
    r"\bpoint (?:in|of) (?:living|being alive|life|going on|carrying on|staying alive)\b",
    r"\b(?:take|need|swallow|have)(?: \w+){0,3} to die\b",
    # Asking for a lethal amount is a warning sign whatever the wording of the question.
    r"\b(?:lethal|fatal|deadly) (?:dose|amount|quantity|number|overdose)\b",
    r"\b(?:what amount|how much|how many|which amount|what dose|what number)\b(?: \w+){0,8} (?:would|will|could|might|is|are)"
    r"(?: \w+)? (?:fatal|lethal|deadly|enough to (?:die|kill me|not wake up))\b",
    # Dark or suicidal thoughts listed among the writer's own symptoms now.
    r"\b(?:symptoms?|side effects?) (?:so far|now|since|are|i have|ive got|im getting|i get|i am getting)\b(?: \w+){0,12} "
    r"(?:dark|black|morbid|suicidal) thoughts\b",
    # Sixth session, from the kinds missed in leave-one-author-out cross-validation on the training
    # corpus (scripts/safety_cv.py): a question about taking too much that turns out to be about the
    # writer, farewells said for good, wishing for a fatal event, and means described.
    r"(?=.*\b(?:overdose|od|too many|too much|the lot|all of them|every tablet|whole (?:box|packet|prescription|bottle)|"
    r"\d{2,} (?:tablets|pills|of them))\b).*\b(?:i mean me|before i do it|need to know (?:it|that it) (?:works|will work)|"
    r"(?:thats|that is) what i want)\b",
    r"\bhow (?:much|many)\b(?: \w+){0,8} to make sure$",
    r"\b(?:more|most) likely to do (?:it|the job)\b|\bcertain to do the job\b|\bor do (?:people|ppl) survive\b",
    r"\b(?:bye|goodbye|goodnight|good night|night|gn|farewell|see you|ta ra)\b(?: \w+){0,3} (?:for|4) (?:good|always|ever)\b"
    r"(?! \w*(?:advice|info\w*|answers?|explanations?|help|news|luck|tips?|measure))|"
    r"\bsee you never\b",
    r"\blast (?:you|youll|you will) (?:hear|see) (?:from|of) me\b",
    r"\b(?:not|no longer|no more)(?: \w+)? in this world\b",
    r"\b(?:pray|praying|prayed|hope|hoping|wish|wishing)\b(?: (?!dont|not|never|wont|isnt|wasnt|arent|doesnt|didnt)\w+){0,4} "
    r"(?:a heart attack|heart attack|a stroke(?! of)|stroke(?! of)|(?:get|getting|be|being) (?:run over|hit by))\b",
    r"\b(?:pray|praying|prayed)\b(?: \w+){0,3} to be taken\b(?! off| of| seriously| into| to)",
    r"\b(?:had|have had|ive had|i had) (?:enough|enuf|nuff) of (?:life|living(?! with)|being alive|this life|existing)\b",
    r"\bwant(?:ing)? not to (?:live|be alive|be here|exist)\b",
    r"\b(?:i long|longing|yearn|yearning)\b(?: \w+){0,3} (?:for (?:it|it all|everything) to be over|"
    r"for (?:death|the end)(?! of)|to (?:die|be dead)(?! down))\b|"
    r"\b(?:wait|waiting) for (?:the end|death|my death)\b(?! (?:of|result|results|bit))",
    r"\b(?:dont|do not) care if (?:the |these |my )?(?:tablets?|pills?|meds|medicines?|it|they) kills? me\b",
    r"\b(?:fantasi[sz]\w*|daydream\w*)(?: \w+){0,2} (?:about|of) (?:dying|death|being dead|my death|not being here|"
    r"killing myself|ending it)\b",
    r"\b(?:imagine|imagining|picture|picturing) (?:my )?(?:own )?(?:funeral|empty chair|being dead|own death|"
    r"not being here|the world without me)\b",
    r"\b(?:the world|my family|anyone|nobody|no one)\b(?: \w+){0,2} (?:wouldnt|would not|wont|will not) miss me\b",
    r"\bnot a cry for help\b|\bmeant it this time\b",
    r"\bengine running\b.*\bgarage\b|\bgarage\b.*\bengine running\b|\bif i had a (?:gun|rope)\b",
    r"\bgas on\b.*\bwindows? (?:shut|closed)\b",
    r"(?=.*\bunder (?:the )?(?:bath )?water\b).*\b(?:didnt|did not|not|never) come (?:back )?up\b",
    r"\b(?:beam|banister|rafter|hook)\b.*\b(?:itd|it would|it will|would) hold\b",
    r"\b(?:knife|blade|razor)\b.*\bin case i need (?:it|them)\b",
    r"\b(?:scrub|scrubbing|scrubbed|pour|pouring|poured|rub|rubbing|rubbed)\w*(?: \w+){0,4} (?:with |in )?bleach\b",
    MEDS + r"(?: \w+){0,2} in (?:a )?(?:pile|heap)\b",
    r"\benough (?:\w+ )?(?:stored|stockpiled|put by|put away|set aside)\b(?! for)",
]

# Appended to the rules below that set aside talk of someone else, of fiction or of the past: they do not
# apply when the writer goes on to say it is about them now ("...and now I'm thinking of doing the same").
STILL_AT_RISK = (r"(?!.*\b(?:thinking of|thinking about|doing the same|do the same|do it|if i do|want to die|want it to work|"
                 r"more certain|enough to|kill myself|end it|end my life|how to get|how i feel|where i am|i feel|im feeling|"
                 r"i am feeling|i have them|ive got them|me too)\b)")

# Accidents long ago are set aside, but never an overdose or anything done on purpose.
NOT_DELIBERATE = r"(?!.*\b(?:overdose|overdosed|od|on purpose|deliberately|attempt\w*)\b)"

# Pain idioms and figures of speech that contain crisis words but are not crisis.
NOT_CRISIS = [
    r"\b(?:pain|feet|foot|legs?|back|nerves?|head|face|jaw|hands?|arms?|neck|this|it|tingling|burning|shingles|neuralgia|neuropathy|sciatica) (?:is|are|s)? ?(?:literally )?killing me\b",
    r"\bdying (?:to|for) (?:know|find out|ask|try|sleep|get|hear|see|have)\b",
    r"\bkill for (?:a|some)\b",
    r"\bkilling me softly\b",
    # Similes and jokes: "feel like I've been hit by a bus", "killing myself laughing".
    r"\blike (?:i(?:ve| have)? (?:been |got )?|im |i was |its (?:been )?|it has (?:been )?|been )?(?:hit|run over|knocked down) by a\b",
    r"\bkill(?:ing|ed)? (?:myself|me) laughing\b|\bnearly killed myself (?:tripping|falling|laughing|slipping)\b",
    r"\b(?:die|died|dying) of (?:boredom|embarrassment|shame|laughter|laughing|fright|shock|heat|cold)\b",
    r"\brather die than (?:go back|have to|take|wait|sit|see|do|eat|be seen)\b",
    r"\bend of (?:the road|my rope|my tether) (?:with|wiv|w) (?:the |my |this )?(?!life|living|it all|everything)\w+",
    # Frustration with one named thing: "can't go on like this with no sleep" (not with the pain, or life).
    r"\b(?:cant|cannot|can not|cnt) (?:go on|carry on|keep going)(?: like (?:this|that))? (?:with|wiv|at|without|not knowing)\b"
    r"(?! (?:(?:the|this|my|a|these|all|such) )?(?:pain|life|living|it|everything|myself|things)\b) \w+",
    # Everyday senses: cut shaving, jumped off a chair, not wanting to live on tablets or wake up groggy.
    r"\bcut(?:ting)? (?:myself|me) (?:shaving|cooking|chopping|gardening|on (?:a|the|some|my))\b",
    r"\bjump\w* (?:off|out of) (?:my|the) (?:chair|seat|sofa|skin|bed|settee)\b",
    r"\b(?:dont|do not) want to (?:live|be) on (?:tablets|pills|meds|medication|medicines|these|them|antidepressants)\b",
    r"\b(?:dont|do not) want to wake up (?:groggy|drowsy|tired|feeling|with|early|at|hungover|foggy)\b",
    # Going on holiday or the bus, or going on with one ordinary thing: "can't go on watching this team".
    r"\b(?:cant|cannot|can not|cnt) go on (?:holiday|holidays|a holiday|the trip|a trip|the bus|the train|a plane|rides|the internet|"
    r"online|the website|the computer|strike|watching|supporting|paying|working|driving|commuting|waiting|queuing|ringing|phoning|"
    r"chasing|in this (?:cold|heat|weather|house|flat))\b",
    # Ending the chat: "I'll say goodbye for now".
    r"\b(?:say|saying|said) goodbye (?:for now|for today|for tonight)\b|\bgoodbye for now\b",
    # Saying plainly that they are not suicidal (other words in the message still count).
    r"\b(?:im|i am|i m) not (?:suicidal|going to (?:hurt|harm|kill) myself|thinking (?:of|about) (?:hurting|harming|killing) myself)\b",
    r"\bnot suicidal\b|\bnever (?:been|felt) suicidal\b",
    # "tired of the pain, not of life": the weariness is denied in the same breath.
    r"\b(?:not|nor|never) (?:(?:tired|sick|weary) )?of (?:life|living|being alive|existing)\b",
    r"\b(?:sick|tired|weary) of(?: \w+){0,4} not (?:of )?(?:life|living|being alive|existing)\b",
    # A routine screening question reported with the answer no.
    r"\b(?:asked|asks|asking|ask|enquired|checked|question|questions|questionnaire|form|checklist)\b(?: \w+){0,14} "
    r"(?:(?:i|he|she|we|and i) (?:said|say|told (?:her|him|them)|answered|ticked|put|assured (?:him|her)) "
    r"(?:no|nah|not at all|absolutely not|never|i had not|i have not)|ticked no|answered no|said no|scored zero|"
    r"i (?:dont|do not) (?:have any|at all)|i (?:havent|have not)|(?:ive|i have) never|never have|no (?:never|im not|i am not|"
    r"i just|still no|all fine)|(?:the )?answers? (?:is |s )?(?:always )?no|all fine|(?:she|he)s? (?:has )?never|"
    r"which i (?:dont|do not|havent)|i dont(?! know| remember| really| want| think))\b",
    r"\b(?:answered|said|ticked|put) no to (?:the )?(?:\w+ ){0,6}(?:question|questions|box)\b(?: about(?: \w+){1,4})?",
    # Suicidal thoughts as a listed risk the writer read or heard about, unless they say it is how they feel.
    r"\b(?:leaflets?|warnings?|label|insert|article|forum|research|read|heard|reading|mentions|lists|warns)\b(?: \w+){0,8} "
    r"(?<!assisted )suicid\w*(?: (?:thoughts?|feelings?|ideas?|risk))?" + STILL_AT_RISK,
    # Dark humour about things other than the writer: "the paperwork will finish me off".
    r"\b(?:paperwork|forms?|waiting lists?|the wait|queues?|hold music|the phone|receptionists?|the stairs|the heat|the cold|"
    r"the kids|the grandkids|the dog|my boss|work|the commute|the bus)\b(?: \w+){0,4} (?:will|ll|is going to|gonna|would|might|could) "
    r"finish me off\b",
    # Suicide as a subject, not a feeling: "the suicide disease", "raise the risk of suicidal thoughts".
    r"\bsuicide (?:disease|prevention|warning|pill|rates?|statistics)\b|\b(?:risk|rates?) of suicid\w*",
    r"\b(?:cause|causes|causing|increase|increases|raise|raises)(?: the)?(?: risk of)? suicidal (?:thoughts|feelings|ideas)\b",
    # The pain, not the writer, gone for good: "will my sciatica be gone for good?".
    r"\b(?:pain|it|symptoms?|sciatica|neuralgia|neuropathy|burning|tingling|numbness|aches?|shingles|this|that)(?: \w+)? be gone for good\b",
    # An accident, not self-harm: "could I fall and hurt myself?".
    r"\b(?:fall|falling|fell|trip|tripping|tripped|slip|slipping|slipped|stumble|stumbling)(?: \w+){0,3} (?:and |to )?"
    r"(?:hurt|injure|harm)\w* (?:myself|himself|herself|themselves)\b",
    # Picking up a prescription, not saving tablets: "collected my first box".
    r"\bcollect\w* (?:my |his |her |the |a )?(?:first|new|next|repeat|latest|prescription|script|monthly|usual|weekly)\b",
    # Weariness with one thing: "sick of everything to do with it".
    r"\b(?:sick|tired|weary) of everything (?:to do with|about) (?:it|this|the|my|these|them)\b",
]

# Everyday talk that contains emergency words but describes no emergency now; removed
# before the emergency patterns are matched (other words in the message still count).
NOT_EMERGENCY = [
    r"\b(?:difficulty|trouble|problems?|struggle|struggling|hard|cannot|cant|can not) (?:to |with |in )?swallow(?:ing)? (?:tablets?|pills?|capsules?|medicines?|them|it|big \w+)\b",
    r"\b(?:scared|worried|afraid|frightened|nervous|anxious|terrified) (?:of|about) (?:getting )?(?:the )?serotonin syndrome\b",
    # A feared reaction, not one happening: "what if I have an allergic reaction?".
    r"\b(?:what if i (?:have|get|had|got)|in case i (?:have|get)|(?:scared|worried|afraid|frightened|terrified|nervous) (?:of|about) "
    r"(?:having|getting)) (?:an? )?allergic reaction\b",
    r"\b(?:risk|signs?|symptoms?) of serotonin syndrome\b|\b(?:read|reading|heard|hear) (?:about|of) serotonin syndrome\b",
    r"\bwhat(?: is|s| s) serotonin syndrome\b",
    # Asking about the risk, not having it: "is serotonin syndrome a risk if I take both?".
    r"\bserotonin syndrome (?:a |an )?(?:risk|danger|chance)\b|\b(?:can|could|would|will|do|does|might) (?:i|you|we|someone|people|it|they|this|that|these|"
    r"both|the two|mixing them|mixing these) (?:get|cause|give \w+|lead to|end up with) serotonin syndrome\b",
    # A figure of speech: "the pharmacist nearly had a fit".
    r"\b(?:nearly|almost|practically|would have|would|will|gonna|going to) (?:have |had |has |throw )?a fit\b",
    # Emergency signs said to be absent: "no chest pain".
    r"\b(?:no|not|without|never had|nothing like|not any|isnt|arent)(?: any| real)? (?:chest (?:pain|pains|tightness)|pain in (?:my |the )?chest)\b",
    # How to take a tablet: "should it be swallowed whole?", "two nerve pain meds at once".
    r"\b(?:be|is|are|must be|should be|meant to be|to be) swallowed whole\b",
    r"\btak\w* (?:2|two|both) (?:different |separate )?(?:nerve pain |pain )?(?:meds|medicines|medications|drugs|types)\b",
    # Swallowing tablets is hard, so another form is asked for: "can I break it if it is hard to swallow?".
    r"\b(?:break|split|cut|halve|open|dissolve|liquid)\w*\b(?: \w+){0,10} (?:hard|difficult|trouble|cant|cannot|can not|struggle) (?:to )?swallow\w*|"
    r"\b(?:hard|difficult|trouble|cant|cannot|can not|struggle) (?:to )?swallow\w*\b(?: (?:good|well|very well|properly))?(?: \w+){0,10} "
    r"(?:liquid|break|split|crush|dissolve|how (?:\w+ )?(?:can|do|should) (?:\w+ )?take)\w*",
    # Emergency signs the writer says are absent: "no swelling or trouble breathing".
    r"\b(?:no|not|without|nor|never had|isnt|arent)(?: any| real| obvious)? (?:swelling|swollen (?:face|lips?|tongue|throat|mouth|eyes?)|trouble breathing|difficulty breathing|breathing (?:problems?|trouble|difficulties))(?: (?:or|and|nor) (?:swelling|swollen (?:face|lips?|tongue|throat|mouth|eyes?)|trouble breathing|difficulty breathing|breathing (?:problems?|trouble|difficulties)))?\b",
    r"\bno (?:\w+ )?(?:or \w+ )?(?:swelling|tightness)\b|\b(?:face|lips?|tongue|throat|mouth|eyes?)(?: \w+)? (?:isnt|is not|arent|are not|not) "
    r"(?:swollen|swelling|tight)\b",
    # Sleepiness ("my eyes are closing already"), not swelling.
    r"\beyes? (?:are |is |keep |keeps )?closing\b(?! up)",
    # Crushing tablets because swallowing them is hard.
    r"\bcrush\w*\b(?: \w+){0,10} (?:trouble|difficulty|cant|cannot|can not|struggle to) swallow\w*|"
    r"\b(?:trouble|difficulty|cant|cannot|can not|struggle to) swallow\w*\b(?: \w+){0,10} crush\w*",
    # Overdoses in fiction or the news, and the figure of speech (an overdose long ago is still flagged).
    r"\b(?:character|film|movie|programme|program|show|episode|documentary|storyline|soap|eastenders|casualty|corrie|tiktok|"
    r"forum|news|paper|story)\b(?: \w+){0,8} (?:overdosed|took an overdose|had an overdose|had serotonin syndrome)\b" + STILL_AT_RISK,
    r"\boverdos\w* on (?:chocolate|sugar|coffee|caffeine|cake|sweets|netflix|tv|crisps|biscuits|easter eggs)\b",
    # An old accident that ended well: "swallowed some by accident last year and was fine".
    NOT_DELIBERATE + r"\b(?:swallowed|ate|eaten|took|taken|had)\b(?: \w+){0,10} (?:by (?:accident|mistake)|accidentally)\b(?: \w+){0,6} "
    r"(?:(?:last|that) (?:year|summer|winter|spring|autumn|month|christmas)|\w+ (?:years?|months?) ago|"
    r"and (?:was|were|she was|he was) (?:fine|ok|okay|alright))\b" + STILL_AT_RISK,
    NOT_DELIBERATE + r"\b(?:swallowed|ate|eaten|took|taken|got (?:hold of|into)|chewed)\b(?: \w+){0,12} (?:years ago|long ago|ages ago|years back|"
    r"a while back|last year|back in the \w+|when (?:he|she|i|they) (?:was|were) (?:little|small|two|three|a baby|a toddler|a kid))\b" + STILL_AT_RISK,
    NOT_DELIBERATE + r"\b(?:years ago|long ago|ages ago|back in the \w+|in the \d0s|when (?:he|she|i|they) (?:was|were) (?:little|small|a baby|"
    r"a toddler|a kid|two|three))\b(?: \w+){0,12} (?:swallowed|ate|eaten|took|taken|got (?:hold of|into)|chewed)\b" + STILL_AT_RISK,
    NOT_DELIBERATE + r"\bonce (?:swallowed|ate|got (?:hold of|into)|took)\b" + STILL_AT_RISK,
]

# Ordinary talk that a trained model may mistake for a crisis or an emergency. When
# the patterns above find nothing and one of these is present, the model's crisis or
# emergency guess is set aside (safety/component.py): the idioms and denials above,
# weariness with the pain itself, emergency signs said to be absent, numbness ("my leg went dead"),
# everyday "dead", and someone else's past use of a medicine.
MODEL_ALARM_VETO = NOT_CRISIS + NOT_EMERGENCY + [
    r"\b(?:feel|feels|felt|feeling|went|go|goes|gone|going|is|are|be) (?:\w+ )?dead\b(?! (?:inside|to the world|to me))",
    r"\bdead (?:early|tired|numb|heavy|good|easy|right|on|late|quiet|funny|serious|set|slow|cold|weird)\b",
    r"\b(?:for (?:years|ages|months|a long time|a while|decades)|used to (?:take|be on|have))\b",
    r"\b(?:nearly|almost|could have|couldve) died (?:laughing|of (?:embarrassment|shock|fright|boredom))\b",
    r"\bsilent killer\b|\bpain ?killers?\b",
    # Weariness with the pain itself ("had enough of this pain today"); a wish to die still matches a pattern.
    r"\b(?:had enough|sick|tired|fed up|weary) (?:of|with) (?:this|the|my|all this|all the) (?:pain|burning|nerve pain|neuralgia|"
    r"sciatica|shingles|tingling|stabbing|aching|flare|flares)\b",
    # Carrying tablets somewhere: "took my week's supply with me".
    r"\b(?:took|take|taking|brought|bring|packed|pack) (?:my|the|his|her|a) (?:\w+ )?(?:tablets?|pills?|meds|medicines?|supply|box|"
    r"packet|prescription)(?: \w+)? (?:with (?:me|him|her|us)|on holiday|away|to (?:work|my|the|his|her))\b",
    # Breathing said to be fine (absent swelling and breathing trouble are in NOT_EMERGENCY above).
    r"\bbreathing (?:is |seems |feels )?(?:fine|ok|okay|normal)\b",
    r"\b(?:foot|feet|leg|legs|arm|arms|hand|hands|toes|fingers)\b(?: \w+){0,2} (?:gone|going|went|fallen|falls|fall|goes) to sleep\b",
]

# Medical emergencies: reply `emergency_symptoms` (checked before crisis).
EMERGENCY = [
    # Sixth session: "necked the lot", "every tablet in the house" (an overdose taken now).
    r"\b(?:took|taken|swallowed|necked|downed)\b (?:the lot|every (?:tablet|pill|one) in the house)\b|"
    r"\bevery (?:tablet|pill) in the house\b(?=.*\b(?:done it|took|taken|swallowed|washed down)\b)",
    r"\b(?:took|taken|had|swallowed|ate|eaten|used|necked|downed) (?:too many|too much|more than|way too many|a lot more|" + ALL_OF + r")(?: \w+){0,3} " + MEDS + r"\b",
    r"\b(?:took|taken|swallowed|had) (?:an? |my )?(?:extra|double|twice|second|another|\d{2,}|ten|twenty|fifteen|twelve|eight|nine|seven|six|five|four)(?! (?:days?|weeks?|months?|years?|nights?)\b(?! (?:worth|supply)))(?: \w+){0,3} " + MEDS + r"\b",
    r"\b(?:took|taken|swallowed) (?:\w+ ){0,5}(?:by mistake|by accident|accidentally|accidently)\b",
    r"\b(?:accidentally|accidently|by mistake) (?:took|taken|swallowed|had|doubled)\b",
    r"\b(?:took|taken|swallowed|had) (?:my|the) (?:dose|tablets?|pills?|meds) (?:twice|two times|2 times|again by mistake|by mistake)\b",
    r"\b(?:have|just|i|accidentally|accidently|think i|may have|might have|i have) ?(?:overdosed|od'?d|oded|taken an overdose|had an overdose)\b",
    r"\boverdose(?:d)?\b.*\b(?:by accident|accidentally|mistake)\b|\b(?:by accident|accidentally|mistake)\b.*\boverdose",
    r"\b(?!kidney)(?:child|kid|toddler|son|daughter|baby|grandchild|grandson|granddaughter|boy|girl|dog|my little one|nephew|niece)\w* (?:has |have |may have |might have |just |has just )?(?:swallowed|ate|eaten|took|taken|got into|get into|found|chewed|had|drank) (?:some |one of |a |an |my |the |some of |all |a few )?(?:my |the |his |her )?(?:\w+ )?" + MEDS + r"\b",
    r"\b(?:swallowed|ate|eaten) (?:one of )?(?:my|the) " + MEDS + r"\b.*\b(?:child|kid|toddler|son|daughter|baby|grandchild)\b",
    r"\b(?:face|lips?|tongue|throat|mouth|eyes?|eyelids?) (?:is |are |has |have |keeps |started |starting |getting |gone |went )?(?:swollen|swelling|swell|puffed up|puffy|blown up|closing|closing up|tight|tightening)\b",
    r"\bswell\w* (?:in|of|up in|around) (?:my |the )?(?:face|lips?|tongue|throat|mouth|eyes?)\b",
    r"\b(?:can not|cant|cannot|struggling to|hard to|difficult to|trouble|difficulty|unable to) (?:breathe|breath|breathing|swallow|swallowing)\b",
    r"\bchest (?:pain|pains|tightness|is tight|hurts|feels tight|is hurting)\b|\bpain in (?:my |the )?chest\b(?! wall)",
    r"\bheart (?:is )?(?:racing|pounding|beating (?:really |very |so )?fast|going (?:really |very |so )?fast|thumping|palpitations)\b.*\b(?:chest|faint|dizzy|breath)\b",
    r"\b(?:fever|temperature|high temp|burning up|feverish|sweating buckets)\b.*\b(?:twitch\w*|jerk\w*|spasm\w*|confus\w*|rigid|shaking uncontrollably|muscle)\b",
    r"\b(?:twitch\w*|jerk\w*|confus\w*)\b.*\b(?:fever|temperature|high temp|burning up|feverish)\b",
    r"\bserotonin syndrome\b",
    r"\bconfus\w*\b.*\b(?:jerk\w*|twitch\w*|spasm\w*)\b",
    r"\btight chest\b|\bchest (?:is |feels )?(?:really |very |so )?tight\b|\bcant catch (?:my )?breath\b",
    r"\bheart\w*(?: \w+){0,6} (?:irregular|all over the place|skipping beats)\b",
    # "took the whole box", not "capsules are swallowed whole" (how to take them).
    r"\b(?:took|taken|swallowed) (?:my |the |a |his |her )?(?:whole|entire)\b(?!$| (?:or|and|not|with|without|please|instead|like|is|are)\b)"
    r"|\btook (?:it|them|my dose) again\b",
    # "took a week's worth", "swallowed two weeks' supply": a supply counted in days, taken at once.
    r"\b(?:took|taken|swallowed|necked|downed) (?:a|an|one|two|three|four|five|six|\d+|my|the|his|her|their) (?:\w+ )?(?:days?|weeks?|months?) ?s? (?:worth|supply)\b(?! (?:to|with|round|back|home|away|in)\b)",
    r"\bswollen (?:face|lips?|tongue|throat|mouth|eyes?)\b",
    r"\b(?:uncontrollable|violent|uncontrolled) shaking\b",
    r"\b(?:pass(?:ing)? out|collapse|faint)\b.*\bheart\b|\b(?:gonna|going to) pass out\b",
    r"\b(?:jerk\w*|twitch\w*|spasm\w*)\b.*\b(?:hot|sweat\w*|agitated|fever\w*|temperature|confus\w*|shaking|shivering)\b",
    r"\b(?:shaking|shivering|sweating|agitated)\b.*\b(?:cant think|can not think|confus\w*|jerk\w*|twitch\w*)\b",
    r"\b(?:seeing|hearing) things\b|\bhallucinat\w*",
    r"\b(?:having|had|has had|is having|just had|gone into) an? (?:seizure|fit|convulsion)\b|\b(?:is|hes|shes|im|keeps|started) (?:fitting|seizing|convulsing)\b",
    r"\b(?:passed out|passing out|fainted|collapsed|unconscious|cant stay conscious)\b|\b(?:will not|wont|cant|can not) wake(?! up in the| up on time| up early| up until| up till| up properly| in the)\b",
    r"\banaphyla\w*\b",
    r"\ballergic reaction\b",
    r"\boverdosed\b|\b(?:taken|took|had|done) an? (?:overdose|od)\b|\b(?:think|maybe|might have|may have|i) (?:i )?od(?:d|ed)?\b(?! on purpose)",
    r"\b(?:took|taken|swallowed|had|ate|eaten|taking) (?:about |around |like |maybe |over |nearly )?(?:\d+|a handful|handfuls|loads|lots)\b(?: \w+){0,4} (?:instead of|at once|in one go|together|of (?:my|his|her|their|the) )",
    r"\b(?:swallowed|ate|eaten) (?:about |around |like |maybe |over |nearly )?\d+\b",
    r"\b(?:took|taken|taking) (?:extra|too many|too much) (?:\w+ )?" + MEDS + r"\b.*\b(?:seeing things|racing|pounding|confus\w*|weird|strange|dizzy|faint|sick)\b",
    r"\b(?!kidney)(?:\d+ ?(?:year|yr|month)s? old|toddler|baby|child|kid|grandson|granddaughter|grandchild|son|daughter)\w*(?: \w+){0,4} (?:swallowed|ate|eaten|chewing|chewed|got hold of|got into|get into|has had|took|taken|licked)\b",
    r"\b(?:got hold of|got into|chewing on|chewed) (?:my|the|his|her) (?:\w+ )?" + MEDS + r"\b",
    r"\bthroat\b(?: \w+){0,5} (?:closing|closed|tight|swelling|swollen)\b",
    r"\b(?:face|lips?|tongue|throat|mouth|eyes?|eyelids?)(?: \w+){0,4} (?:puffing|puffed|puffy|swelling|swollen|blowing up|blown up)\b",
    r"\b(?:heart|pulse)(?: \w+){0,2} (?:racing|pounding|thumping|fluttering|going crazy)\b.*\b(?:pass out|passing out|faint|dizzy|chest|breath|collapse|seeing things)\b",
    r"\b(?:not responding|unresponsive|wont respond|wont wake|not waking(?! (?:up )?(?:with|because|at night|in the night|in pain|during|from|so much|as much|as often|as many)\b)|lips (?:are |have gone |turned |turning )?blue|turning blue|barely breathing|not breathing|stopped breathing|cant get (?:my )?breath|gasping)\b",
    r"\b(?:fainting|keep fainting|blacking out|blacked out|black out)\b",
    r"\b(?:shaking|shaking all over|fitting|convulsing|jerking)\b.*\b(?:not responding|unresponsive|wont wake|cant wake)\b",
]

# Requests for an individual treatment decision: reply `personal_medical_advice`.
PERSONAL_ADVICE = [
    r"\b(?:double|doubling|triple|tripling) (?:up )?(?:my |the |on my )?(?:dose|dosage|tablets?|pills?|meds|amount)\b",
    r"\b(?:double|triple) (?:up )?(?:my|the|on)\b",
    r"\b(?:take|have|try) (?:an? )?(?:extra|another|more|two|2|three|3|double|second|an additional|additional|half an? extra) (?:\w+ )?(?:tablets?|pills?|doses?|capsules?|mg|ones?)\b",
    r"\b(?:increase|up|raise|higher|lower|reduce|decrease|drop|change|adjust|cut down|cut back|alter|bump up) (?:on |up )?(?:my|the|it|to) ?(?:dose|dosage|amount|mg|tablets?|meds|medication)?\b.*\b(?:dose|dosage|mg|myself|\d+)\b",
    r"\b(?:increase|up|raise|lower|reduce|decrease|change|adjust) (?:my|the) (?:dose|dosage)\b",
    r"\b(?:cut|split|halve|break|crush|chew|snap) (?:my |the |a |an |it |them )?(?:\w+ )?(?:tablets?|pills?|capsules?|in half|in two|into halves)\b",
    r"\b(?:half|halve|quarter) (?:a |my |the )?(?:tablet|pill|dose)\b",
    r"\b(?:switch|swap|change|move|go) (?:from \w+ )?(?:over )?(?:to|onto) (?:amitriptyline|nortriptyline|duloxetine|venlafaxine|cymbalta|effexor|elavil|pamelor|gabapentin|pregabalin|a different|another|something else)\b",
    r"\b(?:switch|swap) (?:my |from )?(?:\w+ )?(?:meds|medication|medicine|tablets?|antidepressant)\b",
    r"\b(?:should|can|could|may|shall) i (?:just )?(?:stop|quit|come off|give up|skip|miss out|pause|drop) (?:taking )?(?:it|them|my|this|the|amitriptyline|nortriptyline|duloxetine|venlafaxine|cymbalta|effexor)\b",
    r"\b(?:is it|its) (?:ok|okay|safe|alright|fine|bad) (?:for me )?(?:to|if i) (?:just )?(?:double|take (?:more|extra|two|2|another)|split|cut|switch|increase|lower|skip)\b",
    # Stopping: "is it ok for me to stop" or "... to stop mine" is personal; "is it ok to stop amitriptyline
    # suddenly?" is the general question the stopping topic answers.
    r"\b(?:is it|its) (?:ok|okay|safe|alright|fine|bad) (?:for me to|if i) (?:just )?(?:stop|quit|come off)\b",
    r"\b(?:is it|its) (?:ok|okay|safe|alright|fine|bad) to (?:just )?(?:stop|quit|come off) (?:taking )?(?:my|mine|it|them)\b",
    r"\bstop (?:taking )?(?:it|them|my \w+) (?:today|tonight|now|tomorrow|right now|this week|straight away|immediately|cold turkey)\b",
    r"\b\d+ ?mg\b.*\b(?:should|can|could|may|is it ok|instead|enough|too much|too little|take)\b",
    r"\b(?:should|can|could|may) i (?:take|have|go up to|go down to|try) \d+",
    r"\bhow (?:much|many) (?:should|can|do) i (?:take|have)\b",
    r"\bwhat dose should i\b|\bwhat (?:dose|dosage) (?:is right|should i|do i need)\b",
    r"\btake (?:my |the |tomorrows |tonights |next )?(?:dose|tablet|pill) (?:early|earlier|now instead|twice)\b",
    r"\btake (?:tomorrows|tonights|the next) (?:dose|tablet|pill)\b",
    r"\bskip (?:my|a|the) (?:dose|tablet|pill)s?\b.*\b(?:drink|party|wedding|night out|tonight|weekend)\b",
    r"\b(?:can|could|should|may|shall|do|cn|shud) i (?:just )?(?:skip|miss|pause|have a break|take a break)\b",
    r"\b(?:should|can|could|may|shall|cn|shud) i (?:just )?(?:stop|quit|come off)\b(?! feeling| being| getting| the (?:side|pain|sleep))",
    r"\b(?:can|could|should|may|cn|shud) i (?:just )?(?:increase|decrease|raise|lower|up|change|adjust|reduce|halve|double|alter)\b",
    r"\b(?:take|try|go on|need|want|have|get|be on|move to|switch to|go to) (?:a )?(?:higher|lower|bigger|smaller|stronger|weaker|different) dose\b|\bgo back to (?:my )?(?:old|previous|last|usual) dose\b",
    r"\b(?:take|have) \d+ ?mg\b|\bdoses? together\b|\b(?:morning|night) and (?:morning|night|evening) doses?\b",
    r"\b(?:can|could|should|may|cn|shud) i (?:take|tk|have) (?:two|three|four|a couple|2|3|4) (?:\w+ )?(?:today|tonight|now|at once|\w+)\b",
    r"\b(?:increase|go up|up|raise|decrease|reduce|lower|go down|drop|move|bump)\b(?: \w+){0,3} (?:to|from) \d+",
    r"\bgo from \d+ ?(?:mg)? to \d+|\b(?:go|going) (?:up|down) (?:a dose|to|in dose|on)\b|\bbefore i go up\b",
    r"\b(?:can|could|should|may|cn|shud|is it ok if|is it okay if) i (?:take|tk|have|try) (?:\d+|one more|an extra|extra|more|less|half|double|another|a double|a second|twice|both)\b",
    r"\b(?:take|tk|have) \d+ (?:tonight|today|now|at once|together|instead)\b",
    r"\b(?:take|have) (?:my )?(?:\w+ ){0,3}(?:at|in the|before|after) (?:morning|night|bedtime|\d+ ?(?:pm|am)?|lunch)\b.*\binstead\b|\binstead of (?:at night|in the morning|at \d+|\d+)\b",
    # Crushing or opening one's own: "can I open my capsule"; "can you open the capsules?" is general.
    r"\b(?:crush|crushing|chew|chewing|open|opening|sprinkle|dissolve|break)(?: up| open)? (?:my(?: \w+){0,2} "
    r"(?:tablets?|capsules?|pills?|meds|amitriptyline|nortriptyline|duloxetine|venlafaxine|cymbalta|effexor|elavil|"
    r"pamelor)|mine)\b",
    r"\b(?:should|can|could|shall) i (?:\w+ )?(?:wean|taper|reduce|cut down)\b|\bhow should i (?:wean|taper|come off|reduce|stop)\b",
    r"\bswap (?:my )?\w+ (?:for|to|with) \w+\b|\bgo back (?:on|to) \w+ instead\b",
    r"\b(?:break|pause|holiday) from (?:my )?(?:tablets|meds|pills|it|them|medication)\b|\bevery other day\b",
    r"\bonly when (?:the |my )?pain\b|\bas and when\b|\bwhen i need (?:it|them)\b",
    r"\bright dose for me\b|\bhow (?:much|many)(?! alcohol| wine| beer| drinks?| units| improvement| relief| better| hours| times| days| weeks)(?: mg| \w+){0,4} (?:should|can|do|shall) i (?:be )?(?:take|taking|have|having|use|using)\b|\bhow many mg\b",
    r"\bis \d+ ?(?:mg)?(?: of \w+)? (?:ok|okay|enough|too much|too little|safe|right|alright)\b",
    r"\b(?:missed|both) doses? (?:and|together)\b|\btake double\b|\btwice a day instead\b|\b(?:into|in) 2 doses\b",
    r"\b(?:take|use|borrow|have) (?:my )?(?:husbands|wifes|partners|friends|mums|moms|dads|sisters|brothers|someone elses|someones)\b",
    r"\b(?:keep taking|stay on) (?:it|them|this) or (?:stop|come off)\b|\bor stop\b$",
    r"\b(?:now|tonight) or wait\b",
    # Adding a medicine of one's own to the treatment: "can I add my old gabapentin to the duloxetine".
    r"\b(?:can|could|should|may|shall) i (?:just |also )?add (?:my |some of my |the )?(?:old |leftover |spare )?\w+ "
    r"(?:to|onto|on top of|with)\b",
]
