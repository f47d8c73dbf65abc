"""Strings of the moderators' chat, decisions, notifications and moderators' commands (HTML)."""

# ----- the card ----------------------------------------------------------------------------------------
CARD_NEW = "🆕 <b>نظر تازه</b> · <code>{token}</code>"
CARD_NEW_REPLY = "🆕 <b>پاسخ تازه</b> · <code>{token}</code>"
CARD_ARTICLE = "📰 {title}"
CARD_AUTHOR = "👤 <b>{name}</b>{username} · <code>{user_id}</code>\n      ✅ {approved} منتشرشده · ❌ {rejected} ردشده"
CARD_PARENT = "↩️ در پاسخ به <b>{name}</b>:\n<blockquote>{text}</blockquote>"
CARD_TEXT = "💬 <blockquote>{text}</blockquote>"
CARD_WARNINGS = "⚠️ {warnings}"
CARD_TIME = "🕒 {time}"
CARD_APPROVED = "✅ <b>منتشر شد</b> · {who} · {time}"
CARD_APPROVED_AUTO = "⭐ <b>خودکار منتشر شد</b> (نویسندهٔ مورد اعتماد) · {time}"
CARD_REJECTED = "❌ <b>رد شد</b> ({reason}) · {who} · {time}"
CARD_BANNED = "🚫 <b>نویسنده مسدود شد</b> ({duration}) · {who} · {time}"
CARD_REOPENED = "↩️ تصمیم لغو شد · {who} · {time}"

BUTTON_APPROVE = "✅ انتشار"
BUTTON_REJECT = "❌ رد"
BUTTON_BAN = "🚫 مسدود"
BUTTON_BACK = "🔙 بازگشت"
BUTTON_UNDO = "↩️ لغو تصمیم"
BUTTON_REASON = "❌ {label}"
BUTTON_DURATION = "🚫 {label}"

# ----- the queue view (surges) ---------------------------------------------------------------------------
QUEUE_HEADER = "📋 <b>صف بررسی</b> — {count} نظر در انتظار · صفحهٔ {page} از {pages}"
QUEUE_NOTE = "نظرها زیاد رسیده‌اند؛ برای جلوگیری از محدودیت تلگرام، در این پیام فهرست می‌شوند."
QUEUE_ITEM = "<b>{n})</b> 📰 {title}\n👤 {author} · ✅ {approved} · ❌ {rejected}{reply}\n💬 {text}{warnings}\n🕒 {time}"
QUEUE_ITEM_REPLY = " · ↩️ پاسخ"
QUEUE_ITEM_WARNINGS = "\n⚠️ {warnings}"
QUEUE_EMPTY = "📋 <b>صف بررسی</b>\n✅ همهٔ نظرهای این فهرست بررسی شدند."
BUTTON_ITEM_APPROVE = "✅ {n}"
BUTTON_ITEM_REJECT = "❌ {n}"
BUTTON_ITEM_BAN = "🚫 {n}"
BUTTON_ITEM_REASON = "{n}: {label}"
BUTTON_PREV = "« قبلی"
BUTTON_NEXT = "بعدی »"

# ----- answers to button presses (toasts: at most 200 characters) -----------------------------------
# {excerpt}: the first words of the comment acted on, so a press on a stale list says what it did.
DONE_APPROVED = "✅ منتشر شد: «{excerpt}»"
DONE_REJECTED = "❌ رد شد ({reason}): «{excerpt}»"
DONE_BANNED = "🚫 نویسنده مسدود شد ({duration}): «{excerpt}»"
DONE_UNDONE = "↩️ تصمیم لغو شد؛ «{excerpt}» دوباره در صف بررسی است."
DONE_UNDONE_BAN = "↩️ مسدودیت نویسنده برداشته شد؛ {count} نظر او دوباره در صف بررسی است."
ALREADY_DECIDED = "این نظر قبلاً بررسی شده است."
ALREADY_DECIDED_BY = "این نظر قبلاً بررسی شده است: {what} · {who}"
ALREADY_APPROVED = "منتشر شد"
ALREADY_REJECTED = "رد شد ({reason})"
ALREADY_BANNED = "نویسنده مسدود شد"
ALREADY_AUTO = "خودکار منتشر شد"
ALREADY_UNDONE = "این تصمیم پیش‌تر لغو شده است؛ نظر در صف بررسی است."
UNDO_EXPIRED = "مهلت لغو این تصمیم گذشته است."
NOT_FOUND = "این نظر پیدا نشد."

# ----- notices to authors ------------------------------------------------------------------------------
# One notice per comment (and one per ban), always saying the comment's current state: a new decision
# arrives as a new message; a decision taken back edits the message that announced it.
NOTIFY_APPROVED = "✅ نظر شما دربارهٔ «{title}» منتشر شد.\n<a href=\"{link}\">دیدن خبر و نظرها</a>"
NOTIFY_REJECTED = (
    "❌ نظر شما دربارهٔ «{title}» منتشر نشد.\n{reason}\n"
    "می‌توانید با رعایت قواعد گفت‌وگو دوباره بنویسید."
)
NOTIFY_REJECTED_BANNED = "❌ نظر شما دربارهٔ «{title}» منتشر نشد، چون امکان نظر دادن شما بسته شده است."
NOTIFY_REOPENED = (
    "↩️ تصمیم دربارهٔ این نظر لغو شد: نظر شما دربارهٔ «{title}» دوباره در صف بررسی است.\n"
    "نتیجه را همین‌جا به شما خبر می‌دهیم."
)
NOTIFY_BANNED = "🚫 امکان نظر دادن شما {until} بسته شد."
NOTIFY_BANNED_ONE = "نظر شما دربارهٔ «{title}» منتشر نمی‌شود."
NOTIFY_BANNED_MANY = "این نظرهای شما منتشر نمی‌شوند:"
NOTIFY_BANNED_ITEM = "• دربارهٔ «{title}»"
NOTIFY_BANNED_UNTIL = "تا {date}"
NOTIFY_BANNED_FOREVER = "برای همیشه"
NOTIFY_BAN_LIFTED = "✅ محدودیت برداشته شد: دوباره می‌توانید نظر بنویسید."
NOTIFY_BAN_LIFTED_REOPENED = "نظرهای در انتظار شما دوباره در صف بررسی‌اند."
NOTIFY_REPLY_WITHDRAWN = "↩️ پاسخی که به نظر شما دربارهٔ «{title}» داده شده بود، دیگر منتشر نیست."
NOTIFY_REPLY = (
    "💬 <b>{name}</b> به نظر شما دربارهٔ «{title}» پاسخ داد:\n<blockquote>{text}</blockquote>\n"
    "<a href=\"{link}\">دیدن گفت‌وگو</a>\nبرای خاموش کردن این پیام‌ها: /notify"
)

# Why a comment was not published, as a sentence its author understands (by reason code).
REASON_SENTENCES: dict[str, str] = {
    "insult": "در آن به کسی توهین یا بی‌احترامی شده بود.",
    "accusation": "در آن اتهامی بی‌پشتوانه به کسی زده شده بود.",
    "off_topic": "به موضوع این خبر مربوط نبود.",
    "not_persian": "به فارسی نوشته نشده بود.",
    "advertising": "جنبهٔ تبلیغاتی داشت.",
    "other": "با قواعد گفت‌وگوی این کانال سازگار نبود.",
}
REASON_SENTENCE = "دلیلش این بود که {sentence}"

# ----- publication in the discussion thread ----------------------------------------------------------------
PUBLISHED = "💬 <b>{name}</b>:\n{text}"

# ----- moderators' commands ----------------------------------------------------------------------------
ONLY_MODERATORS = "این فرمان فقط برای مدیران و در گروه مدیران است."
QUEUE_EMPTY_SUMMARY = "✅ صف خالی است؛ نظری در انتظار بررسی نیست."
QUEUE_SUMMARY = "📋 <b>{count}</b> نظر در انتظار بررسی.\nقدیمی‌ترین: {oldest}"
QUEUE_RESENT = "🔁 {count} کارت گم‌شده دوباره فرستاده می‌شود."
QUEUE_IN_VIEW = "📋 {count} نظر در فهرست صف بررسی است."
BAN_USAGE = "کاربرد: <code>/ban شناسهٔ_کاربر [روز]</code> — بدون روز یعنی دائم."
UNBAN_USAGE = "کاربرد: <code>/unban شناسهٔ_کاربر</code>"
TRUST_USAGE = "کاربرد: <code>/trust شناسهٔ_کاربر</code>"
USER_UNKNOWN = "کاربری با شناسهٔ <code>{user_id}</code> پیدا نشد."
BANNED_DONE = "🚫 کاربر <code>{user_id}</code> ({name}) {until} مسدود شد؛ {rejected} نظر در انتظارش رد شد."
BAN_UNTIL = "تا {date}"
BAN_FOREVER = "برای همیشه"
UNBANNED_DONE = "✅ کاربر <code>{user_id}</code> ({name}) دیگر مسدود نیست."
UNTRUST_USAGE = "کاربرد: <code>/untrust شناسهٔ_کاربر</code>"
TRUSTED_DONE = (
    "⭐ کاربر <code>{user_id}</code> ({name}) مورد اعتماد شد؛ نظرهایش بی‌صف منتشر می‌شوند "
    "و برای هر کدام کارتی کوتاه با دکمهٔ «↩️ لغو تصمیم» اینجا می‌آید. برای پس گرفتن: /untrust"
)
UNTRUSTED_DONE = "☆ کاربر <code>{user_id}</code> ({name}) دیگر مورد اعتماد نیست؛ نظرهایش دوباره بررسی می‌شوند."

STATS_TITLE = "📊 <b>آمار نظرها</b>"
STATS_PERIOD = "<b>{title}</b> ({start} تا {end})"
STATS_DAY = "<b>{title}</b> ({date})"
STATS_TODAY = "امروز"
STATS_WEEK = "۷ روز گذشته"
STATS_RECEIVED = "📥 دریافتی: {n}"
STATS_AUTO_REJECTED = "🤖 ردِ خودکار: {n}"
STATS_APPROVED = "✅ منتشرشده: {n}"
STATS_REJECTED = "❌ ردشده: {n}"
STATS_BY_REASON = "      {label}: {n}"
STATS_MEDIAN = "⏱ میانهٔ زمان تا تصمیم: {value}"
STATS_MEDIAN_NONE = "⏱ میانهٔ زمان تا تصمیم: —"
STATS_MODERATORS = "👮 مدیران:"
STATS_MODERATOR = "      {name}: ✅ {approved} · ❌ {rejected}"
DURATION_MINUTES = "{m} دقیقه"
DURATION_HOURS = "{h} ساعت و {m} دقیقه"
DURATION_SECONDS = "{s} ثانیه"

# ----- /notify -------------------------------------------------------------------------------------------
NOTIFY_ON = "🔔 از این پس وقتی کسی به نظر شما پاسخ دهد، خبردار می‌شوید. برای خاموش کردن دوباره /notify بزنید."
NOTIFY_OFF = "🔕 دیگر پیامی دربارهٔ پاسخ به نظرهایتان نمی‌گیرید. برای روشن کردن دوباره /notify بزنید."
