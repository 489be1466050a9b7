"""Every threshold the quality checks use, in one place (docs/quality.md explains them)."""

# A file with more of its rows in quarantine than this is probably a changed template.
MAX_QUARANTINE_SHARE_PER_FILE = 0.10

# Excel turns 13-digit IDs into floats (1.23E+12) and typists slip: a few invalid checksums
# are normal, a file with more than this has been damaged on the way.
MAX_INVALID_CITIZEN_ID_SHARE_PER_FILE = 0.05

# Share of a phase's villages that must have each survey round due (a warning below it): a few
# villages out of reach in the rainy season is normal, below this the round no longer describes
# the phase. A round due with no household at all is an error whatever this is.
MIN_SURVEY_ROUND_COVERAGE = 0.9

# How many failing rows a check result keeps as examples (the count is always kept).
EXAMPLES_KEPT = 10

# A source kind whose loaded rows fall by more than this share since the previous successful
# run, with no file replaced to explain it, has lost data on the way (a warning).
MAX_UNEXPLAINED_VOLUME_DROP = 0.2
