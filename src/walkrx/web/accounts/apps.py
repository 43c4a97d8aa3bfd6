"""Accounts: sign up, sign in and out, password reset."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The accounts app."""

    name = "walkrx.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
