"""One ranking for every search backend, so that falling back from Elasticsearch to the database
gives the same order for the same catalogue.

A procedure scores its best tier, plus bonuses that together never reach the next tier (the
largest sum, 11 word pairs and 12 words, is 48,600), plus its popularity as a tie-break below 1.
Equal scores are ordered by the shorter title, then the code.

When no procedure holds every word of the query (search.backends.search), a second pass ranks
those holding most of its content words: each word found counts ONE_WORD, and so does each
adjacent pair of them found in the title (a phrase held is worth more than scattered words);
other bonuses as above. That pass answers alone, so its scale never meets the tiers'.
"""

MAX_POPULARITY = 999  # views counted: more ranks no higher

# Tiers, best first.
CODE = 1_000_000  # the procedure code, or a code that starts with the query
ACCENTED_PHRASE = 500_000  # typed with accents, found as a phrase in the exact title or keywords
SYNONYM_FIRST = 350_000  # the first phrase it means (search.synonyms lists them best first)
SYNONYM_PHRASE = 300_000  # another phrase the query also means, in title or keywords
TITLE_ALL_WORDS = 200_000  # every folded word in the title (the last may be a prefix)
KEYWORDS_ALL_WORDS = 150_000  # every folded word in the keywords
ALL_WORDS = 100_000  # every word somewhere: title, keywords, agency and field names, body
FUZZY = 50_000  # every word, with typos corrected

# Bonuses, added to the tier.
SHINGLE = 3_000  # each adjacent pair of query words found as a pair in the title
ACCENTED_WORD = 1_000  # each word of an accented query found with its accents in the title
WORD_IN_TITLE = 300  # each query word found in the title
BONUS_CAP = FUZZY - 1_000

# The second pass: content words held, anywhere.
ONE_WORD = 50_000


def popularity_share(popularity: int) -> float:
    """Popularity as a tie-break below 1: never lifts a result over a larger bonus."""
    return min(max(popularity, 0), MAX_POPULARITY) / (MAX_POPULARITY + 1)
