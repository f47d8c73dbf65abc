"""The Persian message catalogue: every user-facing string, reviewed in one folder.

Each area keeps its strings in its own module here; import them as ``from bot.texts import common``.
Strings are HTML (parse mode HTML): placeholders are filled with already-escaped values.

Conventions (issue 13) — every new string follows them:
- Ezafe after a silent «ه» is written «ـهٔ»: «دربارهٔ»، «شمارهٔ»، «صفحهٔ»، «دکمهٔ» (never «درباره‌ی»).
- Half-space (ZWNJ, U+200C) inside compounds and before suffixes: «گفت‌وگو»، «به‌صورت»، «می‌شود»،
  «یک‌شنبه»، «پنج‌شنبه»، «سه‌شنبه»، «پیش‌تر»، «تازه‌ترین».
- Plural of «نظر» is «نظرها» (not «نظرات»); counts read «نظرها (۳)».
- Numbers shown to people in Persian digits (bot.jalali.fa_digits); thousands with «٬»: «۱٬۰۰۰».
- Dates «۱۸ دی ۱۴۰۴، ساعت ۱۵:۰۶» (bot.jalali.format_datetime), weekday first where it helps.
- One and two as words in running text: «یک فرصت دیگر»، «دو دقیقه»؛ larger numbers in digits.
- Speak to the reader politely and briefly (شما، لطفاً), say what happened and what to do next.
- Durations: «۳ دقیقه»، «۴۵ ثانیه»، «یک ساعت» (bot.intake.wording.duration).
"""
