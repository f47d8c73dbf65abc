"""The captcha measured through its pure domain: how often a blind guesser passes, how often a person does.

    python -m bench.captcha [--trials 200000] [--tries 3] [--seed 1]

A *blind guesser* never reads the question: it types the value most likely to be right (the best a
bot can do knowing how questions are made), or a value drawn at random from the possible sums. Each
wrong answer renews the question, as the service does. The old design (four answer buttons, three
tries) is shown beside it for comparison.

A *person* reads «۳۴۷ + ۸ = ؟», adds (slipping with probability ``slip``), and types the sum on a
phone in Persian digits (each key mistyped as a neighbour with probability ``typo``); sometimes they
wrap it («جواب ۳۵۵», «۳۵۵؟»). The typed text goes through ``parse_answer`` and ``is_right`` exactly
as the bot checks it. The cooldown shows what repeated failures cost a guesser per day.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from datetime import timedelta

from bot.checks.normalize import to_persian_digits
from bot.domain.captcha import Challenge, cooldown, new_challenge, parse_answer

# Neighbours on a phone's digit row (what a slipping thumb hits instead).
NEIGHBOURS = {str(d): [str(n) for n in (d - 1, d + 1) if 0 <= n <= 9] for d in range(10)}
WRAPPERS = ("{}", "{}", "{}", "جواب {}", "{}؟", "= {}")
OLD_BUTTONS = 4


def sums_seen(samples: int = 200_000) -> Counter[int]:
    """How often each sum comes up (what a guesser can learn by asking many questions)."""
    sample = random.Random(99)
    return Counter(new_challenge(sample).answer for _ in range(samples))


def blind_pass_rate(rng: random.Random, trials: int, tries: int, strategy: str, counts: Counter[int]) -> float:
    """The share of comments a blind guesser gets through with ``tries`` answers."""
    best = counts.most_common(1)[0][0]
    values = sorted(counts)
    passed = 0
    for _ in range(trials):
        for _try in range(tries):
            challenge = new_challenge(rng)  # a wrong answer renews the question
            guess = best if strategy == "best" else rng.choice(values)
            if challenge.is_right(parse_answer(to_persian_digits(str(guess)))):
                passed += 1
                break
    return passed / trials


def old_blind_pass_rate(rng: random.Random, trials: int, tries: int) -> float:
    """Four shuffled answer buttons, a random press per try (the design before issue 13)."""
    passed = sum(any(rng.randrange(OLD_BUTTONS) == 0 for _ in range(tries)) for _ in range(trials))
    return passed / trials


def _typed(rng: random.Random, value: int, typo: float) -> str:
    digits = [rng.choice(NEIGHBOURS[d]) if rng.random() < typo else d for d in str(value)]
    return rng.choice(WRAPPERS).format(to_persian_digits("".join(digits)))


def person_answer(rng: random.Random, challenge: Challenge, slip: float, typo: float) -> str:
    """What a person types: the sum, sometimes off by one (a slip in adding), sometimes with a typo."""
    value = challenge.answer
    if rng.random() < slip:
        value += rng.choice((-1, 1, 10, -10))  # dropped or doubled carry, off by one
    return _typed(rng, value, typo)


def person_rates(rng: random.Random, trials: int, tries: int, slip: float, typo: float) -> tuple[float, float]:
    """(first-try pass, pass within ``tries``) for a person with these error rates."""
    first = within = 0
    for _ in range(trials):
        for attempt in range(tries):
            challenge = new_challenge(rng)
            if challenge.is_right(parse_answer(person_answer(rng, challenge, slip, typo))):
                first += attempt == 0
                within += 1
                break
    return first / trials, within / trials


def guesser_per_day(rate: float) -> tuple[int, float]:
    """Comments a blind guesser can try in a day when every failure costs the growing cooldown."""
    spent, attempts, failures = timedelta(0), 0, 0
    while spent < timedelta(days=1):
        attempts += 1
        failures += 1  # almost every attempt fails
        spent += cooldown(failures)
    return attempts, attempts * rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=200_000)
    parser.add_argument("--tries", type=int, default=3, help="answers per comment (KHABAR_CAPTCHA_TRIES)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"captcha bench: {args.trials:,} comments per row, {args.tries} tries, seed {args.seed}\n")
    print("blind guesser (never reads the question)              pass rate per comment")
    old = old_blind_pass_rate(rng, args.trials, args.tries)
    print(f"  old: 4 answer buttons, random press                  {old:7.2%}")
    counts = sums_seen()
    rates = {}
    for strategy, label in (("best", "most likely sum every time"), ("random", "a random possible sum")):
        rates[strategy] = blind_pass_rate(rng, args.trials, args.tries, strategy, counts)
        print(f"  new: typed, {label:<38} {rates[strategy]:7.3%}")
    best = rates["best"]
    attempts, passes = guesser_per_day(best)
    print(f"\ncooldown 1, 2, 4 … 60 min after each failure: a guesser gets {attempts} comments a day per account,"
          f" ≈ {passes:.2f} through\n")
    print("person on a phone (Persian digits, sometimes «جواب …» or «…؟»)")
    print("  slip in adding  typo per key   first try   within tries")
    for slip, typo in ((0.0, 0.0), (0.01, 0.01), (0.02, 0.02), (0.03, 0.03), (0.05, 0.05)):
        first, within = person_rates(rng, args.trials // 4, args.tries, slip, typo)
        print(f"  {slip:13.0%}  {typo:12.0%}   {first:9.2%}   {within:12.3%}")


if __name__ == "__main__":
    main()
