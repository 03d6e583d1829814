"""English date formats, day first like the Indonesian pages: "30 Nov 2026", "30/11/2026", "30 Nov 2026 14:30"."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
