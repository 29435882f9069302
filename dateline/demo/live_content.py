"""The demo's live coverage: the Moscow meeting, minute by minute (our own words; the facts are
those of the lead article). Times are minutes before the demo is loaded."""

from __future__ import annotations

from typing import Any

LIVE_PAGE: dict[str, Any] = {
    "section": "international",
    "slug": "sharaa-putin-moscow-live",
    "headline": "Al-Sharaa and Putin meet in the Kremlin: live",
    "standfirst": "The Syrian president is in Moscow for his second meeting with the Russian leader. Follow the talks, and what they mean for Russia's bases in Syria, as they happen.",
    "dateline": "MOSCOW",
    "authors": ["mara-ellison", "yusuf-haddad"],
    "tags": ["Syria", "Russia", "Diplomacy"],
    "minutes_ago": 150,
    "key_points": (
        "<ul>"
        "<li>Ahmed al-Sharaa arrived in Moscow for talks with Vladimir Putin, their second meeting since October.</li>"
        "<li>Russia wants to keep the Hmeimim air base and the Tartus naval base, its last military sites in Syria.</li>"
        "<li>Russian troops left Qamishli airport in the northeast earlier this week.</li>"
        "<li>Whether Russia will hand over Bashar Assad, who lives in Moscow, is not on the Kremlin's published agenda.</li>"
        "</ul>"
    ),
    "background": [
        "Forces led by al-Sharaa removed Bashar Assad from power in 2024, after a civil war of fourteen years in which Russian aircraft bombed the areas his fighters held. Assad and his wife have lived in Russia since.",
        "Washington welcomed Assad's fall and has since grown closer to the new government in Damascus, while warning, with European governments, about the fighting in the northeast and the prisons holding Islamic State members there.",
    ],
}

# (author slug, minutes ago, headline, text, pinned, key event)
LIVE_UPDATES: list[tuple[str, int, str, str, bool, bool]] = [
    (
        "mara-ellison",
        140,
        "",
        "Good morning from Moscow. Snow on the embankment, and a long line of black cars outside the Kremlin's Borovitsky gate. We will be following President al-Sharaa's visit here all day.",
        False,
        False,
    ),
    (
        "yusuf-haddad",
        128,
        "What Syrian state media is saying",
        "Syria's official news agency describes the trip as a working visit and lists the economy, reconstruction and the coast first. It does not mention the Russian bases by name, and it does not mention Assad at all.",
        False,
        False,
    ),
    (
        "mara-ellison",
        112,
        "Al-Sharaa lands at Vnukovo",
        "The Syrian president's plane has landed at Vnukovo airport, where he was met by a deputy foreign minister rather than by anyone more senior. Diplomats here read little into that: the October visit began the same way.",
        False,
        True,
    ),
    (
        "yusuf-haddad",
        95,
        "",
        "A reminder of how much has changed. For most of the war Russian jets flew from Hmeimim against the areas al-Sharaa's fighters held. Today he is the one deciding whether those jets may stay.",
        False,
        False,
    ),
    (
        "mara-ellison",
        76,
        "Talks begin",
        "The two leaders shook hands in front of the cameras and sat down opposite each other at a long table. The Kremlin says the agenda is relations between the two countries, how they could grow, and the situation across the Middle East.",
        False,
        True,
    ),
    (
        "mara-ellison",
        58,
        "",
        "Putin, in his opening remarks, spoke of a friendship between the two peoples that was older than any government. Al-Sharaa listened without notes and answered briefly, thanking his host for the invitation.",
        False,
        False,
    ),
    (
        "yusuf-haddad",
        41,
        "Why Qamishli matters",
        "Russian troops left the airport at Qamishli, in the northeast, only this week. That leaves Hmeimim and Tartus, both on the Mediterranean coast, as the only military sites Russia runs outside the former Soviet Union.",
        False,
        False,
    ),
    (
        "mara-ellison",
        22,
        "",
        "Still no word from either side on Assad. Syrian officials have asked more than once for him to be sent back to face trial; the Kremlin has never said it will consider it.",
        False,
        False,
    ),
    (
        "yusuf-haddad",
        9,
        "What to watch for",
        "Three things to look for when the statements come: any date for a new agreement on the bases, any mention of Russian help with rebuilding, and whether either leader says the word extradition.",
        True,
        False,
    ),
]
