"""Word lists the privacy detector reads names with.

Names are told from ordinary words mostly by capital letters; these lists cover the rest:
people type "client sarah jones" in lower case, and a capitalised word after "client" is as
often a heading ("Client Group") as a name. The first names are common in the UK across its
communities; the list is for lower-case text only, so a rarer name is still found when it is
capitalised.
"""

from __future__ import annotations

_FIRST_NAMES = """
    aaliyah aaron abbie abdul abdullah abigail adam adeel adil aditi adrian agnes ahmed aidan
    aileen aimee aisha aishah alan alana alastair albert alec alex alexander alexandra alfie
    ali alice alicia alison alistair amanda amber amelia amina amir amit amy anan andrea andrew
    andy aneesa angela angus anil anita ann anna anne annie anthony anton archie arjun arthur
    asha ashley asif aslam ava ayesha barbara barry beatrice becky ben benjamin beth bethany
    bilal billy blessing bogdan brandon brenda brian bridget brooke bryony caitlin callum
    calum cameron carl carla carol caroline catherine cerys chantelle charlie charlotte chelsea
    chloe chris christine christopher ciara ciaran claire colin connor conor craig daisy dale
    damian dan daniel daniela danielle darren dave david dawid dean debbie deborah declan
    deepak denise derek diane dominic donna douglas dylan eddie edward eileen elaine eleanor
    elena eliza elizabeth ella ellie eloise emily emma eric erin ethan eve evie ewan fatima
    fergus fiona finlay finn francesca frank fraser freddie freya gareth gary gavin gemma
    george georgia gillian gordon graham grant gregor hamza hannah harriet harrison harry
    harvey hassan hayley heather helen henry holly hussain ian imogen imran isaac isabel
    isabella isla ismail isobel ivan jack jackie jacob jade jake james jamie jan jane janet
    jasmine jason javed jayden jeff jennifer jenny jessica jill joanna joanne jodie joe joel
    john jon jonathan jordan joseph josh joshua joyce julia julie justin kacper kai kamal karen
    karina kate katherine kathleen kathryn katie kayleigh keith kelly kenneth kerry kevin khalid
    kieran kirsty kirsten krishna kyle lachlan laila laura lauren layla leah lee leo leon
    lesley lewis liam lily linda lindsay lisa logan lorna lorraine louis louise lucas lucy
    luke lynn lynne maciej mackenzie maddie madison magdalena maisie malcolm marcus margaret
    maria marie marion martha martin mary maryam mason matthew maureen megan melissa mia
    michael michaela michelle mohamed mohammad mohammed molly muhammad nadia naomi natalie
    natasha nathan neil nicholas nicola niamh nikita nina noah noor oliver olivia omar oscar
    owen paige pamela patricia patrick paul paula pauline peter philip phoebe piotr poppy
    priya rachel rahul rajesh ravi rebecca rhys richard ricky robert robyn rory ross ruby
    ruth ryan sadia sally sam samantha samir samuel sana sandra sara sarah scott sean shabana
    shannon sharon shauna sheila shona siobhan simon sinead sophia sophie stacey stephanie
    stephen steven stewart stuart susan suzanne tanya tariq teresa theo thomas tom tommy tony
    tracey tracy tyler usman valerie vanessa victoria vikram wendy wiktoria william yasmin
    yusuf zach zainab zara zoe
"""
FIRST_NAMES = frozenset(_FIRST_NAMES.split())

# Surnames read as part of a name in lower-case text ("client sarah jones").
_SURNAMES = """
    adams ahmed ali allan anderson armstrong bailey baker begum bell brown burns campbell
    carter chapman clark clarke collins cook cooper davies davis dixon doherty edwards evans
    ferguson fraser gallagher gill graham grant gray green hall harris harrison hill hughes
    hussain hunter jackson james johnson johnston jones kaur kelly kennedy khan king kowalski
    lee lewis macdonald mackenzie marshall martin mitchell moore morgan morris murphy murray
    nowak obrien o'brien owen parker patel phillips price reid richardson roberts robertson
    robinson rose ross scott shah sharma shaw simpson singh smith stewart taylor thomas
    thompson thomson turner walker watson white wilson wood wright young
"""
SURNAMES = frozenset(_SURNAMES.split())

# First names that are also everyday words: read as names only when capitalised.
_AMBIGUOUS = """
    will mark grace hope faith joy rose may june april summer dawn rob bill pat sue art
    bob jack iris ruby holly amber jade frank ray grant dean lee guy gene chase
"""
AMBIGUOUS_NAMES = frozenset(_AMBIGUOUS.split())

TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "master"})

# Capitalised words that commonly follow "client", "patient" or a relation word without being
# a name (headings in title case, the start of the next clause, services and organisations).
_NOT_NAME_WORDS = """
    a an and or but so as if not no yes all both each some many most other another there here
    what how why when where while which who whose that this these those the of for to in on at
    with by from into about after before because during since although though therefore however
    also then again today yesterday now next finally first last was is are were be been has had
    have does did do will would could should may might must can i we he she they it his her their
    my our your me us him them its

    group groups work works worker workers hours hour contact contacts session sessions care
    centred centered centre center led facing feedback safety record records notes note load
    caseload satisfaction experience experiences involvement voice participation outcome outcomes
    assessment assessments information confidentiality consent journey journeys pathway pathways
    population populations service services user users need needs base list lists file files
    data demographics focused focussed story stories perspective perspectives advice liaison
    reported rated identifiable details survey surveys portal engagement numbers number team
    teams material materials case cases review reviews meeting meetings progress risk risks
    consultation consultations questionnaire questionnaires goals goal health network forum
    panel council representative representatives charter rights partnership reference advisory
    relations access leaflet leaflets handbook guide guidance agreement contract plan plans
    choice choices flow education safeguarding support supports therapy treatment welfare
    wellbeing views view confidential anonymised anonymous profile profiles demographic mix
    presentation presentations protection development premium directed friendly mental
    psychology psychiatry psychotherapy services' agencies agency organisation organisations
    organization organizations trust trusts board boards authority authorities charity
    charities mind provider providers sector schools school nhs government network networks
    scheme schemes programme programmes project projects institution institutions body
    bodies college colleges university universities practice practices clinic clinics
    ward wards hospital hospitals unit units staff carers family families parents parent
    protocol protocols policy policies form forms sheet sheets letter letters report reports
    level levels grade grades led-care centre-based consultant consultants liaison-service
    initiated forward first-hand first-person inclusive informed orientated oriented

    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december

    afterwards overall later earlier meanwhile instead otherwise still sometimes often
    recently currently previously initially lastly secondly thirdly tonight tomorrow week
    weeks month months year years morning afternoon evening supervision reflection reflections
    """
NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())

# Words for a client's relatives: a name straight after one is a relative's name.
RELATIVES = (
    "son|daughter|husband|wife|partner|ex-partner|ex-husband|ex-wife|boyfriend|girlfriend"
    "|fianc[eé]e?|mum|mom|mother|dad|father|brother|sister|sibling|twin|grandson|granddaughter"
    "|grandmother|grandfather|grandma|grandpa|gran|granny|grandad|grandparent|nan|nana|aunt"
    "|auntie|aunty|uncle|cousin|niece|nephew|stepson|stepdaughter|stepmum|stepmother|stepdad"
    "|stepfather|baby|toddler|carer|child|kid"
)
