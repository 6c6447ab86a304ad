"""The analysers of the procedure index: Elasticsearch's built-in components only (standard
tokenizer, lowercase, asciifolding, shingle), so that no plugin is needed. Text is normalised
and folded in Python by search.text before it reaches them."""

from elasticsearch.dsl import analyzer, token_filter

VI_EXACT = analyzer("vi_exact", tokenizer="standard", filter=["lowercase"])
VI_FOLDED = analyzer("vi_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
VI_BIGRAMS = analyzer(
    "vi_bigrams",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        token_filter(
            "vi_bigram_shingles",
            "shingle",
            min_shingle_size=2,
            max_shingle_size=2,
            output_unigrams=False,
        ),
    ],
)
VI_TRIGRAMS = analyzer(  # words and 2-3 word shingles: the phrase suggester's language model
    "vi_trigrams",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        token_filter(
            "vi_trigram_shingles",
            "shingle",
            min_shingle_size=2,
            max_shingle_size=3,
            output_unigrams=True,
        ),
    ],
)
VI_TRIGRAMS_ONLY = analyzer(  # word triples only: the autocomplete's third layer
    "vi_trigrams_only",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        token_filter(
            "vi_trigram_only_shingles",
            "shingle",
            min_shingle_size=3,
            max_shingle_size=3,
            output_unigrams=False,
        ),
    ],
)
