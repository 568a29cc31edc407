"""Production hardening (issue 11, point 8): CSP with nothing inline, HSTS, the deploy check, seed_demo."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
# JSON data blocks (application/json, and schema.org's application/ld+json) are never executed, so CSP's
# script-src does not govern them: https://html.spec.whatwg.org/multipage/scripting.html#data-block
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)
# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never does.
BASE_ENV = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-dummy-but-long-and-varied-secret-key-for-the-deploy-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "mentorbridge.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def templates():
    return [p for d in TEMPLATE_DIRS for p in d.rglob("*.html")]


def is_email(path):
    """Email templates: mail clients drop <style>, so emails carry inline styles; CSP governs pages, not mail."""
    return path.parent.name == "emails" or path.name.endswith("_email.html")


def test_the_templates_hold_no_inline_script_style_or_handler():
    offenders = [str(p.relative_to(ROOT)) for p in templates() if not is_email(p)
                 if INLINE_SCRIPT.search(p.read_text()) or INLINE_STYLE.search(p.read_text())]
    assert templates() and offenders == []
    emails = [p for p in templates() if is_email(p)]
    assert emails and not [p for p in emails if INLINE_SCRIPT.search(p.read_text()) or "<script" in p.read_text()]


@pytest.mark.django_db
def test_every_page_carries_a_policy_without_unsafe_inline(client):
    policy = client.get("/accounts/login/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_the_api_docs_page_loads_its_script_from_a_url_not_inline(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    page = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(page) and not INLINE_STYLE.search(page)


def production_settings(**env):
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.SECURE_HSTS_SECONDS, s.DATABASES['default']['CONN_HEALTH_CHECKS'], "
            "s.EMAIL_TIMEOUT, s.DEBUG]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**BASE_ENV, **PRODUCTION_ENV, **env},
                         capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_production_sends_hsts_for_at_least_a_year_and_checks_connections():
    hsts, health_checks, email_timeout, debug = __import__("json").loads(production_settings())
    assert hsts >= 365 * 24 * 3600 and health_checks is True and 0 < email_timeout <= 30 and debug is False


def test_a_short_hsts_from_the_environment_is_raised_to_a_year():
    hsts = __import__("json").loads(production_settings(DJANGO_SECURE_HSTS_SECONDS="3600"))[0]
    assert hsts == 365 * 24 * 3600


def test_the_deploy_check_is_clean_with_the_production_settings():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env={**BASE_ENV, **PRODUCTION_ENV}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off(settings):
    from schools.models import Alliance

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo", mentors=1)
    assert not Alliance.objects.exists()
