import pytest

from bot.settings import SettingsError
from bot.settings import load_database_url
from bot.settings import load_settings

HTTP = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "secret"}


def test_defaults_follow_the_contract() -> None:
    settings = load_settings(HTTP)
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///netwerk.db"
    assert (settings.language, settings.timezone) == ("nl", "Europe/Brussels")
    assert (settings.host, settings.port, settings.retention_months) == ("0.0.0.0", 3000, 12)
    assert not settings.socket_mode


def test_an_app_token_means_socket_mode_and_no_signing_secret_needed() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.socket_mode


def test_the_api_url_always_ends_in_a_slash() -> None:
    assert load_settings({**HTTP, "SLACK_API_URL": "http://127.0.0.1:9/api"}).slack_api_url.endswith("/api/")


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({**HTTP, "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"),
        ({**HTTP, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({**HTTP, "DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({**HTTP, "DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({**HTTP, "BOT_LANGUAGE": "de"}, "BOT_LANGUAGE"),
        ({**HTTP, "BOT_TIMEZONE": "Europe/Gent"}, "BOT_TIMEZONE"),
        ({**HTTP, "PORT": "eighty"}, "PORT"),
        ({**HTTP, "PORT": "70000"}, "PORT"),
        ({**HTTP, "HOST": "a host"}, "HOST"),
        ({**HTTP, "RETENTION_MONTHS": "0"}, "RETENTION_MONTHS"),
    ],
)
def test_a_missing_or_malformed_setting_is_named_in_one_line(env: dict, variable: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(env)
    assert refused.value.name == variable
    message = str(refused.value)
    assert message.startswith(variable) and "README" in message and "\n" not in message


@pytest.mark.parametrize("language", ["nl", "en", "fr", "FR"])
def test_every_catalog_language_is_a_default_language(language: str) -> None:
    assert load_settings({**HTTP, "BOT_LANGUAGE": language}).language == language.lower()


def test_blank_values_count_as_unset() -> None:
    assert load_settings({**HTTP, "PORT": "  ", "BOT_LANGUAGE": ""}).port == 3000


def test_the_database_url_alone_for_migrate_and_export() -> None:
    assert load_database_url({}) == "sqlite:///netwerk.db"
    with pytest.raises(SettingsError):
        load_database_url({"DATABASE_URL": "::"})


OAUTH = {
    "SLACK_CLIENT_ID": "1234567890.0987654321",
    "SLACK_CLIENT_SECRET": "client-secret",
    "TOKEN_ENCRYPTION_KEY": "K" * 43 + "=",
    "SLACK_SIGNING_SECRET": "secret",
}


def test_without_a_bot_token_and_with_the_oauth_settings_the_bot_installs_in_many_workspaces() -> None:
    settings = load_settings(OAUTH)
    assert settings.many_workspaces and settings.slack_bot_token is None
    assert (settings.slack_client_id, settings.slack_client_secret) == (
        "1234567890.0987654321",
        "client-secret",
    )
    assert not load_settings(HTTP).many_workspaces


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({k: v for k, v in OAUTH.items() if k != "SLACK_CLIENT_SECRET"}, "SLACK_CLIENT_SECRET"),
        ({k: v for k, v in OAUTH.items() if k != "SLACK_CLIENT_ID"}, "SLACK_CLIENT_ID"),
        ({**OAUTH, "SLACK_CLIENT_ID": "netwerkbot"}, "SLACK_CLIENT_ID"),
        ({k: v for k, v in OAUTH.items() if k != "TOKEN_ENCRYPTION_KEY"}, "TOKEN_ENCRYPTION_KEY"),
        ({**OAUTH, "TOKEN_ENCRYPTION_KEY": "not-a-fernet-key"}, "TOKEN_ENCRYPTION_KEY"),
        ({**OAUTH, "TOKEN_ENCRYPTION_KEY": "K" * 40 + "="}, "TOKEN_ENCRYPTION_KEY"),
        ({k: v for k, v in OAUTH.items() if k != "SLACK_SIGNING_SECRET"}, "SLACK_SIGNING_SECRET"),
        ({**OAUTH, "SLACK_APP_TOKEN": "xapp-1"}, "SLACK_APP_TOKEN"),
    ],
)
def test_a_missing_or_malformed_oauth_setting_is_named_in_one_line(env: dict, variable: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(env)
    assert refused.value.name == variable
    assert "\n" not in str(refused.value) and "README" in str(refused.value)
