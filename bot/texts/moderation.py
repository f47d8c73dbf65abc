"""Strings of the moderators' chat, decisions, notifications and moderators' commands (HTML)."""

# ----- the card ----------------------------------------------------------------------------------------
CARD_NEW = "🆕 <b>نظر تازه</b> · <code>{token}</code>"
CARD_NEW_REPLY = "🆕 <b>پاسخ تازه</b> · <code>{token}</code>"
CARD_ARTICLE = "📰 {title}"
CARD_AUTHOR = "👤 <b>{name}</b>{username} · <code>{user_id}</code>\n      ✅ {approved} منتشرشده · ❌ {rejected} ردشده"
CARD_AUTHOR_WEB = "🌐 از وبگاه · 👤 <b>{name}</b>\n      ✅ {approved} منتشرشده · ❌ {rejected} ردشده"
SOURCE_WEB = "🌐 از وبگاه"
CARD_PARENT = "↩️ در پاسخ به <b>{name}</b>:\n<blockquote>{text}</blockquote>"
CARD_TEXT = "💬 <blockquote>{text}</blockquote>"
CARD_WARNINGS = "⚠️ {warnings}"
# The model learned from moderators' decisions: its estimate and the words that drove it.
CARD_ESTIMATE = "🤖 احتمال رد: {percent}٪"
CARD_ESTIMATE_WORDS = "🤖 احتمال رد: {percent}٪ · به خاطر {words}"
CARD_TIME = "🕒 {time}"
CARD_APPROVED = "✅ <b>منتشر شد</b> · {who} · {time}"
CARD_APPROVED_AUTO = "✅ <b>خودکار منتشر شد</b> (نویسندهٔ مورد اعتماد) · {time}"
CARD_REJECTED = "❌ <b>رد شد</b> ({reason}) · {who} · {time}"
CARD_BANNED = "🚫 <b>نویسنده مسدود شد</b> ({duration}) · {who} · {time}"
CARD_REOPENED = "↩️ تصمیم بازگردانده شد · {who} · {time}"

BUTTON_APPROVE = "✅ انتشار"
BUTTON_REJECT = "❌ رد"
BUTTON_BAN = "🚫 مسدود"
BUTTON_BACK = "↩️ بازگشت"
BUTTON_UNDO = "↩️ بازگردانی"
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

# ----- answers to button presses ---------------------------------------------------------------------
DONE_APPROVED = "✅ منتشر شد."
DONE_REJECTED = "❌ رد شد: {reason}"
DONE_BANNED = "🚫 نویسنده مسدود شد ({duration})."
DONE_UNDONE = "↩️ تصمیم بازگردانده شد؛ نظر دوباره در صف است."
ALREADY_DECIDED = "قبلاً بررسی شده"
UNDO_EXPIRED = "مهلت بازگردانی این تصمیم گذشته است."
NOT_FOUND = "این نظر پیدا نشد."

# ----- notifications to readers ----------------------------------------------------------------------
NOTIFY_APPROVED = "✅ نظر شما دربارهٔ «{title}» منتشر شد.\n<a href=\"{link}\">دیدن خبر و نظرها</a>"
NOTIFY_REJECTED = (
    "❌ نظر شما دربارهٔ «{title}» منتشر نشد.\nدلیل: <b>{reason}</b>\n"
    "لطفاً با رعایت قواعد گفتگو دوباره بنویسید."
)
NOTIFY_BANNED = "🚫 نظر شما دربارهٔ «{title}» منتشر نشد و امکان نظر دادن شما {until} بسته شد."
NOTIFY_BANNED_UNTIL = "تا {date}"
NOTIFY_BANNED_FOREVER = "برای همیشه"
NOTIFY_REPLY = (
    "💬 <b>{name}</b> به نظر شما دربارهٔ «{title}» پاسخ داد:\n<blockquote>{text}</blockquote>\n"
    "<a href=\"{link}\">دیدن گفتگو</a>\nبرای خاموش کردن این پیام‌ها: /notify"
)

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
TRUSTED_DONE = "⭐ کاربر <code>{user_id}</code> ({name}) مورد اعتماد شد؛ نظرهایش بی‌صف منتشر می‌شوند."

STATS_TITLE = "📊 <b>آمار نظرها</b>"
STATS_PERIOD = "<b>{title}</b> ({start} تا {end})"
STATS_TODAY = "امروز"
STATS_WEEK = "۷ روز گذشته"
STATS_RECEIVED = "📥 دریافتی: {n}"
STATS_RECEIVED_WEB = "      🌐 از وبگاه: {n}"
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
