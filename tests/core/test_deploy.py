"""deploy/ names only commands and files that exist, and the wheel carries every file the app reads."""

from __future__ import annotations

import configparser
import glob
import importlib.util
import re
import shlex
import tomllib
from pathlib import Path

import click
import pytest
import yaml
from flask.cli import FlaskGroup, ScriptInfo

from cpevents.core.logs import DOOR_PAGES, TOKEN_PREFIXES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("cpevents-*.*"))
# Where the units and the container expect things, and where they come from in the checkout.
INSTALLED = {"/opt/cpevents/deploy/": DEPLOY, "/etc/cpevents/cpevents.env": DEPLOY / "cpevents.env.example"}
FLASK_COMMAND = re.compile(r"\bflask((?:\s+[a-z][a-z-]*)+)")


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text())
    return parser


def command_lines() -> list[tuple[str, str]]:
    """(where, command line) for every command the units and the compose file run."""
    lines = []
    for path in UNITS:
        parsed = unit(path)
        if parsed.has_section("Service"):
            for key in ("ExecStart", "ExecStartPre", "ExecStartPost"):
                if parsed.has_option("Service", key):
                    lines.append((path.name, parsed.get("Service", key)))
    for name, service in compose()["services"].items():
        command = service.get("command")
        if command:
            lines.append((f"compose {name}", " ".join(command) if isinstance(command, list) else command))
    containerfile = (DEPLOY / "Containerfile").read_text()
    for cmd in re.findall(r"^CMD (\[.*\])$", containerfile, re.MULTILINE):
        lines.append(("Containerfile CMD", " ".join(yaml.safe_load(cmd))))
    return lines


def resolve(app, words: list[str]) -> click.Command | None:
    group = FlaskGroup(create_app=lambda: app)
    ctx = click.Context(group, obj=ScriptInfo(create_app=lambda: app))
    command: click.Command | None = group
    for word in words:
        if not isinstance(command, click.Group):
            break
        command = command.get_command(ctx, word)
        if command is None:
            return None
    return command


def test_there_is_a_unit_for_the_web_app_the_worker_and_the_daily_jobs():
    assert {p.name for p in UNITS} >= {"cpevents-web.service", "cpevents-worker.service", "cpevents-jobs.service", "cpevents-jobs.timer"}
    assert set(compose()["services"]) >= {"postgres", "redis", "web", "worker", "scheduler", "mail"}


def test_every_flask_command_in_deploy_exists(app):
    found = []
    for where, line in command_lines():
        for match in FLASK_COMMAND.finditer(line):
            words = match.group(1).split()
            command = resolve(app, words)
            assert command is not None and not isinstance(command, click.Group), f"{where}: flask {' '.join(words)} is not a command"
            found.append(" ".join(words[:2]))
    assert {"db upgrade", "outbox work", "jobs run-due"} <= set(found)


def test_every_file_the_units_name_exists():
    for path in UNITS:
        for section in unit(path).values():
            for key, value in section.items():
                if key == "Unit":
                    assert (DEPLOY / "systemd" / value).is_file(), f"{path.name}: {key}={value}"
                for word in shlex.split(value) if key.startswith(("Exec", "EnvironmentFile")) else []:
                    word = word.lstrip("-")
                    for installed, source in INSTALLED.items():
                        if word.startswith(installed):
                            target = source / word[len(installed):] if installed.endswith("/") else source
                            assert target.is_file(), f"{path.name}: {word} comes from {target}, which is missing"


def test_the_python_entry_points_deploy_names_exist():
    lines = " ".join(line for _, line in command_lines())
    for module in set(re.findall(r"\b(cpevents(?:\.\w+)*):app\b", lines)) | {"cpevents.wsgi"}:
        assert importlib.util.find_spec(module) is not None, module


def test_compose_builds_from_files_that_exist_and_sets_every_production_setting():
    data = compose()
    build = data["x-app"]["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert context == ROOT and (context / build["dockerfile"]).is_file()
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", (DEPLOY / "Containerfile").read_text(), re.MULTILINE):
        for item in source.split():
            assert (context / item).exists(), f"Containerfile copies {item}, which is missing"
    env = data["x-app"]["environment"]
    required = {"CPEVENTS_ENV", "SECRET_KEY", "DATABASE_URL", "RATELIMIT_STORAGE_URI", "BASE_URL",
                "CHILDRENS_RIGHTS_NAME", "CHILDRENS_RIGHTS_PHONE", "CHILDRENS_RIGHTS_EMAIL", "CHILDRENS_RIGHTS_URL",
                "ADVOCACY_NAME", "ADVOCACY_PHONE", "ADVOCACY_URL"}
    assert required <= set(env)
    assert env["CPEVENTS_ENV"] == "production" and env["RATELIMIT_STORAGE_URI"].startswith("redis://")
    example = (DEPLOY / "cpevents.env.example").read_text()
    for name in required:
        assert re.search(rf"^{name}=", example, re.MULTILINE), f"cpevents.env.example has no {name}"


def test_the_nginx_log_redacts_the_same_addresses_as_the_app():
    conf = (DEPLOY / "nginx" / "cpevents.conf").read_text()
    prefixes = re.search(r"\(\?<cpe_tok>/\(\?:([^)]*)\)\)", conf).group(1).split("|")
    assert sorted(prefixes) == sorted(TOKEN_PREFIXES)
    door = re.search(r"/door/\(\?!\(\?:([^)]*)\)", conf).group(1).split("|")
    assert sorted(door) == sorted(DOOR_PAGES)
    log_format = re.search(r"log_format cpevents_redacted(.*?);", conf, re.DOTALL).group(1)
    for unsafe in ("$request ", "$request\"", "$request_uri", "$args", "$query_string", "$http_referer", "$uri"):
        assert unsafe not in log_format


def test_the_wheel_carries_every_file_the_app_reads():
    """pyproject's package-data patterns (setuptools reads them as recursive globs) cover every
    file in the package that is not a module: templates, static files, migrations, data, fonts."""
    package = ROOT / "cpevents"
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["cpevents"]
    covered = {Path(p) for pattern in patterns for p in glob.glob(pattern, root_dir=package, recursive=True)}
    needed = set()
    for path in package.rglob("*"):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        relative = path.relative_to(package)
        if path.suffix != ".py" or relative.parts[0] == "migrations":  # migrations/ is not a package
            needed.add(relative)
    missing = sorted(str(p) for p in needed - covered)
    assert not missing, f"not in the wheel: {missing[:10]}"
    assert Path("templates/base.html") in needed and Path("migrations/env.py") in needed


@pytest.mark.parametrize("name", ["templates", "static", "migrations"])
def test_the_app_reads_its_folders_from_the_package(app, name):
    folder = {"templates": app.template_folder, "static": app.static_folder, "migrations": app.extensions["migrate"].directory}[name]
    assert Path(folder) == ROOT / "cpevents" / name


# --- the lock files (requirements/, made by `make lock`) ---------------------------------------------


def _locked(path: Path) -> dict[str, str]:
    """name -> pinned version, from a pip-compile lock; every pin must carry its hashes."""
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    for entry in re.split(r"\n(?=\S)", path.read_text()):
        line = entry.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", line)
        assert match, f"{path.name}: not a pin: {line[:80]}"
        assert "--hash=sha256:" in entry, f"{path.name}: {match.group(1)} has no hash"
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def _declared(*extras: str) -> list:
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


@pytest.mark.parametrize("lock,extras", [("app.lock", ()), ("dev.lock", ("test", "lint"))])
def test_every_dependency_in_pyproject_is_pinned_in_the_lock(lock, extras):
    """Adding or changing a dependency in pyproject.toml without `make lock` fails here."""
    from packaging.utils import canonicalize_name

    pins = _locked(ROOT / "requirements" / lock)
    missing = [str(r) for r in _declared(*extras) if canonicalize_name(r.name) not in pins]
    assert not missing, f"not in requirements/{lock} (run make lock): {missing}"
    outside = [f"{r.name}=={pins[canonicalize_name(r.name)]} (pyproject: {r})" for r in _declared(*extras)
               if not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)]
    assert not outside, f"requirements/{lock} pins outside pyproject.toml (run make lock): {outside}"


def test_the_app_lock_is_the_dev_lock_for_the_packages_they_share():
    """Tests run on the versions production installs."""
    app, dev = _locked(ROOT / "requirements" / "app.lock"), _locked(ROOT / "requirements" / "dev.lock")
    assert set(app) <= set(dev)
    assert {name: version for name, version in app.items() if dev[name] != version} == {}


def test_installs_use_the_locks_with_their_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements/dev.lock" in makefile
    container = (DEPLOY / "Containerfile").read_text()
    assert "COPY requirements/app.lock" in container and "--require-hashes -r /tmp/app.lock" in container
    assert "--require-hashes -r \"$CHECKOUT/requirements/app.lock\"" in (ROOT / "scripts" / "wheel-smoke").read_text()
