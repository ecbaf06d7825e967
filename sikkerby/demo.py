"""The demo's one timeline: the years every demo loader writes (see ``docs/demo.md``).

Two spans, so that the modules meet the way real data will:

* ``PROGRAMME_YEARS`` 2010–2015 — Copenhagen's 2010 programme as the seeds
  define it: the baseline year 2010 of effect goals 1 and 3, the deadlines
  2013 (goals 1, 2 and 4) and 2015 (goal 3).
* ``RECENT_YEARS`` 2024–2025 — the last two complete years of Statistics
  Denmark's STRAF11 (real, 2016–2025), which the SYNTHETIC police extracts
  are calibrated on; the safety index, indicator values, exit cases (their
  closures and 2-year follow-ups), evaluation rounds and closure reports of
  the demo all cover these years too, so a key-figure report, the dashboard
  and the exports of 2024 or 2025 rest on every module at once.
"""
PROGRAMME_YEARS = range(2010, 2016)
RECENT_YEARS = range(2024, 2026)
# Exit cases last up to two years and are followed up two years after closure: for closures and
# follow-ups to fall in the recent years, the recent cohort is referred from three years before.
EXIT_RECENT_REFERRAL_YEARS = range(RECENT_YEARS[0] - 3, RECENT_YEARS[-1] + 1)
