"""Names for the chain's couples and staff, from the customer-search benchmark's lists (so
both benchmarks search the same kind of names: Chinese, and some in pinyin)."""

from studio.management.commands.bench_search import GIVEN, GIVEN_PINYIN, PINYIN, SURNAMES


def person_name(rng):
    if rng.random() < 0.15:
        return f"{rng.choice(PINYIN)} {rng.choice(GIVEN_PINYIN)}{rng.choice(GIVEN_PINYIN).lower()}"
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def couple_names(rng):
    """(bride, groom); now and then only one of them gave a name."""
    bride, groom = person_name(rng), person_name(rng)
    roll = rng.random()
    if roll < 0.05:
        return bride, ""
    if roll < 0.08:
        return "", groom
    return bride, groom
