"""The settings of `parley diff`: parley-diff.toml or [tool.parley-diff], and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from parley_diff import ConfigError, Level, load_config
from parley_diff._checks import known_checks
from parley_diff.cli import diff

from .test_diff_cli import BASE, ROOT

OVERRIDE = """
[rules.response-property-removed]
level = "warning"
reason = "Our only client is our own app, released with the server."
"""


def test_parley_diff_toml_is_found_from_a_sub_folder_before_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.parley-diff]\nsunset-notice-days = 30\n")
    (tmp_path / "parley-diff.toml").write_text("sunset-notice-days = 90\n" + OVERRIDE)
    (tmp_path / "sub").mkdir()
    config = load_config(start=tmp_path / "sub")
    assert config.source == str(tmp_path / "parley-diff.toml")
    assert config.sunset_notice_days == 90
    override = config.overrides["response-property-removed"]
    assert override.level is Level.WARNING and override.reason.startswith("Our only client")


def test_a_pyproject_section_is_read_and_a_pyproject_without_one_is_passed_over(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.parley-diff]\nsunset-notice-days = 30\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text("[tool.ruff]\nline-length = 99\n")
    config = load_config(start=tmp_path / "sub")
    assert config.source == str(tmp_path / "pyproject.toml")
    assert config.sunset_notice_days == 30


def test_no_settings_file_means_the_defaults(tmp_path: Path) -> None:
    config = load_config(start=tmp_path)
    assert config.source == "" and not config.overrides and config.sunset_notice_days == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sunset-notice = 3\n", "unknown key(s) sunset-notice"),
        ("sunset-notice-days = -1\n", "sunset-notice-days must be a whole number"),
        ("[rules.response-field-removed]\nlevel = 'info'\nreason = 'x'\n", "no such check"),
        ("[rules.response-property-removed]\nlevel = 'low'\nreason = 'x'\n", "level must be"),
        ("[rules.response-property-removed]\nlevel = 'info'\n", "give the reason"),
        ("[rules.response-property-removed]\nlevel = 'info'\nreason = ' '\n", "give the reason"),
        ("[rules.response-property-removed]\nlevel='info'\nreason='x'\nwhy='y'\n", "unknown key"),
        ("rules = 3\n", "rules must be a table"),
        ("sunset-notice-days = [\n", "not valid TOML"),
    ],
)
def test_a_bad_setting_is_named_and_the_command_exits_2(
    text: str, message: str, tmp_path: Path
) -> None:
    settings = tmp_path / "parley-diff.toml"
    settings.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(settings)
    result = CliRunner().invoke(diff, [str(BASE), str(BASE), "--config", str(settings)])
    assert result.exit_code == 2
    assert str(settings) in result.output and message in result.output


def test_an_override_changes_the_exit_status_and_shows_its_reason(tmp_path: Path) -> None:
    new = yaml.safe_load(BASE.read_text())
    del new["components"]["schemas"]["Widget"]["properties"]["notes"]
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new))
    (tmp_path / "parley-diff.toml").write_text(OVERRIDE)
    args = [str(BASE), str(tmp_path / "new.yaml"), "--no-version-policy"]
    strict = CliRunner().invoke(diff, [*args, "--no-config"])
    assert strict.exit_code == 1 and "Errors: breaking for clients (1)" in strict.output
    lenient = CliRunner().invoke(diff, [*args, "--config", str(tmp_path / "parley-diff.toml")])
    assert lenient.exit_code == 0, lenient.output
    assert "Warnings: may break some (1)" in lenient.output
    assert "level warning: Our only client is our own app" in lenient.output
    failing = CliRunner().invoke(
        diff, [*args, "--config", str(tmp_path / "parley-diff.toml"), "--fail-on", "warning"]
    )
    assert failing.exit_code == 1


def test_the_repository_settings_name_real_checks_with_reasons() -> None:
    config = load_config(ROOT / "pyproject.toml")
    assert config.overrides, "pyproject.toml has [tool.parley-diff] rules"
    assert set(config.overrides) <= set(known_checks())
    assert all(len(o.reason) > 20 for o in config.overrides.values())
