"""Named constants of the rules (so a number in a kernel says what it is and where it comes from)."""

from __future__ import annotations

# A sanction cuts the benefit by 20% in the month it is given (abm/search.py; Participatiewet practice).
SANCTION_KEEP = 0.8
# The basisbaan's cost figures are per 32-hour week (Groningen: EUR 28,000 a year at 32 hours, the source of
# `policy.basisbaan_employer_cost_year`, docs/evidence.md E67); other hours scale them.
COST_REFERENCE_HOURS = 32.0
# Guidance is `basisbaan_guidance_first` of the contract hours in the first 15 months, `..._later` after
# (Groningen: about 8%, then about 7%; docs/evidence.md E72).
GUIDANCE_FIRST_MONTHS = 15
# Weeks in a month, for hours a week -> hours a month.
WEEKS_PER_MONTH = 52.0 / 12.0
