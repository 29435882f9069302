"""Demo content for the Dateline news platform.

The first article is based on the facts of a real news event and written
fresh for this demo. Every other article, place, company, club and person
below is fictional.
"""

SECTIONS = [
    {
        "slug": "international",
        "title": "International",
        "description": "Reporting from our correspondents on diplomacy, conflict, climate and the people living through the news around the world.",
    },
    {
        "slug": "politics",
        "title": "Politics",
        "description": "Parliament, councils, elections and the decisions that shape public life, followed closely and explained plainly.",
    },
    {
        "slug": "business",
        "title": "Business",
        "description": "Companies, markets, work and the wider economy, with a focus on what the numbers mean for ordinary households.",
    },
    {
        "slug": "technology",
        "title": "Technology",
        "description": "How technology is changing daily life, from privacy and security to the networks and tools we all depend on.",
    },
    {
        "slug": "sport",
        "title": "Sport",
        "description": "Results, match reports and the stories behind the games, from grassroots clubs to cup finals.",
    },
    {
        "slug": "culture",
        "title": "Culture",
        "description": "Film, books, music, heritage and the arts, reviewed and reported by our critics and culture desk.",
    },
]


AUTHORS = [
    {
        "slug": "mara-ellison",
        "name": "Mara Ellison",
        "role": "International correspondent",
        "bio": "Mara Ellison covers diplomacy and security across the Middle East and Eastern Europe. Before joining Dateline she spent eight years as a wire-agency reporter, filing from more than twenty countries.",
        "links": [
            {"label": "Mastodon", "url": "https://social.example/@mara"},
        ],
    },
    {
        "slug": "tomas-okafor",
        "name": "Tomás Okafor",
        "role": "Political editor",
        "bio": "Tomás Okafor leads Dateline's coverage of the Assembly, local government and elections. He began his career on a regional daily, reporting on council meetings that few others bothered to attend. He still thinks they are where politics really happens.",
        "links": [
            {"label": "Website", "url": "https://tomasokafor.example"},
            {"label": "Mastodon", "url": "https://social.example/@tomas"},
        ],
    },
    {
        "slug": "priya-raman",
        "name": "Priya Raman",
        "role": "Business reporter",
        "bio": "Priya Raman writes about companies, labour and the cost of living. She trained as an accountant before moving into journalism, and has a particular fondness for the footnotes of annual reports.",
        "links": [
            {"label": "Newsletter", "url": "https://newsletters.example.com/priya"},
        ],
    },
    {
        "slug": "jonah-whitcombe",
        "name": "Jonah Whitcombe",
        "role": "Technology correspondent",
        "bio": "Jonah Whitcombe reports on privacy, cybersecurity and the politics of technology. A former software developer, he likes to read the code as well as the press release.",
        "links": [
            {"label": "Mastodon", "url": "https://social.example/@jonahw"},
            {"label": "Website", "url": "https://jonah.example.org"},
        ],
    },
    {
        "slug": "sofia-brandt",
        "name": "Sofia Brandt",
        "role": "Sport reporter",
        "bio": "Sofia Brandt covers football, cycling and rugby, and has reported from three continental championships. She played semi-professional hockey until a knee injury sent her to the press box.",
        "links": [
            {"label": "Social", "url": "https://social.example/@sofiab"},
        ],
    },
    {
        "slug": "yusuf-haddad",
        "name": "Yusuf Haddad",
        "role": "Culture editor and Arabic desk",
        "bio": "Yusuf Haddad edits Dateline's culture pages and writes in both English and Arabic. He has reviewed films and books for fifteen years and is especially interested in cinemas, libraries and the communities around them.",
        "links": [
            {"label": "Website", "url": "https://yusufhaddad.example"},
        ],
    },
]


ARTICLES = [
    # ------------------------------------------------------------------ #
    # INTERNATIONAL
    # ------------------------------------------------------------------ #
    {
        "section": "international",
        "slug": "sharaa-putin-meeting-moscow",
        "headline": "Syria's al-Sharaa heads to Moscow for Putin talks as Russia fights to keep its last bases",
        "standfirst": "The Syrian president's second meeting with the Russian leader in a matter of months comes as the Kremlin tries to hold on to the air and naval bases it still operates on Syria's coast.",
        "dateline": "MOSCOW",
        "authors": ["mara-ellison"],
        "tags": ["Syria", "Russia", "Diplomacy", "Middle East"],
        "hours_ago": 3,
        "updated_hours_ago": 1,
        "language": "en",
        "lead_image": {
            "caption": "The Kremlin seen across the Moskva river on a winter afternoon.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Syria's president, Ahmed al-Sharaa, is due in Moscow on Wednesday for talks with Vladimir Putin, in a visit the Kremlin hopes will help it hold on to the two military footholds it still keeps on Syrian soil. The trip is being watched closely in Damascus, Washington and European capitals, all of which are trying to judge how far the new Syrian leadership is prepared to go in mending ties with a country that spent years on the opposite side of the war.",
            ),
            (
                "paragraph",
                "It will be the second face-to-face encounter between the two men. Their first, in October, was notably conciliatory in tone, and it was the first since forces led by al-Sharaa drove Bashar Assad from power in 2024. The Kremlin has said the agenda will cover relations between Russia and Syria, how they might be expanded, and the wider situation across the Middle East, but it has offered little further detail.",
            ),
            ("heading", "What Moscow wants to keep"),
            (
                "paragraph",
                "For Russia the stakes are concrete. Earlier this week its troops pulled out of the airport at Qamishli, in Syria's northeast, leaving the Hmeimim air base and the naval facility at Tartus as its only remaining installations in the country. Both sit on the Mediterranean coast, and together they are the only military sites Moscow operates anywhere beyond the borders of the old Soviet Union. Losing them would leave Russia with very little physical reach in a region where it once held considerable sway.",
            ),
            (
                "paragraph",
                "The relationship carries heavy baggage. Throughout Syria's 14-year civil war, Russian aircraft bombed areas held by rebel groups, including those aligned with al-Sharaa. After Assad fell, Moscow gave him and his wife refuge, and the Syrian president has pressed on several occasions for the couple to be handed over to face justice at home. Whether that request comes up on Wednesday is one of the open questions hanging over the visit.",
            ),
            ("heading", "A wider balancing act"),
            (
                "paragraph",
                "Al-Sharaa arrives having built an unexpectedly warm relationship with Washington. U.S. President Donald Trump has spoken of him in glowing terms and said recently that dealings with Damascus were going well. The United States welcomed the end of Assad's rule, and that goodwill has so far survived Syrian military operations against Kurdish-led forces in the northeast, groups that Western governments had previously backed. Assad's fall was also widely read as a sign that Moscow, stretched by its war in Ukraine, could no longer prop up its allies indefinitely.",
            ),
            (
                "paragraph",
                "The northeast campaign has raised a separate worry. American and European officials have warned that fighting there could give Islamic State detainees a chance to break out of prisons and camps run by Kurdish forces, a scenario that has alarmed security officials on both sides of the Atlantic and that will form part of the regional backdrop to the talks in Moscow.",
            ),
            (
                "quote",
                {
                    "text": "Moscow is negotiating from a far weaker position than it was two years ago. The bases matter much more to the Kremlin than they do to Damascus, and both delegations know it.",
                    "attribution": "Nadia Fermor, senior fellow at the Halden Institute for Security Studies",
                },
            ),
        ],
        "corrections": [
            {
                "hours_ago": 1,
                "kind": "update",
                "text": "This article was updated after the Kremlin confirmed that the talks would cover bilateral relations and the situation in the Middle East, and to add background on the withdrawal from Qamishli.",
            },
        ],
        "comments": "open",
    },
    {
        "section": "international",
        "slug": "lake-orvan-water-pact",
        "headline": "Valdria and Osteny sign Lake Orvan water pact after a decade of talks",
        "standfirst": "The treaty sets seasonal limits on how much each country may draw from the shrinking lake and creates a joint commission with the power to cut quotas in drought years.",
        "dateline": "SELVIK",
        "authors": ["mara-ellison"],
        "tags": ["Climate", "Diplomacy", "Water"],
        "hours_ago": 20,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Fishing boats resting on the exposed shoreline of Lake Orvan.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Negotiators from Valdria and Osteny have signed a treaty that for the first time puts binding limits on how much water each side may take from Lake Orvan, the vast inland basin that supplies farms and cities in both countries. The lake's surface area has shrunk by almost a third since the 1990s, and fishing villages on its southern shore have watched the waterline retreat by several kilometres.",
            ),
            (
                "paragraph",
                "Under the deal, each country receives a fixed share of the lake's annual inflow, calculated from river gauges that will now be operated jointly. In years when inflow falls below an agreed threshold, both sides must reduce their withdrawals by the same percentage. A new commission based in the border town of Selvik will publish its measurements every month so that farmers and officials can see the same figures.",
            ),
            ("heading", "Farmers wary of cuts"),
            (
                "paragraph",
                "Irrigation associations on the Osteny side, where cotton and rice depend heavily on lake water, said they had not been consulted on how any reductions would be divided among growers. Some warned that smaller farms would bear the brunt of future cutbacks unless the government offered compensation or practical help with switching to less thirsty crops.",
            ),
            (
                "quote",
                {
                    "text": "A treaty on paper does not refill a lake. What matters is whether both capitals are willing to enforce it when the first dry summer arrives.",
                    "attribution": "Katarin Vos, hydrologist at the University of Selvik",
                },
            ),
            (
                "paragraph",
                "Diplomats on both sides described the pact as a model for other shared basins in the region, where disputes over rivers and aquifers have intensified as temperatures climb. The agreement must still be ratified by both national parliaments, a process officials expect to take several months, and environmental groups have promised to scrutinise the monitoring rules closely.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "international",
        "slug": "marrow-islands-ferry-strike",
        "headline": "Ferry strike strands islanders as Marrow archipelago runs short of fuel and medicine",
        "standfirst": "A week-long walkout by ferry crews has cut off four inhabited islands, prompting the regional government to charter fishing boats to carry emergency supplies.",
        "dateline": "PORT ARDEN",
        "authors": ["mara-ellison"],
        "tags": ["Transport", "Labour", "Health"],
        "hours_ago": 46,
        "updated_hours_ago": 30,
        "language": "en",
        "lead_image": {
            "caption": "Idle ferries tied up at the harbour wall in Port Arden.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Residents of the outer Marrow Islands have begun rationing fuel after a strike by ferry crews entered its eighth day, leaving the archipelago's smaller communities without their only regular link to the mainland. Shops on Skerra and Lunnholm reported empty shelves of fresh food by the weekend, and the single pharmacy on Skerra said it was running low on insulin and asthma inhalers.",
            ),
            (
                "paragraph",
                "The dispute centres on a plan by the state-owned operator, Marrow Sealink, to cut crew numbers on its older vessels and introduce longer rotations. The seafarers' union says the changes would leave ships dangerously understaffed in rough weather. Management argues that the fleet loses money on almost every crossing and insists that the new schedule complies with maritime safety rules.",
            ),
            ("heading", "Emergency boats chartered"),
            (
                "paragraph",
                "The regional government said it had hired six fishing vessels to carry medicine, fuel and post to the islands, with a coastguard escort whenever the forecast turns poor. Officials stressed that the move was humanitarian and not an attempt to break the strike, though union representatives said they would be watching every sailing closely.",
            ),
            (
                "quote",
                {
                    "text": "We are not against the islanders. Plenty of us were born out there. But we will not sail short-handed into a winter gale.",
                    "attribution": "Ansel Brekke, ferry engineer and union delegate",
                },
            ),
            (
                "paragraph",
                "Talks between the two sides are due to resume under a mediator appointed by the regional labour court. Island councillors have asked for any settlement to include a guaranteed minimum timetable, so that a future dispute cannot leave entire communities cut off for days at a time without food deliveries or reliable access to hospital care.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "international",
        "slug": "montrel-presidential-runoff",
        "headline": "Montrel heads to presidential run-off after first round splits the vote",
        "standfirst": "A former central banker and a populist mayor will face each other in two weeks, after neither secured a majority in a first round marked by record turnout.",
        "dateline": "AUVERNE",
        "authors": ["mara-ellison", "tomas-okafor"],
        "tags": ["Elections", "Diplomacy"],
        "hours_ago": 130,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Election officials count ballots by lamplight at a polling station in Auverne.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Voters in Montrel will return to the polls in two weeks for a presidential run-off between Elise Garand, a former central bank governor, and Rafael Moutte, the mayor of the industrial city of Brassac. Preliminary results from the electoral commission put Garand on 38 per cent and Moutte on 34 per cent, with the remaining votes scattered across seven other candidates.",
            ),
            (
                "paragraph",
                "Turnout reached 81 per cent, the highest since the country adopted its current constitution. Observers from a regional monitoring mission said voting had been orderly, although they noted long queues in rural districts where several polling stations opened late because ballot papers arrived after dawn.",
            ),
            ("heading", "Two very different programmes"),
            (
                "paragraph",
                "Garand has campaigned on fiscal discipline and closer trade ties with neighbouring states, promising to bring down inflation that peaked above nine per cent last year. Moutte has drawn large crowds with pledges to cap energy prices, reopen shuttered steelworks and hold a referendum on the country's membership of a regional customs union, a proposal that has unsettled investors.",
            ),
            (
                "quote",
                {
                    "text": "The run-off is really a vote on whether people trust institutions to fix the cost of living, or want someone to shake those institutions up.",
                    "attribution": "Odile Marchetti, political scientist at the University of Auverne",
                },
            ),
            (
                "paragraph",
                "Both finalists are now courting supporters of the eliminated candidates, particularly the Green list, which took nine per cent. Its leader said she would announce a recommendation after meeting both campaigns, but stressed that her voters were perfectly capable of making up their own minds and would not be delivered as a bloc to anyone.",
            ),
        ],
        "corrections": [],
        "comments": "closed",
    },
    {
        "section": "international",
        "slug": "calvera-heatwave-record",
        "headline": "Calvera plains record 46C as heatwave closes schools and strains the power grid",
        "standfirst": "Authorities have extended a red alert for a fifth day, opened cooling centres in town halls and asked residents not to run heavy appliances in the late afternoon.",
        "dateline": "SANTORRE",
        "authors": ["mara-ellison"],
        "tags": ["Climate", "Health", "Energy"],
        "hours_ago": 8,
        "updated_hours_ago": 4,
        "language": "en",
        "lead_image": {
            "caption": "A street vendor shelters beneath a faded umbrella in central Santorre.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Temperatures in the Calvera plains reached 46.2C on Thursday afternoon, the highest reading ever recorded at the Santorre weather station, as a slow-moving heatwave tightened its grip on the region. Emergency services reported a sharp rise in calls related to heat exhaustion, most of them involving elderly people living alone in upper-floor flats.",
            ),
            (
                "paragraph",
                "Regional authorities ordered schools to close for a second consecutive day and moved outdoor work on building sites to the early morning. Town halls in more than forty municipalities have been turned into cooling centres stocked with water, fans and first-aid staff, and volunteers are phoning or visiting residents registered as vulnerable.",
            ),
            (
                "table",
                {
                    "caption": "Thursday's highest readings against each station's previous record",
                    "columns": [
                        ("text", "Weather station"),
                        ("figures", "Thursday"),
                        ("figures", "Previous record"),
                        ("figures", "Record year"),
                    ],
                    "rows": [
                        ("Santorre", "46.2C", "45.1C", "2019"),
                        ("Rivaldo", "45.5C", "44.0C", "2022"),
                        ("Belmonte", "44.8C", "44.9C", "2017"),
                        ("Villacorta", "43.9C", "43.2C", "2019"),
                        ("Costa Alta", "41.3C", "42.6C", "2003"),
                    ],
                    "row_headers": True,
                    "source": "Calvera regional weather service, provisional readings at 4pm",
                },
            ),
            (
                "fact_box",
                {
                    "title": "Staying safe in the heat",
                    "body": "<ul><li>Drink water through the day, before you feel thirsty.</li><li>Keep shutters and curtains closed while the sun is on the windows; open them at night.</li><li>Check on neighbours who live alone, above all on upper floors.</li><li>Cooling centres in town halls are open from 10am to 10pm; the regional helpline is <b>112</b> for emergencies.</li></ul>",
                },
            ),
            ("heading", "Grid under pressure"),
            (
                "paragraph",
                "The regional grid operator asked households to delay using washing machines, dishwashers and ovens until after nine in the evening, when demand eases. Electricity consumption on Wednesday came within three per cent of the network's maximum capacity, and the operator said it had arranged emergency imports from neighbouring systems in case of further spikes.",
            ),
            (
                "pull_quote",
                {
                    "text": "Every washing machine that waits until after nine helps keep a hospital's air conditioning running.",
                    "attribution": "Regional grid operator, in its appeal to households",
                },
            ),
            (
                "gallery",
                {
                    "palette": "international",
                    "caption": "Santorre on the fourth day of the red alert.",
                    "images": [
                        {
                            "seed": "calvera-heat-cooling-centre",
                            "alt": "Rows of folding chairs and standing fans in a town hall turned cooling centre.",
                            "caption": "A cooling centre in Santorre's old town hall, open until late evening.",
                            "credit": "Illustration: Dateline",
                        },
                        {
                            "seed": "calvera-heat-market",
                            "alt": "Market stalls shaded by white sheets stretched between poles.",
                            "caption": "Stallholders at the covered market closed by noon.",
                            "credit": "Illustration: Dateline",
                        },
                        {
                            "seed": "calvera-heat-hillside",
                            "alt": "A fire crew's lorry parked on a dry, brown hillside at dusk.",
                            "caption": "A fire crew keeps watch over the hills above Belmonte.",
                            "credit": "Illustration: Dateline",
                        },
                        {
                            "seed": "calvera-heat-fields",
                            "alt": "Irrigation sprinklers running over a field under a dark evening sky.",
                            "caption": "Farmers now water their fields only after dark.",
                            "credit": "Illustration: Dateline",
                        },
                    ],
                },
            ),
            (
                "quote",
                {
                    "text": "We used to talk about a once-in-a-generation heatwave. In this valley we now plan for one nearly every summer.",
                    "attribution": "Dr Lucia Ferrand, head of emergency medicine at Santorre General Hospital",
                },
            ),
            (
                "paragraph",
                'Forecasters expect relief on Sunday, when a band of cooler air from the north should bring temperatures down by around ten degrees. Until then, farmers have been told to irrigate only at night, and fire crews remain on alert across the parched hillsides that ring the plains. Advice for residents is posted on the <a href="https://example.org/calvera-heat-advice">regional health portal</a>.',
            ),
            (
                "timeline",
                {
                    "title": "Five days of red alert",
                    "events": [
                        {
                            "when": "Monday",
                            "title": "Red alert declared",
                            "text": "The weather service raised its warning to the highest level for the whole of the plains.",
                        },
                        {
                            "when": "Tuesday",
                            "title": "Cooling centres open",
                            "text": "More than forty town halls opened their doors to residents seeking shade.",
                        },
                        {
                            "when": "Wednesday",
                            "title": "Grid close to its limit",
                            "text": "Demand came within three per cent of capacity; households were asked to wait until evening.",
                        },
                        {
                            "when": "Thursday",
                            "title": "Record at Santorre",
                            "text": "The station measured 46.2C, and schools stayed closed.",
                        },
                        {
                            "when": "Sunday",
                            "title": "Cooler air expected",
                            "text": "Forecasters expect a drop of around ten degrees.",
                        },
                    ],
                },
            ),
            (
                "related_link",
                {
                    "label": "Also on the climate desk",
                    "article": "lake-orvan-water-pact",
                    "summary": "Two neighbours agree how to share a shrinking lake.",
                },
            ),
        ],
        "corrections": [
            {
                "hours_ago": 4,
                "kind": "update",
                "text": "This article was updated with the latest reading from the Santorre weather station and the decision to keep schools closed for a second day.",
            },
        ],
        "comments": "open",
    },
    {
        "section": "international",
        "slug": "nouran-water-conference",
        "headline": "مؤتمر إقليمي في مدينة نوران يبحث سبل مواجهة شح المياه",
        "standfirst": "اجتمع خبراء ومسؤولون من عدة دول في مدينة نوران الساحلية لمناقشة خطط مشتركة لتحلية المياه وترشيد استهلاكها، وسط تحذيرات من مواسم جفاف أطول وأشد.",
        "dateline": "نوران",
        "authors": ["yusuf-haddad"],
        "tags": ["المناخ", "مياه", "العالم العربي"],
        "hours_ago": 60,
        "updated_hours_ago": None,
        "language": "ar",
        "lead_image": {
            "caption": "ألواح شمسية تغذي محطة تجريبية لتحلية المياه على شاطئ نوران.",
            "credit": "رسم توضيحي: دايتلاين",
        },
        "body": [
            (
                "paragraph",
                "افتُتح صباح الاثنين في مدينة نوران الساحلية مؤتمر إقليمي يستمر ثلاثة أيام، يجمع مهندسين وباحثين وممثلين عن البلديات والجمعيات الزراعية، بهدف وضع تصور مشترك لمواجهة تراجع الموارد المائية. ويأتي المؤتمر بعد صيف قاسٍ انخفضت فيه مناسيب السدود في المنطقة إلى أدنى مستوياتها منذ أكثر من عشرين عاماً، ما اضطر عدداً من المدن إلى تقنين توزيع المياه على الأحياء.",
            ),
            (
                "paragraph",
                "وتركزت جلسات اليوم الأول على مشاريع تحلية مياه البحر باستخدام الطاقة الشمسية، إذ عرض فريق من جامعة نوران نتائج محطة تجريبية صغيرة تنتج يومياً ما يكفي نحو ثلاثة آلاف أسرة، بتكلفة أقل مما كان متوقعاً. غير أن عدداً من المشاركين نبّهوا إلى أن المياه شديدة الملوحة المتبقية بعد التحلية قد تضر بالحياة البحرية إذا لم تُعالج بعناية.",
            ),
            ("heading", "المزارعون في صلب النقاش"),
            (
                "paragraph",
                "وطالب ممثلو الجمعيات الزراعية بأن تُمنح الأولوية لتحديث شبكات الري القديمة، مشيرين إلى أن كميات كبيرة من المياه تضيع بسبب القنوات المكشوفة والأنابيب المتهالكة. واقترح بعضهم تقديم قروض ميسّرة لصغار المزارعين حتى يتمكنوا من التحول إلى الري بالتنقيط دون أن يتحملوا وحدهم أعباء التكلفة.",
            ),
            (
                "quote",
                {
                    "text": "لا يكفي أن نبحث عن مصادر جديدة للمياه، بل علينا أن نتعلم كيف نحافظ على كل قطرة نملكها اليوم.",
                    "attribution": "سلمى العطار، مهندسة موارد مائية في بلدية نوران",
                },
            ),
            (
                "paragraph",
                "ومن المنتظر أن يصدر المؤتمر في ختام أعماله وثيقة توصيات تُرفع إلى الحكومات المشاركة، تتضمن مقترحاً بإنشاء قاعدة بيانات إقليمية مفتوحة لرصد مستويات المياه الجوفية. ويأمل المنظمون أن تتحول هذه التوصيات إلى برامج عملية خلال العامين المقبلين، لا أن تبقى حبراً على ورق كما حدث في لقاءات سابقة.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "international",
        "slug": "nouran-water-conference-english",
        "translation_of": "nouran-water-conference",
        "headline": "Regional conference in Nouran looks for ways to cope with water shortages",
        "standfirst": "Engineers, researchers and council officials met in the coastal city of Nouran to plan joint work on desalination and on using less water, as dry seasons grow longer.",
        "dateline": "NOURAN",
        "authors": ["yusuf-haddad"],
        "tags": ["Climate", "Water", "Arab world"],
        "hours_ago": 59,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Solar panels powering a pilot desalination plant on the Nouran shore.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "A three-day regional conference opened in the coastal city of Nouran on Monday, bringing together engineers, researchers, municipal staff and farmers' associations to agree on a shared approach to shrinking water supplies. It follows a harsh summer in which reservoirs across the region fell to their lowest levels in more than twenty years, forcing several towns to ration water district by district.",
            ),
            (
                "paragraph",
                "The first day was given over to desalinating seawater with solar power. A team from Nouran University presented a small pilot plant that produces enough each day for about three thousand households, at a lower cost than expected. Several participants warned, however, that the very salty brine left behind could harm sea life unless it is treated carefully.",
            ),
            ("heading", "Farmers at the centre of the debate"),
            (
                "paragraph",
                "Farmers' representatives asked for priority to go to replacing old irrigation networks, saying that open channels and worn-out pipes lose large amounts of water. Some proposed low-interest loans so that smallholders can switch to drip irrigation without carrying the cost alone.",
            ),
            (
                "paragraph",
                "The conference is expected to close with a set of recommendations for the participating governments, including a proposal for an open regional database of groundwater levels. The organisers hope the recommendations become working programmes within two years rather than staying on paper, as happened after earlier meetings.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    # ------------------------------------------------------------------ #
    # POLITICS
    # ------------------------------------------------------------------ #
    {
        "section": "politics",
        "slug": "harwick-council-budget-vote",
        "headline": "Harwick council passes budget by one vote after all-night row over library closures",
        "standfirst": "The ruling group pushed through £14m of savings but dropped plans to shut two branch libraries after a late amendment from its own backbenchers.",
        "dateline": "HARWICK",
        "authors": ["tomas-okafor"],
        "tags": ["Budget", "Local government", "Harwick", "Books"],
        "hours_ago": 27,
        "updated_hours_ago": 20,
        "language": "en",
        "lead_image": {
            "caption": "Residents fill the public gallery of Harwick's council chamber during the budget debate.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Harwick city council approved its annual budget shortly before five o'clock in the morning, ending a marathon session in which the ruling group came within a single vote of defeat. The plan, which includes £14m of savings and a council tax rise just below the legal cap, passed by 30 votes to 29 after one opposition councillor abstained.",
            ),
            (
                "paragraph",
                "The most heated exchanges concerned proposals to close the branch libraries in Millbrook and Fenwick Green. More than 6,000 residents had signed a petition against the closures, and the public gallery stayed full for most of the night. Shortly after midnight, three members of the ruling group tabled an amendment to keep both branches open by trimming the council's consultancy budget instead.",
            ),
            ("heading", "Savings still to be found"),
            (
                "paragraph",
                "Council leader Gareth Lowe accepted the amendment, saying he had listened to residents, but warned that the city still faced hard choices. Officers must now identify roughly £600,000 of additional savings before the summer, and unions representing council staff fear that the gap will be closed through cuts to frontline jobs rather than back-office costs.",
            ),
            (
                "quote",
                {
                    "text": "Keeping the libraries open is a relief, but nobody should pretend the money problem has gone away. It has simply moved to another line of the spreadsheet.",
                    "attribution": "Amira Sethi, opposition finance spokesperson on Harwick council",
                },
            ),
            (
                "paragraph",
                "The budget also sets aside £2.1m to repair potholes, funds a new youth centre on the Eastbank estate and delays a planned increase in parking charges until next year. Opposition councillors said they would keep campaigning against cuts to adult social care, which make up the largest single share of the savings package.",
            ),
        ],
        "corrections": [
            {
                "hours_ago": 20,
                "kind": "correction",
                "text": "An earlier version of this article said the budget passed by 31 votes to 29. The final tally was 30 votes to 29, with one abstention.",
            },
        ],
        "comments": "open",
    },
    {
        "section": "politics",
        "slug": "digital-rights-bill-second-reading",
        "headline": "Data privacy bill clears second reading despite warnings over workplace monitoring",
        "standfirst": "The Digital Rights Bill would give people a legal right to know when an algorithm makes decisions about them, but unions say it does too little to rein in employer surveillance.",
        "dateline": "LANDSHAVEN",
        "authors": ["tomas-okafor", "jonah-whitcombe"],
        "tags": ["Privacy", "Parliament", "AI"],
        "hours_ago": 52,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "The Assembly chamber in Landshaven during the second-reading debate.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "A bill that would overhaul the country's data protection rules passed its second reading in the Assembly by 214 votes to 167, setting up months of detailed scrutiny in committee. The Digital Rights Bill would require organisations to tell people when automated systems make significant decisions about them, such as rejecting a loan application or filtering out a job candidate.",
            ),
            (
                "paragraph",
                "Digital Affairs Minister Helena Strand told members that the current law, written before smartphones were common, no longer reflected how personal information is collected and traded. The bill would also create a faster complaints process, raise maximum fines for serious breaches and give the data regulator new powers to audit companies without advance notice.",
            ),
            ("heading", "Unions want tougher limits"),
            (
                "paragraph",
                "Trade unions and several backbench members argued that the bill was too weak on monitoring in the workplace. They pointed to the spread of software that logs keystrokes, records screens and scores employees on their productivity, and called for an outright ban on some forms of covert surveillance. The minister said those concerns would be examined carefully in committee.",
            ),
            (
                "quote",
                {
                    "text": "If a machine decides you are a bad worker, you should be able to see why, challenge it and talk to a human being. That is hardly a radical idea.",
                    "attribution": "Bryony Hale, general secretary of the Clerical and Technical Workers' Union",
                },
            ),
            (
                "paragraph",
                'Business groups gave the bill a cautious welcome but asked for a longer transition period, arguing that small firms would need time and guidance to comply. The committee stage is expected to begin next month, and the government hopes the law will take effect within eighteen months of final approval. The full text is available in the <a href="https://example.org/digital-rights-bill">published draft</a>.',
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "politics",
        "slug": "rent-cap-coalition-split",
        "headline": "Coalition partners clash over rent cap as housing costs dominate the agenda",
        "standfirst": "The junior partner in government wants a two-year freeze on rents in high-pressure cities. Its larger ally says that would choke off new construction.",
        "dateline": "LANDSHAVEN",
        "authors": ["tomas-okafor"],
        "tags": ["Housing", "Parliament", "Coalition"],
        "hours_ago": 5,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Apartment blocks under construction on the edge of Landshaven.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "A dispute over rent controls has opened the most serious rift in the governing coalition since it took office eighteen months ago. The Social Alliance, the junior partner, has published a proposal to freeze rents for two years in cities where average housing costs exceed forty per cent of local incomes, and says it will not support the next budget without a commitment to act.",
            ),
            (
                "paragraph",
                "The larger Civic Party responded within hours, with its housing spokesperson arguing that a freeze would deter investment just as the government is trying to double the rate of house building. Party officials pointed to research suggesting that strict caps elsewhere had reduced the supply of rental homes over time, although the evidence on that question remains contested among economists.",
            ),
            ("heading", "Tenants caught in the middle"),
            (
                "paragraph",
                "Tenant organisations say the argument has left renters anxious and uncertain. In Landshaven, average rents for a two-bedroom flat have risen by nearly a fifth in two years, and advice centres report growing numbers of people facing eviction after refusing large increases. Landlord associations warn that some small owners are already selling up because of higher mortgage costs.",
            ),
            (
                "quote",
                {
                    "text": "People are not asking for free housing. They want to know that next year's rent will not swallow their entire pay rise.",
                    "attribution": "Joel Marsh, coordinator of the Landshaven Tenants' Network",
                },
            ),
            (
                "paragraph",
                "Senior figures from both parties are due to meet later this week. Aides privately suggest that a compromise could involve a cap linked to inflation rather than a full freeze, combined with faster planning approvals for new homes. Neither side has publicly committed to that approach, and both insist their red lines remain in place.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "politics",
        "slug": "eastmoor-by-election-result",
        "headline": "Independent wins Eastmoor by-election on a promise to save the town's maternity unit",
        "standfirst": "Dr Ruth Abernethy, a retired family doctor, overturned a majority of more than 8,000 after a campaign built almost entirely around local health services.",
        "dateline": "EASTMOOR",
        "authors": ["tomas-okafor"],
        "tags": ["Elections", "Health", "Parliament"],
        "hours_ago": 170,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Ballot boxes are emptied onto counting tables at Eastmoor leisure centre.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "A retired family doctor standing as an independent has won the Eastmoor by-election, taking the seat from the Civic Party with a majority of 2,140. Dr Ruth Abernethy, who had never held elected office, ran on a single dominant issue: a health authority proposal to move maternity services from Eastmoor General Hospital to a larger site forty minutes away.",
            ),
            (
                "paragraph",
                "Turnout was 52 per cent, unusually high for a by-election. The Civic Party candidate came second, while the Social Alliance, which had hoped to profit from discontent with its coalition partner, finished a distant third and lost its deposit. Counting at the town's leisure centre continued until nearly four in the morning, with the result clear well before the declaration.",
            ),
            ("heading", "A warning for the big parties"),
            (
                "paragraph",
                "In her victory speech, Abernethy said voters had sent a message that local services could not be treated as line items in a regional plan. Party strategists acknowledged that the result reflected deep frustration in towns that feel overlooked, and several backbench members called for the maternity proposal to be paused pending a fresh and independent review.",
            ),
            (
                "quote",
                {
                    "text": "I am not a politician and I do not intend to become one. I intend to make sure the women of this town can give birth close to home.",
                    "attribution": "Dr Ruth Abernethy, newly elected member for Eastmoor",
                },
            ),
        ],
        "corrections": [],
        "comments": "closed",
    },
    {
        "section": "politics",
        "slug": "voting-age-16-committee-report",
        "headline": "Cross-party committee backs lowering the voting age to 16 in local elections",
        "standfirst": "A report from the Assembly's constitutional committee recommends a pilot in three regions, arguing that people who start voting young are more likely to keep voting.",
        "dateline": "LANDSHAVEN",
        "authors": ["tomas-okafor"],
        "tags": ["Elections", "Youth", "Parliament"],
        "hours_ago": 300,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": None,
        "body": [
            (
                "paragraph",
                "A committee of members from five parties has recommended letting 16- and 17-year-olds vote in local elections, beginning with a pilot in three regions at the next round of council polls. The constitutional affairs committee said evidence from other democracies suggested that people who vote in their first eligible election are more likely to keep taking part throughout their lives.",
            ),
            (
                "paragraph",
                "The report proposes that schools receive funding for non-partisan civic education in the year before the pilot, and that electoral registration officers visit colleges to sign up eligible students. It also recommends that the results be independently evaluated before any decision is taken on extending the change to national elections.",
            ),
            ("heading", "Sceptics raise concerns"),
            (
                "paragraph",
                "Not every committee member was persuaded. Two signed a minority note arguing that the age of majority should be consistent across voting, contracts and other legal rights, and that a change of this kind ought to be settled by referendum. Others questioned whether three regions would provide a representative enough sample to judge the results.",
            ),
            (
                "quote",
                {
                    "text": "We ask sixteen-year-olds to pay tax on their part-time wages. It is reasonable to ask them who should decide how it is spent.",
                    "attribution": "Lotte Varga, chair of the constitutional affairs committee",
                },
            ),
            (
                "paragraph",
                "The government has two months to respond formally. Youth organisations welcomed the report and announced a series of town-hall meetings to gather views from young people themselves, while a student union in Harwick said it would run a mock ballot alongside the next council election to demonstrate demand.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    # ------------------------------------------------------------------ #
    # BUSINESS
    # ------------------------------------------------------------------ #
    {
        "section": "business",
        "slug": "voltera-cells-cuts-forecast",
        "headline": "Voltera Cells cuts forecast as battery prices slide and a key customer delays orders",
        "standfirst": "The battery maker's shares fell sharply after it reported an 11 per cent drop in annual revenue and warned that margins would stay under pressure into next year.",
        "dateline": "NORTHGATE",
        "authors": ["priya-raman"],
        "tags": ["Markets", "Energy", "Manufacturing"],
        "hours_ago": 33,
        "updated_hours_ago": 12,
        "language": "en",
        "lead_image": {
            "caption": "Battery modules on the production line at Voltera's Northgate plant.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Shares in Voltera Cells fell by 17 per cent after the battery manufacturer lowered its profit forecast for the coming year, blaming a slump in cell prices and a decision by one of its largest carmaker customers to postpone orders. Annual revenue dropped 11 per cent to £2.3bn, while operating profit roughly halved compared with the previous year.",
            ),
            (
                "paragraph",
                "Chief executive Marguerite Olsen said the company remained confident about long-term demand for electric vehicles and grid storage, but acknowledged that the market had become far more competitive. Prices for standard lithium-ion cells have fallen steadily as new factories come online, squeezing producers that built capacity when supply was tight and prices were high.",
            ),
            ("heading", "Northgate expansion paused"),
            (
                "paragraph",
                "Voltera said it would pause the second phase of its plant in Northgate, which had been expected to create around 900 jobs, while it reviews demand. The first phase, employing 1,400 people, will continue operating normally. Local officials said they had been reassured that the pause was temporary, although the company declined to give a timetable for restarting construction.",
            ),
            (
                "quote",
                {
                    "text": "The whole industry overbuilt on the assumption that demand would rise in a straight line. Voltera is paying for that optimism, but it is far from alone.",
                    "attribution": "Henrik Dahl, analyst at Lodestar Securities",
                },
            ),
            (
                "paragraph",
                "The company also announced a partnership with a utility to supply storage systems for solar farms, a segment it hopes will offset weaker car sales. Investors will be watching for details at its strategy day next month, where management has promised to set out a plan for cutting costs by at least ten per cent over two years.",
            ),
        ],
        "corrections": [
            {
                "hours_ago": 12,
                "kind": "correction",
                "text": "An earlier version of this article said Voltera's annual revenue fell by 14 per cent. The correct figure is 11 per cent, to £2.3bn.",
            },
        ],
        "comments": "open",
    },
    {
        "section": "business",
        "slug": "central-bank-holds-rates",
        "headline": "Central bank holds interest rates at 4.25% but signals a cut could come by summer",
        "standfirst": "Policymakers voted six to three to keep borrowing costs unchanged, with the minority favouring an immediate reduction as inflation eases faster than expected.",
        "dateline": "LANDSHAVEN",
        "authors": ["priya-raman"],
        "tags": ["Economy", "Markets", "Housing"],
        "hours_ago": 12,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "The central bank's headquarters on Exchange Square in Landshaven.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "The central bank left its main interest rate at 4.25 per cent, but its governor said the rate-setting committee was growing more confident that inflation was on track to return to target. Three of the nine members voted for a quarter-point cut, the largest number to do so since rates began rising nearly three years ago.",
            ),
            (
                "paragraph",
                "Consumer price inflation fell to 2.8 per cent last month, helped by lower energy costs and a slowdown in food prices. However, wage growth remains above five per cent, and the bank said it wanted more evidence that prices in the service sector were cooling before easing policy. Financial markets now expect the first cut in June.",
            ),
            ("heading", "Relief for borrowers may be slow"),
            (
                "paragraph",
                "Lenders have already begun trimming fixed-rate mortgage deals in anticipation of lower borrowing costs, but brokers cautioned that many households coming off cheap fixed deals signed several years ago will still face substantially higher monthly payments. Around 600,000 mortgages are due to be refinanced this year, many of them by first-time buyers.",
            ),
            (
                "quote",
                {
                    "text": "The direction of travel is clear. The only real question is whether the bank moves in June or waits until it is absolutely certain.",
                    "attribution": "Clara Whitmore, chief economist at the Harbour Institute",
                },
            ),
            (
                "paragraph",
                "Governor Aldo Pereira said the committee would be guided by the data rather than any predetermined path. He added that global trade tensions and volatile commodity markets made the outlook unusually uncertain, and the bank's updated forecasts show economic growth of just under one per cent this year.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "business",
        "slug": "arcadia-walk-shopping-centre-closure",
        "headline": "Northgate's last shopping centre to close as owners plan flats and a health hub",
        "standfirst": "The Arcadia Walk centre, opened in 1989, will shut in the autumn. Traders are angry about the notice period, but the council says the redevelopment could revive the town centre.",
        "dateline": "NORTHGATE",
        "authors": ["priya-raman"],
        "tags": ["Retail", "Economy", "Local government"],
        "hours_ago": 90,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Shuttered units inside the Arcadia Walk shopping centre.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Arcadia Walk, the covered shopping centre that has anchored Northgate's high street for more than three decades, will close its doors in October. Its owners, the property group Halvard Estates, plan to demolish most of the building and replace it with around 350 flats, a public square and a health centre bringing together GP surgeries, a pharmacy and physiotherapy services.",
            ),
            (
                "paragraph",
                "Only 19 of the centre's 54 units are still occupied. Footfall has fallen by more than half since 2015, and the departure of two department stores left large empty spaces that the owners said they had been unable to re-let. Remaining traders were told of the closure at a meeting this week, and many said six months was far too short to find new premises.",
            ),
            ("heading", "Council backs the plan"),
            (
                "paragraph",
                "Northgate council, which must still grant planning permission, said it broadly supported the proposal and would help displaced businesses find space in vacant shops on nearby streets. Officials argued that bringing more residents and daily health appointments into the centre would support the cafés and independent shops that rely on passing trade.",
            ),
            (
                "quote",
                {
                    "text": "I have sold shoes here for twenty-two years. I understand the place is dying, but you do not give people six months to move a livelihood.",
                    "attribution": "Desmond Price, owner of Price Footwear",
                },
            ),
            (
                "paragraph",
                "Halvard Estates said it would offer rent-free periods to traders who move to a temporary market hall during construction. Work is expected to start next spring and take around three years, subject to planning approval and a public consultation that is scheduled to open in the summer.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "business",
        "slug": "tidemark-kelp-funding",
        "headline": "Seaweed start-up Tidemark raises £18m to scale up kelp farms off the west coast",
        "standfirst": "The company, which turns farmed kelp into packaging and animal feed, says the money will fund three new offshore sites and a processing plant in Port Elston.",
        "dateline": "PORT ELSTON",
        "authors": ["priya-raman", "jonah-whitcombe"],
        "tags": ["Startups", "Climate", "Port Elston"],
        "hours_ago": 215,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Kelp lines being hauled aboard a work boat off the coast near Port Elston.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Tidemark, a four-year-old company that grows kelp on ropes suspended in coastal waters, has raised £18m from a group of investors led by a climate-focused fund. The firm currently operates two small farms and sells processed seaweed to makers of biodegradable food packaging and to livestock farmers, who add it to cattle feed.",
            ),
            (
                "paragraph",
                "Founder Isla Moreno said the funding would allow Tidemark to open three larger offshore sites and build a processing plant in Port Elston, creating around 120 jobs over two years. The company expects to harvest about 4,000 tonnes of kelp a year once all of its sites are running, compared with roughly 300 tonnes today.",
            ),
            ("heading", "Promise and caution"),
            (
                "paragraph",
                "Seaweed farming has attracted growing interest because kelp grows quickly without fertiliser or fresh water. Marine scientists caution, however, that large farms can shade the seabed and affect local wildlife, and that the industry's environmental benefits depend heavily on how the harvest is eventually used. Tidemark says it will pay for independent monitoring at each site.",
            ),
            (
                "quote",
                {
                    "text": "We are not pretending seaweed will save the planet on its own. It is one useful tool, and we want to prove it can work as a proper business.",
                    "attribution": "Isla Moreno, founder of Tidemark",
                },
            ),
            (
                "paragraph",
                "Local fishing associations have been consulted on the location of the new farms, which will sit in areas with little commercial fishing. The processing plant is expected to open next year on a former boatyard that has stood empty since the late 2000s, and the company says it will recruit and train staff locally.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "business",
        "slug": "tidewater-air-strike-costs",
        "headline": "Tidewater Air says pilot strike cost it £40m as it restores a full schedule",
        "standfirst": "The airline cancelled more than 1,100 flights during the five-day walkout, which ended with a two-year pay deal and new limits on last-minute roster changes.",
        "dateline": "HARWICK",
        "authors": ["priya-raman"],
        "tags": ["Transport", "Labour", "Markets"],
        "hours_ago": 100,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": None,
        "body": [
            (
                "paragraph",
                "Tidewater Air estimated that a five-day strike by its pilots had reduced profits by about £40m, as the regional airline returned to its normal timetable. More than 1,100 flights were cancelled during the dispute, affecting roughly 150,000 passengers during one of the busiest travel weeks of the year.",
            ),
            (
                "paragraph",
                "The walkout ended when pilots accepted a deal offering pay rises of 6 per cent this year and 4 per cent next year, along with a rule that rosters cannot be changed less than seven days in advance except in emergencies. The pilots' association said unpredictable schedules had been a bigger grievance for its members than pay.",
            ),
            ("heading", "Passengers claim compensation"),
            (
                "paragraph",
                "Tidewater said it had already processed around a third of the compensation claims submitted by affected travellers and expected to complete the rest within six weeks. Consumer groups urged passengers to keep receipts for hotels, meals and alternative transport, which the airline is obliged to reimburse under passenger rights rules.",
            ),
            (
                "quote",
                {
                    "text": "The cost of the strike is painful, but the cost of a workforce that does not trust its managers would have been far greater.",
                    "attribution": "Fergus Lindqvist, chief executive of Tidewater Air",
                },
            ),
            (
                "paragraph",
                "Shares in the airline rose by 4 per cent after the announcement, with analysts saying the settlement removed a significant source of uncertainty ahead of the holiday season. The company kept its full-year passenger forecast unchanged but warned that fuel costs remained a risk to profits.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "business",
        "slug": "coffee-prices-squeeze-roasters",
        "headline": "Independent coffee roasters squeezed as bean prices hit a 40-year high",
        "standfirst": "Small roasteries say they cannot pass the full rise on to customers without losing them, and some are cutting hours or dropping speciality blends.",
        "dateline": "HARWICK",
        "authors": ["priya-raman"],
        "tags": ["Economy", "Food", "Retail", "Harwick"],
        "hours_ago": 420,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Freshly roasted beans cooling in a drum at a small Harwick roastery.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Wholesale coffee prices have more than doubled over the past eighteen months, and the pressure is now being felt most acutely by independent roasters. Poor harvests in several growing regions, higher shipping costs and a weaker currency have combined to push the price of green arabica beans to levels not seen in four decades.",
            ),
            (
                "paragraph",
                "At Ember & Oak, a roastery in Harwick's old mill district, owner Naomi Fitch said her cost for a single sack of beans had risen by about £300 since last year. She has raised the price of a bag of coffee twice but says she cannot go further without driving away regular customers, many of whom are also feeling the squeeze on household budgets.",
            ),
            ("heading", "Smaller blends disappear"),
            (
                "paragraph",
                "Several roasters said they were narrowing their ranges, dropping rare single-origin coffees that sell in small quantities and concentrating on a few reliable blends. Others are buying together through informal co-operatives to secure better terms from importers. Trade associations warn that some businesses may close if prices stay high into next year.",
            ),
            (
                "quote",
                {
                    "text": "A flat white still costs less than a sandwich. People forget how many hands touch a coffee bean before it reaches the cup.",
                    "attribution": "Naomi Fitch, owner of Ember & Oak",
                },
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    # ------------------------------------------------------------------ #
    # TECHNOLOGY
    # ------------------------------------------------------------------ #
    {
        "section": "technology",
        "slug": "harwick-ai-traffic-lights-trial",
        "headline": "Harwick trials AI-controlled traffic lights to cut bus delays on its busiest routes",
        "standfirst": "Sensors and software will adjust signal timings in real time at 40 junctions. Privacy campaigners want guarantees that camera images will never be used to identify drivers.",
        "dateline": "HARWICK",
        "authors": ["jonah-whitcombe"],
        "tags": ["AI", "Transport", "Privacy", "Harwick"],
        "hours_ago": 18,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "A sensor unit mounted above a junction on Harwick's Station Road.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Harwick has switched on a year-long trial of traffic signals controlled by machine-learning software at 40 junctions along three of its busiest bus corridors. The system uses roadside sensors to count vehicles, cyclists and pedestrians, then adjusts the length of green and red phases every few seconds to keep traffic moving and to give priority to buses that are running late.",
            ),
            (
                "paragraph",
                'Transport officials hope the trial will cut average bus journey times by up to 15 per cent at peak hours. Similar systems elsewhere have reported shorter queues, but results vary widely depending on road layouts and the quality of the underlying data. The council has committed to publishing monthly performance figures on its <a href="https://example.org/harwick-signals">open data portal</a>.',
            ),
            ("heading", "Questions over cameras"),
            (
                "paragraph",
                "The sensors include cameras, and privacy groups have asked for assurances about how images are handled. The council says pictures are processed inside each roadside unit, converted into anonymous counts and deleted within seconds, so that no video ever leaves the junction. Campaigners have asked for an <b>independent audit</b> to confirm that the system works as described.",
            ),
            (
                "quote",
                {
                    "text": "We support faster buses. We just want the council to prove that a traffic-counting camera cannot quietly turn into a surveillance camera.",
                    "attribution": "Tamsin Ruiz, director of the Open Streets Trust",
                },
            ),
            (
                "paragraph",
                "The supplier, a local firm called Greenwave Signals, will be paid partly according to how much the system improves journey times. If the trial succeeds, the council plans to extend it to a further 150 junctions over the following three years, funded from a regional transport grant that has already been approved in principle.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "technology",
        "slug": "kestrel-health-ransomware-attack",
        "headline": "Hospital group postpones operations after ransomware attack disables records system",
        "standfirst": "Kestrel Health has cancelled non-urgent surgery at four hospitals and asked patients to bring written lists of their medicines while systems are restored.",
        "dateline": "PORT ELSTON",
        "authors": ["jonah-whitcombe"],
        "tags": ["Cybersecurity", "Health", "Privacy", "Port Elston"],
        "hours_ago": 40,
        "updated_hours_ago": 22,
        "language": "en",
        "lead_image": {
            "caption": "Staff use paper forms at the reception desk of a Kestrel Health hospital.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "A ransomware attack on Kestrel Health, which runs four hospitals across the west of the region, has forced the postponement of hundreds of planned operations and outpatient appointments. The group said criminals had encrypted parts of its electronic patient record system in the early hours of Sunday, leaving staff unable to view test results or medication histories on screen.",
            ),
            (
                "paragraph",
                "Emergency departments remain open and are working from paper forms, the group said in a statement, and the data protection regulator has been notified. Patients with appointments this week have been asked to attend unless contacted directly, and to bring a list of their current medicines. Some pathology results are being delivered by courier between sites.",
            ),
            ("heading", "Was patient data stolen?"),
            (
                "paragraph",
                "Kestrel Health said it was investigating whether any personal information had been copied before the systems were encrypted. Security researchers said the gang believed to be behind the attack typically steals data and threatens to publish it unless a ransom is paid. The hospital group has not said whether it received a demand, and police have advised organisations against paying.",
            ),
            (
                "quote",
                {
                    "text": "Hospitals are attractive targets because every hour of disruption has real human consequences. Attackers know that, and they exploit it ruthlessly.",
                    "attribution": "Dr Amrit Bains, cybersecurity researcher at Port Elston University",
                },
            ),
            (
                "paragraph",
                "Restoring the full system could take at least a week. Staff have been working extra shifts to re-enter information by hand, and the group said it would prioritise cancer treatment and urgent surgery as services return. A helpline for worried patients has been set up and will stay open in the evenings until further notice.",
            ),
        ],
        "corrections": [
            {
                "hours_ago": 22,
                "kind": "update",
                "text": "This article was updated to include Kestrel Health's statement that emergency departments are operating and that the data protection regulator has been notified.",
            },
        ],
        "comments": "closed",
    },
    {
        "section": "technology",
        "slug": "commons-code-fund-open-source",
        "headline": "Tech firms pledge £12m to pay maintainers of the open-source code they depend on",
        "standfirst": "A new fund will pay stipends to volunteers who look after widely used software libraries, after a string of security scares traced back to neglected projects.",
        "dateline": "LANDSHAVEN",
        "authors": ["jonah-whitcombe"],
        "tags": ["Open source", "Cybersecurity", "Startups"],
        "hours_ago": 240,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": None,
        "body": [
            (
                "paragraph",
                "A group of eleven technology companies has committed £12m over three years to a fund that will pay the people who maintain open-source software, the freely available code that underpins much of the internet. The Commons Code Fund will offer stipends of up to £40,000 a year to maintainers of projects judged to be critical infrastructure.",
            ),
            (
                "paragraph",
                "Many of those projects are looked after by one or two volunteers in their spare time, even though they are relied on by banks, hospitals and government departments. Recent security incidents involving abandoned or overstretched libraries have increased pressure on companies to contribute money rather than simply benefit from the unpaid work of others.",
            ),
            ("heading", "How projects will be chosen"),
            (
                "paragraph",
                "An independent panel of engineers will select projects according to how widely they are used and how much risk a failure would pose. Maintainers will not be required to change licences or give funders any control over their code. The fund will also pay for security audits and for documentation, which volunteers rarely have time to write.",
            ),
            (
                "quote",
                {
                    "text": "For years the honest answer to 'who maintains this?' has been 'someone, in their evenings'. This does not fix that completely, but it is a start.",
                    "attribution": "Rosa Lindahl, maintainer of a widely used data-parsing library",
                },
            ),
            (
                "paragraph",
                'Critics noted that £12m is small compared with the profits of the companies involved, and called for governments to fund software maintenance as a public good. The organisers say they hope to double the fund within two years and will publish a list of supported projects and payments every year on the fund\'s <a href="https://example.org/commons-code">website</a>.',
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "technology",
        "slug": "phone-repair-rules-spare-parts",
        "headline": "New repair rules force phone makers to sell spare parts for seven years",
        "standfirst": "Manufacturers will have to make batteries, screens and cameras available to independent repairers at reasonable prices and publish repair manuals online.",
        "dateline": "LANDSHAVEN",
        "authors": ["jonah-whitcombe"],
        "tags": ["Consumer rights", "Technology policy", "Climate"],
        "hours_ago": 340,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "A technician replaces a cracked screen at an independent repair shop.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Smartphone and tablet makers will have to supply spare parts for at least seven years after a model stops being sold, under regulations approved by the Assembly. The rules cover batteries, screens, cameras, charging ports and buttons, and require manufacturers to sell them to independent repair shops and to individuals at prices that are not unreasonably high.",
            ),
            (
                "paragraph",
                "Companies must also publish repair manuals free of charge and stop using software locks that prevent a replacement part from working unless it has been paired with the device by the manufacturer. Environmental groups say the measures could keep millions of devices in use for longer and substantially reduce electronic waste.",
            ),
            ("heading", "Industry concerns"),
            (
                "paragraph",
                "Manufacturers argued during the consultation that some parts, particularly batteries, could be dangerous if fitted incorrectly, and that making pairing optional could make stolen phones easier to resell. The regulations allow firms to restrict certain safety-critical repairs to trained technicians, provided they publish a list of approved repairers.",
            ),
            (
                "quote",
                {
                    "text": "My customers used to be told their phone was beyond repair when it only needed a twenty-pound part. That should become a thing of the past.",
                    "attribution": "Kwame Asante, owner of the FixPoint repair shop in Harwick",
                },
            ),
            (
                "paragraph",
                "The rules will take effect in eighteen months, giving companies time to adjust their supply chains. A consumer watchdog will have the power to fine firms that fail to comply, and it plans to run regular spot checks on the prices charged for spare parts.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "technology",
        "slug": "ravensdale-rural-broadband",
        "headline": "Hill villages finally get fast broadband after years on the slowest connections",
        "standfirst": "A mix of fibre, fixed wireless and satellite links has reached 2,300 homes in the Ravensdale uplands, but some farms at the end of long tracks are still waiting.",
        "dateline": "RAVENSDALE",
        "authors": ["jonah-whitcombe"],
        "tags": ["Broadband", "Local government", "Technology policy"],
        "hours_ago": 520,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "A wireless mast on the hill above the village of Hollin.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "For years, residents of the Ravensdale uplands joked that they could drive to the nearest town faster than they could download a film. That has begun to change: a regional programme has connected around 2,300 homes and businesses in the hills to broadband speeds of at least 100 megabits per second, many of them for the first time.",
            ),
            (
                "paragraph",
                "Villages in the valleys were connected with fibre-optic cable strung along existing telephone poles, while higher settlements received fixed wireless links beamed from masts on nearby hilltops. About 180 of the most remote properties have been offered subsidised satellite connections instead, an option that is cheaper to install but can slow down in heavy rain.",
            ),
            ("heading", "Life online"),
            (
                "paragraph",
                "Local businesses say the difference is already visible. A cheese-maker in the village of Hollin now takes orders online, a bed-and-breakfast offers video calls to guests planning walking holidays, and the primary school streams lessons from a partner school in the city. Several families have told the parish council they moved back to the area because remote work finally became possible.",
            ),
            (
                "quote",
                {
                    "text": "We spent ten years writing letters asking for this. Now my grandchildren can do their homework without driving to the library car park for a signal.",
                    "attribution": "Margaret Ellery, chair of Hollin parish council",
                },
            ),
            (
                "paragraph",
                "Not everyone has been reached. Some farms at the end of long private tracks have yet to be given a connection date, and the programme's budget is almost spent. Officials say they are applying for a further national grant to cover the last 300 or so properties before the end of next year.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    # ------------------------------------------------------------------ #
    # SPORT
    # ------------------------------------------------------------------ #
    {
        "section": "sport",
        "slug": "calder-town-win-northern-league-cup",
        "headline": "Calder Town stun Ashby Rovers with a late double to win the Northern League Cup",
        "standfirst": "Two goals in the final six minutes, both from substitute Danny Oduya, turned the final on its head in front of a sell-out crowd at the Riverside Ground.",
        "dateline": "HARWICK",
        "authors": ["sofia-brandt"],
        "tags": ["Football", "Finals"],
        "hours_ago": 22,
        "updated_hours_ago": 14,
        "language": "en",
        "lead_image": {
            "caption": "Calder Town players celebrate with the Northern League Cup at the Riverside Ground.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Calder Town won the Northern League Cup for the first time in their 94-year history, coming from behind to beat Ashby Rovers 2-1 in a final that seemed to be slipping away from them until the closing minutes. Ashby had led since the 38th minute through a header from captain Marcus Greer and controlled much of the second half.",
            ),
            (
                "paragraph",
                "Calder manager Helen Adair sent on Danny Oduya, a 19-year-old forward who had played only four first-team matches, with fifteen minutes remaining. In the 84th minute he reacted quickest to a loose ball in the area and drove it low into the corner. Four minutes later he curled a free-kick over the wall and beyond the goalkeeper's dive to spark wild celebrations in the away end.",
            ),
            ("heading", "Heartbreak for Ashby"),
            (
                "paragraph",
                "Ashby, who finished eleven points ahead of Calder in the league this season, were left to reflect on a string of missed chances. Their striker Jonas Pettersen hit the post shortly after half-time, and their goalkeeper made two excellent saves before the late collapse. Rovers manager Ivan Sokol said his players had stopped doing the simple things once they were in front.",
            ),
            (
                "quote",
                {
                    "text": "I told him to go out and enjoy it, because finals like this do not come along often. I did not expect him to win it on his own.",
                    "attribution": "Helen Adair, Calder Town manager",
                },
            ),
            (
                "paragraph",
                "Victory earns Calder a place in next season's Continental Shield qualifying rounds and prize money of £1.2m, a significant sum for a club that was in administration only six years ago. Thousands of supporters are expected to line the streets of Calder for an open-top bus parade, which will finish with a reception outside the town hall.",
            ),
        ],
        "corrections": [
            {
                "hours_ago": 14,
                "kind": "correction",
                "text": "An earlier version of this report said Calder's winning goal was scored by Liam Fenton. It was scored by Danny Oduya, who scored both of Calder's goals.",
            },
        ],
        "comments": "open",
    },
    {
        "section": "sport",
        "slug": "tour-of-the-coast-stage-four",
        "headline": "Breakaway rider Noor Visser takes stage four of the Tour of the Coast in driving rain",
        "standfirst": "The 24-year-old held off the chasing peloton by eleven seconds after a 130-kilometre escape, while race leader Ilse Moray kept her yellow jersey.",
        "dateline": "PORT ELSTON",
        "authors": ["sofia-brandt"],
        "tags": ["Cycling", "Port Elston"],
        "hours_ago": 78,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Noor Visser crosses the finish line on the Port Elston seafront.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Noor Visser won the fourth stage of the Tour of the Coast, surviving a long solo effort through wind and heavy rain to cross the line in Port Elston eleven seconds ahead of the bunch. The Altamar team rider joined an early breakaway of six and attacked alone with 28 kilometres remaining, on the final climb of the day.",
            ),
            (
                "paragraph",
                "Behind her, the peloton struggled to organise a chase on slippery roads along the cliffs, and a crash on a tight descent split the group with 15 kilometres to go. Several sprinters lost contact, ending their hopes of a bunch finish. Visser, who turned professional only two seasons ago, sat down on the wet tarmac after the finish and said she had not dared to look behind her.",
            ),
            ("heading", "Leader stays safe"),
            (
                "paragraph",
                "Race leader Ilse Moray finished in the main group and keeps her overall advantage of 38 seconds with three stages remaining. Her team rode conservatively on the descent, and she described the day as one to survive rather than to win. The mountain stage that finishes at the summit of the Carrow Pass is expected to decide the race.",
            ),
            (
                "quote",
                {
                    "text": "When the rain came I thought the others might give up the chase. I just kept telling myself one more kilometre, then one more.",
                    "attribution": "Noor Visser, stage winner",
                },
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "sport",
        "slug": "port-elston-marathon-heat-plan",
        "headline": "Port Elston marathon moves start to 6am as organisers plan for extreme heat",
        "standfirst": "Runners will set off two hours earlier than usual, with extra water stations and cooling zones, after more than 200 people were treated for heat illness last year.",
        "dateline": "PORT ELSTON",
        "authors": ["sofia-brandt"],
        "tags": ["Athletics", "Climate", "Health", "Port Elston"],
        "hours_ago": 150,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Runners pass a water station on the Port Elston marathon route.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "The Port Elston marathon will start at 6am this year instead of 8am, organisers have announced, as part of a wider plan to protect runners from rising summer temperatures. Last year's race took place on a humid morning that reached 29C before most participants had finished, and medical teams treated more than 200 runners for heat-related illness.",
            ),
            (
                "paragraph",
                "The new plan adds six water stations, bringing the total to twenty, and introduces three cooling zones where runners can pass through fine mist sprays. Medical tents will be placed every five kilometres rather than every eight, and volunteers will carry ice packs along the final third of the course, where most problems occurred last year.",
            ),
            ("heading", "A clear cancellation trigger"),
            (
                "paragraph",
                "For the first time, organisers have set a clear threshold for shortening or cancelling the race. If the forecast heat stress index exceeds an agreed level two days before the event, the distance will be reduced to a half marathon, and every entrant will be offered a place in next year's race. Runners have been told to check for updates in the final week.",
            ),
            (
                "quote",
                {
                    "text": "We would much rather send people home a little disappointed than send them to hospital. Everything in this plan follows from that.",
                    "attribution": "Dr Ben Achterberg, the marathon's medical director",
                },
            ),
            (
                "paragraph",
                "Some running clubs welcomed the changes, though others complained that the early start would make travel difficult for participants coming from outside the city. Organisers said extra trains and shuttle buses would run from 4am, and that the baggage area would open an hour earlier than in previous years.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "sport",
        "slug": "harwick-united-stadium-plan",
        "headline": "Harwick United's 30,000-seat stadium plan meets resistance from residents",
        "standfirst": "The club says a new ground on former railway land would secure its future. Neighbours worry about traffic, noise and the loss of a well-used green space.",
        "dateline": "HARWICK",
        "authors": ["sofia-brandt", "tomas-okafor"],
        "tags": ["Football", "Local government", "Harwick", "Housing"],
        "hours_ago": 270,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Disused railway sidings east of Harwick city centre, the proposed stadium site.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Harwick United have submitted plans for a 30,000-seat stadium on disused railway sidings east of the city centre, a project the club says is essential if it is to compete at the top level. Their current home, Cross Lane, holds just under 14,000 and has been criticised by safety inspectors for its ageing stands and narrow exits.",
            ),
            (
                "paragraph",
                "The proposal includes 600 homes, a hotel and a community sports centre, which the club argues would bring regeneration to a neglected corner of the city. A new tram stop would be built next to the ground, paid for partly by the developer. The club says it will not need public money to build the stadium itself.",
            ),
            ("heading", "Residents organise"),
            (
                "paragraph",
                "A residents' group on the nearby Eastbank estate has collected more than 3,000 objections. Members are concerned about match-day traffic on narrow streets, noise from the concerts the club hopes to host, and the loss of a patch of scrubland that has become an informal park and a haven for birds. They have asked the council to insist on a larger permanent green space.",
            ),
            (
                "quote",
                {
                    "text": "Nobody round here hates football. We just do not want to be its car park every other Saturday.",
                    "attribution": "Carol Dunmore, Eastbank Residents' Association",
                },
            ),
            (
                "paragraph",
                "A decision by the city's planning committee is expected in the autumn. The club has promised further public meetings before then and says it is willing to adjust the design, including the position of the main car park, to address residents' concerns.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "sport",
        "slug": "landshaven-lions-record-crowd",
        "headline": "Record crowd watches Landshaven Lions open their title defence against Port Elston",
        "standfirst": "More than 11,000 spectators filled Marine Park, the largest attendance ever recorded for a domestic women's rugby match in the country.",
        "dateline": "LANDSHAVEN",
        "authors": ["sofia-brandt"],
        "tags": ["Rugby", "Port Elston"],
        "hours_ago": 1,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "A packed stand at Marine Park during the Lions' opening match.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Landshaven Lions began the defence of their women's rugby title with a 27-19 victory over Port Elston Mariners, in front of 11,412 spectators at Marine Park. The crowd was the largest ever recorded for a domestic women's rugby match in the country, beating the previous record by almost three thousand.",
            ),
            (
                "paragraph",
                "The Mariners led 12-10 at half-time after two tries from their powerful number eight, Keira Dolan, but the Lions took control after the break. Winger Sadie Morrow scored twice in ten minutes, using her pace on the outside, and fly-half Ana Velasco kicked every conversion as well as a late penalty to put the result beyond doubt.",
            ),
            ("heading", "A growing audience"),
            (
                "paragraph",
                "League officials said ticket sales had been helped by free entry for under-16s and a post-match concert, but insisted the figures reflected a genuine surge in interest. Television audiences for last season's final were double those of the year before, and several clubs report waiting lists for their junior girls' teams.",
            ),
            (
                "quote",
                {
                    "text": "When we ran out of the tunnel and heard that noise, some of us had tears in our eyes. Five years ago we played in front of our families and a few dogs.",
                    "attribution": "Jess Ruddock, Landshaven Lions captain",
                },
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    # ------------------------------------------------------------------ #
    # CULTURE
    # ------------------------------------------------------------------ #
    {
        "section": "culture",
        "slug": "port-elston-film-festival-opens",
        "headline": "Port Elston film festival opens with a quiet family drama and long queues for tickets",
        "standfirst": "The 31st edition features 140 films from 46 countries, with a competition jury chaired by the documentary maker Sara Quell.",
        "dateline": "PORT ELSTON",
        "authors": ["yusuf-haddad"],
        "tags": ["Film", "Festivals", "Port Elston"],
        "hours_ago": 15,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Festival-goers queue outside the Harbour Cinema on opening night.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "The Port Elston International Film Festival opened with <i>The Salt Orchard</i>, a restrained drama about three generations of a family deciding whether to sell their failing fruit farm. The film, the second feature by director Matteo Linares, drew a long standing ovation at the Harbour Cinema and set a contemplative tone for a festival that has increasingly favoured character-driven stories.",
            ),
            (
                "paragraph",
                "Over eleven days the festival will screen 140 films from 46 countries, including 18 in its main competition. Organisers said advance ticket sales were up by a quarter on last year, helped by a new scheme offering cheap seats to students and to residents of the city's eastern districts, where many households have never attended a screening.",
            ),
            ("heading", "Jury and competition"),
            (
                "paragraph",
                "The competition jury is chaired by the documentary maker Sara Quell, whose films about coastal communities have won awards at festivals around the world. She told reporters the jury would look for work that took risks, whether in form or subject. Titles already attracting attention include a West African road movie, a thriller set entirely inside a lift and an animated film about a lighthouse keeper.",
            ),
            (
                "quote",
                {
                    "text": "I want to be surprised. I have seen enough perfectly made films that I forget by the time I reach the car park.",
                    "attribution": "Sara Quell, president of the competition jury",
                },
            ),
            (
                "paragraph",
                'Outside the cinemas, the festival has expanded its free outdoor screenings on the harbour front, with a programme of restored classics each night. The main awards will be presented on the closing evening, followed by an open-air screening of the winning film. The full schedule is on the <a href="https://example.org/peiff-programme">festival programme page</a>.',
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "culture",
        "slug": "millbrook-library-centenary",
        "headline": "Millbrook library marks its centenary a day after escaping closure",
        "standfirst": "Readers, authors and former staff gathered to celebrate a branch library that came within a single council vote of shutting its doors.",
        "dateline": "HARWICK",
        "authors": ["yusuf-haddad"],
        "tags": ["Books", "Harwick", "Local government"],
        "hours_ago": 10,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Children unveil a mural on the garden wall of Millbrook library.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Millbrook library celebrated its hundredth birthday with readings, a brass band and a cake shaped like a stack of books, only a day after the branch was saved from closure in an all-night council budget vote. Several hundred people passed through the red-brick building during the afternoon, many still carrying the petition leaflets that had circulated in the neighbourhood for weeks.",
            ),
            (
                "paragraph",
                "The library opened in 1925, paid for partly by subscriptions from workers at the district's textile mills. It has since served as a polling station, a wartime first-aid post and, more recently, a place where residents without home internet can apply for jobs and benefits. Staff said about 400 people use its public computers every week.",
            ),
            ("heading", "Stories from the shelves"),
            (
                "paragraph",
                "Former librarians shared memories of decades behind the counter, including a famously overdue book that came back with a letter of apology after 38 years. Local novelist Dan Hurley read from a story he had written as a teenager at one of the library's writing clubs, and schoolchildren unveiled a mural of the building painted on the garden wall.",
            ),
            (
                "quote",
                {
                    "text": "A library is the only building in town where nobody asks you to buy anything. That is worth protecting for another hundred years.",
                    "attribution": "Dan Hurley, novelist and former member of the library's youth writing club",
                },
            ),
            (
                "paragraph",
                "Campaigners say they intend to keep up the pressure on the council, which has promised to protect the branch this year but has not ruled out changes in future budgets. A friends' group formed during the campaign is now raising money to extend Saturday opening hours and to restore the building's original reading-room skylight.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "culture",
        "slug": "meridian-prize-shortlist-debuts",
        "headline": "Debut novels dominate the Meridian Prize shortlist for the first time",
        "standfirst": "Four of the six books competing for the £30,000 award are first novels, including a story told entirely through voicemail messages.",
        "dateline": "LANDSHAVEN",
        "authors": ["yusuf-haddad"],
        "tags": ["Books", "Awards"],
        "hours_ago": 190,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "The six shortlisted novels displayed in a Landshaven bookshop window.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "Four debut novels have been named on the six-book shortlist for this year's Meridian Prize for fiction, the first time first-time authors have outnumbered established writers in the award's 27-year history. The winner, who will receive £30,000, will be announced at a ceremony in Landshaven next month.",
            ),
            (
                "paragraph",
                "Among the debuts is <i>Please Leave a Message</i> by Hana Petrov, a novel told entirely through voicemails left for a woman who has stopped answering her phone. The judges called it funny, unsettling and formally daring. Also shortlisted is <i>The Cartographer's Daughter</i> by Owen Tallis, a historical novel set among mapmakers in a nineteenth-century port city.",
            ),
            ("heading", "Established names miss out"),
            (
                "paragraph",
                "Several widely tipped novelists failed to make the list, including two former winners. The chair of judges, the critic Beatrice Amadi, said the panel had read 156 submissions without regard to reputation and had been struck by the confidence of new voices. Booksellers reported a rush of orders for the shortlisted titles within hours of the announcement.",
            ),
            (
                "quote",
                {
                    "text": "We did not set out to champion debuts. These were simply the books we could not stop arguing about late into the evening.",
                    "attribution": "Beatrice Amadi, chair of the Meridian Prize judges",
                },
            ),
            (
                "paragraph",
                "The remaining two shortlisted books are a family saga spanning four decades in a mining town and a slim novel about a translator working on a dead poet's final manuscript. Each shortlisted author will receive £2,500 and a specially bound edition of their book, presented at a reading evening the week before the ceremony.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "culture",
        "slug": "harwick-philharmonic-new-conductor",
        "headline": "Harwick Philharmonic names 34-year-old Ines Castellan as chief conductor",
        "standfirst": "The orchestra's youngest ever music director promises more new music, more concerts in schools and a residency in the city's restored Corn Exchange.",
        "dateline": "HARWICK",
        "authors": ["yusuf-haddad"],
        "tags": ["Music", "Harwick"],
        "hours_ago": 380,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "Ines Castellan rehearsing with the Harwick Philharmonic.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "The Harwick Philharmonic Orchestra has appointed Ines Castellan as its chief conductor, making her the youngest person to hold the post in the orchestra's 110-year history. Castellan, who is 34, has been the orchestra's principal guest conductor for two seasons and will take up the role next September on a five-year contract.",
            ),
            (
                "paragraph",
                "She has built a reputation for pairing familiar symphonies with contemporary works, and told a press conference that she wanted at least one new or recent piece in every programme. Her first season will open with a newly commissioned work by a composer from the city, followed by a symphony the orchestra has not performed in more than twenty years.",
            ),
            ("heading", "Beyond the concert hall"),
            (
                "paragraph",
                "Castellan also plans to expand the orchestra's education work, sending small ensembles into every primary school in Harwick over the course of her contract. The orchestra will begin a residency at the recently restored Corn Exchange, where it intends to hold informal late-evening concerts with cheaper tickets and no dress code.",
            ),
            (
                "quote",
                {
                    "text": "An orchestra belongs to its city. If people only see us in evening dress once a year, we have not done our job.",
                    "attribution": "Ines Castellan, incoming chief conductor",
                },
            ),
            (
                "paragraph",
                "Players and board members said her appointment followed a unanimous vote. She succeeds a conductor who led the orchestra for fourteen years and who will now take the honorary title of conductor laureate, returning each season to lead at least two programmes.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
    {
        "section": "culture",
        "slug": "museum-returns-tamarua-doors",
        "headline": "City museum agrees to return carved doors taken during a colonial-era expedition",
        "standfirst": "The Landshaven Museum of World Cultures will hand back a pair of ceremonial doors after a two-year review of how they entered its collection.",
        "dateline": "LANDSHAVEN",
        "authors": ["yusuf-haddad", "mara-ellison"],
        "tags": ["Museums", "Heritage", "Diplomacy"],
        "hours_ago": 600,
        "updated_hours_ago": None,
        "language": "en",
        "lead_image": {
            "caption": "The carved Tamarua doors in the main gallery of the Landshaven Museum of World Cultures.",
            "credit": "Illustration: Dateline",
        },
        "body": [
            (
                "paragraph",
                "The Landshaven Museum of World Cultures is to return a pair of carved wooden doors to the island community of Tamarua, ending a request that was first made more than forty years ago. The museum's trustees voted to transfer ownership after an internal review concluded that the doors had been removed without consent during a naval expedition in 1894.",
            ),
            (
                "paragraph",
                "The doors, each nearly three metres tall, once stood at the entrance of a meeting house and are decorated with figures representing ancestors and sea creatures. They have been displayed in the museum's main gallery since 1921 and are among its best-known objects. Researchers traced their history through ship logs, letters and the diary of an officer who took part in the expedition.",
            ),
            ("heading", "A wider review"),
            (
                "paragraph",
                "The museum says the decision is part of a broader review of around 1,200 objects whose origins are uncertain. Its director said the institution would not wait for formal claims in every case and would contact communities directly where evidence suggested items had been taken by force. Some critics argue that museums risk emptying their galleries, while others say the process is moving far too slowly.",
            ),
            (
                "quote",
                {
                    "text": "These doors were never meant to be looked at behind glass. They were made to be walked through, by people coming together to talk.",
                    "attribution": "Mere Taunoa, spokesperson for the Tamarua community council",
                },
            ),
            (
                "paragraph",
                "A delegation from Tamarua will travel to Landshaven later this year for a handover ceremony. The museum plans to replace the display with an exhibition explaining the history of the doors and the long campaign for their return, developed together with researchers from the island.",
            ),
        ],
        "corrections": [],
        "comments": "closed",
    },
    {
        "section": "culture",
        "slug": "marsa-al-ain-cinema-reopens",
        "headline": "سينما «الفنار» في مرسى العين تعود إلى الحياة بعد ثلاثين عاماً من الإغلاق",
        "standfirst": "أعادت مجموعة من الشباب والحرفيين ترميم واحدة من أقدم دور العرض في المدينة الساحلية، لتفتح أبوابها من جديد بعروض لأفلام كلاسيكية وبرنامج أسبوعي للأطفال.",
        "dateline": "مرسى العين",
        "authors": ["yusuf-haddad"],
        "tags": ["سينما", "تراث", "العالم العربي"],
        "hours_ago": 115,
        "updated_hours_ago": None,
        "language": "ar",
        "lead_image": {
            "caption": "واجهة سينما «الفنار» بعد ترميمها، وقد أضيئت لافتتها القديمة من جديد.",
            "credit": "رسم توضيحي: دايتلاين",
        },
        "body": [
            (
                "paragraph",
                "امتلأت مقاعد سينما «الفنار» في مدينة مرسى العين مساء الخميس للمرة الأولى منذ ثلاثة عقود، بعد أن أعاد فريق من المتطوعين والحرفيين ترميم المبنى الذي شُيّد في خمسينيات القرن الماضي. وتوافد مئات من سكان المدينة، بينهم كبار في السن جاؤوا ليستعيدوا ذكريات شبابهم، وأطفال يدخلون صالة سينما للمرة الأولى في حياتهم.",
            ),
            (
                "paragraph",
                "واستغرقت أعمال الترميم قرابة عامين، شملت إصلاح السقف الخشبي المزخرف وتجديد المقاعد الحمراء الأصلية واستبدال أجهزة العرض القديمة بأخرى رقمية حديثة، مع الإبقاء على آلة العرض القديمة معروضة في البهو. وموّلت المشروعَ تبرعاتٌ من أهالي المدينة ومنحةٌ صغيرة من صندوق محلي لدعم التراث المعماري.",
            ),
            ("heading", "ذاكرة المدينة"),
            (
                "paragraph",
                "ويقول القائمون على المشروع إن السينما لم تكن مجرد مكان لمشاهدة الأفلام، بل كانت ملتقى اجتماعياً تتعارف فيه العائلات ويتبادل فيه الشبان أخبار الحي. وقد جمع الفريق عشرات الصور والتذاكر القديمة من السكان، وعرضها في معرض صغير عند المدخل يروي قصة المكان منذ افتتاحه حتى إغلاقه في أوائل التسعينيات.",
            ),
            (
                "quote",
                {
                    "text": "كنت أبيع التذاكر هنا وأنا في السادسة عشرة من عمري. لم أتخيل يوماً أنني سأعود لأرى الأضواء مشتعلة من جديد.",
                    "attribution": "حسن الجمّال، موظف سابق في السينما",
                },
            ),
            (
                "paragraph",
                "وسيتضمن البرنامج الأسبوعي عروضاً لأفلام عربية وعالمية كلاسيكية، إلى جانب عروض صباحية مجانية لطلاب المدارس وورش عمل لتعليم الشباب أساسيات صناعة الأفلام القصيرة. ويأمل المنظمون أن تصبح السينما مركزاً ثقافياً دائماً يجذب الزوار إلى البلدة القديمة، التي عانت طويلاً من الإهمال وهجرة سكانها.",
            ),
        ],
        "corrections": [],
        "comments": "open",
    },
]
