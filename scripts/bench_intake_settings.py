"""Settings of the server scripts/bench_intake.py starts: the project's own settings, with
the URLconf of scripts/bench_intake_urls.py. Only that benchmark loads this module
(DJANGO_SETTINGS_MODULE=bench_intake_settings, with scripts/ on the Python path)."""

from gasken.settings import *  # noqa: F403

ROOT_URLCONF = "bench_intake_urls"
