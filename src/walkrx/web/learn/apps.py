"""Learn: short education pages, each citing the evidence module."""

from django.apps import AppConfig


class LearnConfig(AppConfig):
    """The education app."""

    name = "walkrx.web.learn"
    label = "learn"
    verbose_name = "Learn"
