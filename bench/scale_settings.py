"""The product's settings, with the benchmark's ceiling page added to its URLs (bench/ceiling.py):
what bench/scale.py runs, in its own process and in gunicorn's."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "ceiling"
