"""Date formats per language (FORMAT_MODULE_PATH), over Django's own locale formats.

Indonesian pages show "30 Nov 2026" (`DATE_FORMAT`) and "30/11/2026" (`SHORT_DATE_FORMAT`), times as "14.30"
(PUEBI); English pages show "30 Nov 2026" with English month names and "30/11/2026" (day first, as the
Indonesian users of the English pages read dates). Number formats stay Django's. Inputs and exports use ISO
dates, never these.
"""
