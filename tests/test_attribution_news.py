"""Speakers on news text the rules were not first written on: one case per error class.

Each case runs the engine on a real passage of the development gold (tests/gold/news/dev)
and checks the speaker of the quotations named by their first words against the gold
annotation, by the benchmark's rule (``bench/quotes.py``), so a case fails only when the
engine and the annotators disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_extract_quotes import _bench

from mfa_scraper.attribution.en.cues import trailing_phrase
from mfa_scraper.attribution.quotes import extract_quotes

DEV = Path(__file__).parent / "gold" / "news" / "dev"
SCORING = _bench()

#: (gold file, first words of the quotations to check, the error class they stood for)
CASES = [
    # Accented capitals: "Mevlüt Çavuşoğlu" is a name; "the Turkish foreign minister said"
    # before his name is him.
    ("tdminews_com_cavusoglu_geneva", ["We have agreed", "through constructive"], "names"),
    # An office holder named after the office's body.
    ("en_mehrnews_com_zakharova_sanctions", ["The conclusion is obvious"], "title kept"),
    ("eng_belta_by_glaz_court_system", ["As a matter of principle"], "title kept"),
    # "White House press secretary Sean Spicer … did say Trump was “well aware”".
    ("washingtonexaminer_com_spicer_north_korea", ["well aware"], "office tail"),
    # A Title Case headline is no name ("Spicer Shuts Down Questions").
    ("truthdig_com_spicer_tapes", ["not aware", "dismayed"], "headline run"),
    # "a foreign ministry spokesperson said" then "Spokesperson Zhao Lijian made the remarks".
    ("en_chinadiplomacy_org_cn_zhao_wanton_comments", ["We did not buy"], "named later"),
    # A headline's "Chinese newspaper warns of Australian 'evil'" is the outlet named next.
    ("9news_com_au_global_times_evil", ["evil"], "named later"),
    # "… said Sunday that “…”, according to Ekathimerini": the outlet is the source.
    ("greekherald_com_au_cavusoglu_provocations", ["Greece needs", "my friend"], "source"),
    # "EU foreign affairs chief Josep Borrell, speaking as he arrived …, said no “…”".
    ("thenationalnews_com_borrell_landsbergis_ukraine", ["concrete decision"], "appositive"),
    # A fragment whose cue comes later in its sentence.
    ("mobile_teletrader_com_zhao_misjudgment", ["a strategic misjudgment"], "late cue"),
    # A participle's subject is the main clause's, not the noun before its comma.
    ("channelnewsasia_com_xue_jian_dirty_neck", ["wrongful and dangerous"], "participle"),
    # "Marcos" is no month ("Mar-").
    ("scmp_com_marcos_undeterred", ["The aggression", "We remain undeterred"], "date tail"),
    # "Consul General in Osaka, Xue Jian, posted": the place is not the speaker.
    ("allthe_news_japan_protests_xue_post", ["the dirty head"], "place"),
    # "India Today quoted Jaishankar as saying".
    ("pakistaneconomicnet_com_fo_jaishankar", ["We have a neighbour"], "quoted as saying"),
    # "'Dangerous, deadly cancerous tumor': Iran's Khamenei bashes …, calls Israel …".
    ("wionews_com_khamenei_cancerous_tumor", ["Dangerous, deadly"], "headline colon"),
    # "The official representative of the Russian Foreign Ministry called …".
    ("news-pravda_com_zakharova_biden_article", ["an absurd set"], "office in a body"),
    # "The Iranian foreign minister also … dismissed …. “…,” he added."
    ("english_alahednews_com_lb_araghchi_no_negotiations", ["Basically"], "pronoun"),
    # Words quoted from someone's remarks are theirs: "remarks made by … Shinzo Abe … that of “…”".
    ("millenniumpost_in", ["Taiwan emergency is Japan emergency"], "remarks of"),
    ("freepressjournal_in", ["normal"], "remarks of"),
    # A headline's words that the story quotes a person saying are that person's.
    ("diplomag_com_pk_zhao_election", ["not to make an issue out of China"], "same words"),
    ("newsgrasp_xyz", ["difficult juncture"], "same words"),
    # Political news: who replies is not who just spoke ("The prime minister replied"); a plural
    # possessive ends a title ("Sky News’ Kay Burley"); a lead description is the next
    # sentence's subject ("The education secretary claimed …. Nadhim Zahawi alleged").
    ("huffingtonpost_co_uk", ["I said nothing", "Are you suggesting", "overexcited"], "turns"),
    # "The Democrats are …" inside a quote leads nothing; "…, and House Speaker Mike Johnson is".
    ("pressfrom_info", ["We’re now facing"], "quoted sentence"),
    # A long opening phrase before the name ("Dressed in his customary …, Zelenskiy thanked").
    ("explore_toparn_com", ["for every Ukrainian life saved", "The more that"], "opening phrase"),
    # "Netanyahu's office criticized Hamas' comments in a statement. “…,” it said."
    ("news_az", ["Unfortunately"], "it after a body"),
    # "”, explains the minister in an interview"; "MANILA The Philippine Foreign Ministry urged";
    # "Chinese Foreign Ministry spokesperson Wang Wenbin said …. “…,” he told" (not Wang Yi).
    ("spamchronicles_com", ["without ideological discrimination"], "inverted description"),
    ("straitstimes_com", ["constructive"], "dateline"),
    ("gmanetwork_com", ["We must stress"], "office of a body"),
    # Russian: an office ("Официальный представитель МИД РФ подчеркнула") is the person the
    # text names (the headline's "Захарова:"), of the gender of the verb in the past.
    ("life_ru", ["всё остальное"], "office, ru"),
    ("lenta_ru", ["Даже в Брюсселе"], "office, ru"),
    # "Russia launched what it calls a “special military operation”": "it" is no person.
    ("malaysia_news_yahoo_com_stoltenberg_underestimate", ["special military"], "it"),
    # A group whose name looks like a person's is a body: "he said" after "Jonathan also
    # declared that the girls … in Boko Haram captivity" is Jonathan.
    ("newswirengr_com_jonathan_pack_of_cards", ["I agree with you", "Why are people"], "body"),
    # "the Constitution clearly stated" names nobody: "said the JUI-F chief" is Rehman.
    ("dawn_com_fazl_reject_confidence_vote", ["Here, the session"], "document word"),
    # "In her letter, Wright said …. “…,” the letter says."
    ("siccness_net_ann_wright_resigns_mongolia", ["This pre-emptive attack"], "document"),
    # "The Washington Free Beacon reported that China adopted … “with increased aid …”".
    ("en_people_cn_geng_fake_document", ["with increased aid"], "reported"),
    # "Prime Minister David Cameron … the PM said:".
    ("politicsdownanddirty_blogspot_com_cameron_medvedev_g8", ["It has been a great"], "PM"),
    # "…,” according to a senior administration official" is theirs, and so is "“…,” the
    # administration official said" ("Official White House Photo by …" names nobody).
    (
        "abcnewsradioonline_com_obama_gop_senators_dinner",
        ["good exchange", "The president"],
        "according to",
    ),
    # "…, according to a spokesperson from the Prime Minister’s Office. He said: “…”".
    ("thenational_com_pg_pm_office_cabinet_claims", ["This story is based"], "pronoun"),
    # "the president" is not "former President Viktor Yanukovich", named nearer.
    ("eastidahonews_com_obama_there_are_consequences", ["there’s still a path"], "former"),
    # "Araghchi made the remark … with his Russian counterpart Sergei Lavrov …. “…,” he
    # added": the registry knows him by his surname.
    ("b_nournews_ir_araghchi_lavrov_moscow_rome_talks", ["I believe there is"], "registry"),
    # "the Congress Vice-President Rahul Gandhi": a hyphenated office is no name.
    ("newsbharati_com_bjp_rahul_personal_corruption_pappu", ["It is the personal"], "title"),
    # "President of the Bundestag Wolfgang Schäuble": a parliament's name is no name either.
    ("wirenewsfax_com_schauble_roth_kubicki_afd_brawl", ["I’ve had no fights"], "title"),
    # "“…,” concurred Senator John Thune"; "“…?” he questioned".
    ("ibtimes_com_schumer_mccormick_orientation", ["The idea that", "What happened"], "verbs"),
    # "Ban Ki-moon said Saturday he was “deeply concerned” about … Syria, and called for …":
    # the coordinated verb is Ban's, not Syria's.
    ("china_org_cn_ban_ki_moon_deeply_concerned_syria", ["deeply concerned"], "coordinated"),
    # "Hua Chunying on Twitter also added: “…”": the medium is not the speaker.
    ("firam_net_hua_chunying_world_policeman_george_floyd", ["The United States should"], "medium"),
    # "Speaker Paul Ryan chalked up … defeat to “…,” saying …" and "“…,” the Janesville
    # Republican told reporters": the sentence's subject, and the person a party describes.
    (
        "wispolitics_com_ryan_health_care_setback_pocan_kind",
        ["the growing pains", "This is a setback"],
        "participle, party",
    ),
    # "Liberal Democrat senator David Leyonhelm": a party member is no name.
    ("sbs_com_au_xenophon_leyonhjelm_murray_darling_deal", ["The only condition"], "party"),
    # "发言人强调，…。“我们敦促…”": the spokesperson's words run on in the paragraph.
    ("yjxww_com_mfa_east_asia_summit_taiwan", ["我们敦促美方"], "office runs on"),
    # A nickname in quotation marks inside a name: President Ferdinand "Bongbong" Marcos Jr.
    ("philstarlife_com_marcos_no_role", ["The Executive (branch)", "Of course."], "nickname"),
    # Courtesy titles before a name (Datuk Seri Anwar Ibrahim); "the Dewan Rakyat" is a body.
    ("thestar_com_my_anwar_appearance", ["We have explained"], "honorific"),
    # "the foreign minister was asked if …. “…,” he replied": his own answer.
    ("adnamerica_com_ebrard_consuls", ["Today the production"], "asked, replied"),
    # "“…”, added the Turkish Foreign Minister, claiming that … “…”".
    ("en_protothema_gr_cavusoglu_maas", ["should be called Turks"], "inverted description"),
    # "Jaishankar only said that disturbing the “very foundation” …".
    ("5151c_com_jaishankar_discussions", ["very foundation"], "adverb"),
    # "… (ECOWAS) voiced its concern and said it “strongly” rejected U.S. allegations".
    ("tradinghow_com_au_ecowas_nigeria", ["strongly"], "no inverted subject"),
    # "“…,” the CNN reporter began. “…”": a question opened by a reporter.
    ("americanmilitarynews_com_zhao_pompeo", ["US Secretary of State", "That said"], "began"),
    # "“…,” Nauert said Saturday.": a day after the verb is no inverted subject.
    ("thehill_com_nauert_tillerson", ["U.S. diplomats have", "We ask"], "day after the verb"),
    # "On the Baltimore Bridge Collapse incident, Jaiswal said …. “…,” he said".
    ("centralchronicle_com_jaiswal", ["Our embassies are"], "opening prepositional phrase"),
    # "Rouhani told a press conference": a lone surname that speaks is a person, so "the
    # president" and "he" mean him.
    ("en_alalam_ir_rouhani_sanctions", ["These sanctions are illegal"], "lone surname"),
    # "… the Ministry of Foreign Affairs states in a statement. … “…,” the statement said."
    ("report_az_mfa_will_of_voters", ["The voting process complied"], "said in a statement"),
    # "Barely five days after the regime warned …, the US's Bureau … tweeted the same saying".
    ("nehandaradio_com_mugejo_chikava", ["Zimbabweans deserve free"], "opening clause"),
    # "In his weekly briefing on Thursday, the spokesperson …, Anurag Srivastava, said …".
    ("southasiamonitor_org_srivastava", ["As regards the purported"], "opening phrase"),
    # "When Starmer insisted that he …, Badenoch pounced: “…”": the main clause's subject.
    ("newstatesman_com_badenoch_streeting", ["He says these attacks"], "opening when-clause"),
    # "… before Leavitt interjected to say that Trump is “not doing that.”"
    ("socket_newrepublic_com_leavitt_boak", ["not doing that."], "infinitive cue"),
    # "The Prime Minister's official spokesman added: ‘…’": unnamed, not the last speaker.
    ("theworldnews_net_iran_ambassador", ["Of course the families"], "owned spokesman"),
    # "On Friday Ambassador Huang Xilian, addressing the 8th Manila Forum …, said: “…”".
    ("globalnation_inquirer_net_huang_xilian", ["The Philippines is advised"], "weekday"),
    # "In a statement, the taoiseach said he “unreservedly condemns …”".
    ("thewriterstown_com_martin_jenin", ["unreservedly condemns"], "taoiseach"),
    # "In a statement issued by the Chinese Embassy in Bangladesh, …. “…,” the statement said".
    ("dailynewnation_com_chinese_embassy", ["Over the past 50 years"], "statement issued by"),
    # "Conservative Party chairman Theresa May …. Ms May called … the ‘most important’": a
    # month's name after a first name or a courtesy title is a surname.
    ("pukstaging_politics_co_uk_may", ["The eyes of the country", "holding it back"], "May"),
    # "China's foreign ministry … a report … The report emphasized that “…”": its issuer's.
    ("hashtagelyoum_com_chinese_mfa", ["democracy is a common value"], "report"),
]


def _gold(stem: str) -> dict:
    matches = sorted(DEV.glob(f"{stem}*.json"))
    assert matches, stem
    return json.loads(matches[0].read_text(encoding="utf-8"))


@pytest.mark.parametrize(("stem", "starts", "why"), CASES, ids=[c[0] for c in CASES])
def test_news_speakers(stem, starts, why):
    doc = _gold(stem)
    found = {q.start: q for q in extract_quotes(doc["text"])}
    for start in starts:
        gold = next(q for q in doc["quotes"] if q["quote"].startswith(start))
        got = found.get(gold["start"])
        assert got is not None, (why, start)
        # the benchmark's rule: a name or an alternative, or a description's words
        assert SCORING.speaker_ok(gold, got.speaker), (why, start, got.speaker, gold["speaker"])


@pytest.mark.parametrize(
    ("segment", "subject"),
    [
        ("Marcos ", "Marcos"),  # not "Mar" + a date
        ("Janet Yellen on Monday ", "Janet Yellen"),  # the day goes with its "on"
        ("Lavrov on Monday also ", "Lavrov"),
        ("the embassy on June 21 ", "the embassy"),
        ("Abbas Araghchi firmly ", "Abbas Araghchi"),  # an adverb before the verb
        ("When asked about trade, Jaishankar only ", "Jaishankar"),
        ("Ms May ", "Ms May"),  # a surname, not a month
        ("Putin in May ", "Putin"),  # a month
    ],
)
def test_subject_before_a_verb(segment, subject):
    assert trailing_phrase(segment)[0] == subject
