"""Messages to the operators' chat (KHABAR_OPS_CHAT). Log lines inside them stay as logged (English)."""

HEADER = "⚠️ <b>خطا در ربات خبر</b> ({instance})"
REPEATED = " (×{count})"
MORE = "… و {count} خطای دیگر؛ جزئیات در گزارش‌های ربات."
