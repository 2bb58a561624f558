# Django's Arabic formats have no DATETIME_FORMAT, so dates with a time fell back to the
# English "N j, Y, P" ("ديسمبر 8, 2026"). Day, month, year as Arabic writes them (Django's own
# DATE_FORMAT), then the time.
DATE_FORMAT = "j F، Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "j F، Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d‏/m‏/Y"
SHORT_DATETIME_FORMAT = "d‏/m‏/Y H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
