"""One settings module, driven by the environment (see .env.example).

With nothing set it runs the embedded demo: SQLite, Celery tasks run in-process,
mail to the console. Every value is parsed by django-environ, which fails loudly
on a malformed one.
"""

from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

# Off unless asked for: bin/demo and bin/test set DEBUG=true; production never does.
DEBUG = env.bool("DEBUG", default=False)
# The fallback key only exists for the demo and the tests (DEBUG on); production must set one.
if not DEBUG and "SECRET_KEY" not in env:
    raise ImproperlyConfigured(
        "Set SECRET_KEY (see .env.example), or DEBUG=true for the demo and the tests."
    )
SECRET_KEY = env.str("SECRET_KEY", default="demo-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "people",
    "circles",
    "rota",
]

MIDDLEWARE = [
    # Outermost: each request's id for its log lines, and whether its change was saved, for
    # the page shown if it fails after.
    "web.logs.RequestIdMiddleware",
    "web.outage.SavedChangeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every answer (settings below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.caching.NoStoreForSignedInMiddleware",
    "web.middleware.PersonLanguageMiddleware",
    "web.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "web.middleware.SignInAgainMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "web.navigation.navigation",
                # The calls for help pinned at the top of every carer page.
                "web.carer.help_now.pinned",
            ],
            # Phone numbers as tap-to-call links, in any template: {{ text|phone_links }};
            # bank holidays beside a day: {{ day|bank_holiday_tag }}.
            "builtins": ["web.phones", "web.days"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# PostgreSQL's JIT compiler is off for the app's connections. The app's queries are short and
# their cost estimates are inflated by the correlated "is this place rightly held" subquery, so
# the planner judged them expensive enough to compile: the capacity query spent 640 ms of its
# 710 ms compiling code that then ran for a few milliseconds. Options already given in
# DATABASE_URL (?options=...) are kept.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, [_options.get("options", ""), "-c jit=off"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Signing in, second factor, throttling, sessions and passwords -----------------------------
# (docs/design.md, Shape of the software: "Signing in and sessions".) Kept in one block: the
# security headers are set elsewhere in this file.
AUTH_USER_MODEL = "people.Person"
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account and address are refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
# The second factor is read from the session right after the person; then idle and
# too-old sessions end, and staff who have not given their code are sent to give it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "web.account.sessions.SessionLimitsMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("web.account.sessions.SessionLimitsMiddleware") + 1,
    "web.account.second_factor.StaffSecondFactorMiddleware",
)
# Last, so that it turns a refused sign-in into the "wait N minutes" page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# Sign-in links for people who will never keep a password: good for ten minutes, once.
# Staff never get one: they sign in with a password and a code (web/account/second_factor.py).
SESAME_MAX_AGE = 600
SESAME_ONE_TIME = True
# Wrong passwords are counted per account and address together: a care office behind one
# address is not locked out by one person's mistakes, and guessing one account's password
# from many addresses is slowed on each. Each wrong try during a lockout starts it again.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # both sign-in forms, ours and the admin's
AXES_CLIENT_IP_CALLABLE = "web.account.throttle.client_address"
# How many proxies of our own stand in front of the app, each adding to X-Forwarded-For
# (1 behind one TLS proxy). 0: the address is the connection's own (REMOTE_ADDR).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_USERNAME_CALLABLE = "web.account.throttle.username_of"
AXES_LOCKOUT_CALLABLE = "web.account.throttle.locked_out"
# Sign-in links emailed per address per hour, and per network address per hour; beyond
# that the form answers as always and sends nothing.
SIGN_IN_LINKS_PER_EMAIL = env.int("SIGN_IN_LINKS_PER_EMAIL", default=5)
SIGN_IN_LINKS_PER_IP = env.int("SIGN_IN_LINKS_PER_IP", default=30)
# A new person chooses their own password from an emailed invitation (people/invitations.py):
# the link works once, for this many days. Invitation links that do not check out are counted
# per network address an hour; beyond this many, that address is refused any for the hour.
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)
BAD_INVITATION_LINKS_PER_IP = env.int("BAD_INVITATION_LINKS_PER_IP", default=20)
# The authenticator apps' name for this site.
OTP_TOTP_ISSUER = "Care Circles"
# A session ends 12 hours after signing in, or after 2 hours without a page; "keep me
# signed in on this phone" stretches a carer's (never staff's) to 30 days on that phone.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_IDLE_SECONDS = 2 * 60 * 60
SESSION_KEPT_SECONDS = 30 * 24 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "account:home"
LOGOUT_REDIRECT_URL = "account:login"
# --- end of signing in ------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
# "en" reads and writes dates the British way, day first (config/formats/en).
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (carers' photos) are kept here by Django's default storage. There is no MEDIA_URL:
# they are personal data, served only through a page that checks who asks.
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))

# The demo prints emails to its console; anywhere else they go to a mail server, never to a
# log, since a sign-in link in a log would let whoever reads it in.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends."
    + ("console.EmailBackend" if DEBUG else "smtp.EmailBackend"),
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Care Circles <rota@localhost>")
# The SMTP server, when EMAIL_BACKEND is Django's SMTP backend.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# A mail server that never answers must not hold a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Where links in emails and push messages point.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Web Push (VAPID). With the keys empty (the default) nothing is pushed. The private key is
# the P-256 key in base64url, raw 32 bytes or DER (`vapid --gen`); the public one the
# uncompressed point in base64url, as browsers take it. The subject is whom push services
# contact about our messages: by default the address our emails come from.
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default=f"mailto:{parseaddr(DEFAULT_FROM_EMAIL)[1]}")
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither.")
if VAPID_PRIVATE_KEY and not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured("VAPID_SUBJECT must be a mailto: or https:// address.")

# Redis is the Celery broker and the cache. Without it (the demo), tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# The worker and beat log through LOGGING below, as the web does (JSON lines in production).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# A broker that accepts connections but never answers must not hang a request.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_BEAT_SCHEDULE = {
    "roll-rota-horizon": {
        "task": "rota.tasks.roll_horizon",
        "schedule": crontab(hour=2, minute=30),
    },
    # Each visit's count of places rightly held, against a recount (rota.counts).
    "reconcile-places-held": {
        "task": "rota.tasks.reconcile_counts",
        "schedule": crontab(hour=3, minute=15),
    },
    "relay-outbox": {
        "task": "rota.tasks.relay_outbox",
        "schedule": 60.0,
    },
    "lapse-started-offers-and-swaps": {
        "task": "rota.tasks.lapse_started",
        "schedule": 300.0,
    },
    # Catches time passing: a gap that is now under 48 hours away.
    "sweep-circles": {
        "task": "circles.tasks.sweep",
        "schedule": 300.0,
    },
    # Early warning: each circle's forecast, and a note to its leaders of a new crossing.
    "warn-early": {
        "task": "circles.tasks.warn_early",
        "schedule": crontab(minute=40),
    },
    # Calls for help and for cover: the next wave of carers asked; unanswered calls for help
    # go to the team leaders.
    "escalate-help-requests": {
        "task": "circles.tasks.escalate_help_requests",
        "schedule": 60.0,
    },
    # Visits nobody has arrived at: the carer asked, then the circle, then the team leaders.
    "check-late-visits": {
        "task": "circles.tasks.check_late_visits",
        "schedule": 60.0,
    },
    "reminders": {
        "task": "circles.tasks.reminders",
        "schedule": crontab(minute=15),
    },
    # Carers' own reminders: tomorrow's visits from 18:00, each visit an hour before.
    "remind-visits": {
        "task": "circles.tasks.remind_visits",
        "schedule": 300.0,
    },
    # The circle's monthly check-in, on the first three mornings of the month: each asks
    # only those not asked yet, so a beat that was down on the first still asks.
    "monthly-check-in": {
        "task": "circles.tasks.monthly_check_in",
        "schedule": crontab(day_of_month="1-3", hour=10, minute=0),
    },
    # Routine messages held back by quiet hours, and any a crash left unsent.
    "deliver-pending-notifications": {
        "task": "circles.tasks.deliver_pending",
        "schedule": 300.0,
    },
}

# How far ahead shifts are generated from the care plans.
ROTA_HORIZON_WEEKS = env.int("ROTA_HORIZON_WEEKS", default=6)
# How long the emergency visit made by a "needs help now" lasts.
HELP_REQUEST_MINUTES = env.int("HELP_REQUEST_MINUTES", default=60)
# How long a help request may go unanswered by carers before the team leaders are alerted.
HELP_ESCALATE_MINUTES = env.int("HELP_ESCALATE_MINUTES", default=10)
# Calls for help and for cover ask carers in waves (circles.fairness.waves): those below
# their share and rested first, then everyone, those running low last, each wave this many
# minutes after the one before. A call for help's three waves are asked within
# 2 x HELP_WAVE_MINUTES, before it escalates; escalated, everyone is asked at once.
HELP_WAVE_MINUTES = env.int("HELP_WAVE_MINUTES", default=3)
# Cover is rarely minutes away; an essential visit soon is urgent and asked like help.
COVER_WAVE_MINUTES = env.int("COVER_WAVE_MINUTES", default=10)
if HELP_WAVE_MINUTES < 1 or COVER_WAVE_MINUTES < 1:
    raise ImproperlyConfigured(
        "HELP_WAVE_MINUTES and COVER_WAVE_MINUTES are whole minutes, 1 or more."
    )
if 2 * HELP_WAVE_MINUTES >= HELP_ESCALATE_MINUTES:
    raise ImproperlyConfigured(
        "Every wave of a call for help (2 x HELP_WAVE_MINUTES) must be asked before it "
        "escalates (HELP_ESCALATE_MINUTES)."
    )
# Routine "visits you could take" are gathered into one email (and one push) per person
# this often; urgent messages go at once.
GATHER_MINUTES = env.int("GATHER_MINUTES", default=30)

# Production logs are JSON lines on stdout, each with its request's or task's id (web.logs);
# the demo and the tests write plain lines a person reads.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "web.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per task run is noise when the demo runs every task in-process.
    "loggers": {"celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"}},
}

# --- Browser hardening and push endpoints -------------------------------------------------------
# Pages hold where vulnerable people live and how to get in. The browser is told to run only
# our own scripts and styles (no inline ones, no eval: htmx is configured for that in
# templates/base.html), to reach only us, and never to be framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# In production the app sits behind a proxy that ends TLS and says so in X-Forwarded-Proto:
# plain http is redirected, and browsers are told to use https only from then on.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Health checks come from inside the network, over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Joining the browsers' preload list binds the whole domain for years: the domain's owner
# decides, so it is off unless set, and the check that asks for it is quiet then.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
# Where a subscription may send us to POST alerts: the browsers' push services only.
# "*.x" is any host under x. Tests add their own local service and allow its address.
PUSH_SERVICE_HOSTS = env.list(
    "PUSH_SERVICE_HOSTS",
    default=[
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        "web.push.apple.com",
        "*.push.apple.com",
        "*.notify.windows.com",
    ],
)
# Never read from the environment: only the tests' push service on 127.0.0.1 needs it.
PUSH_ALLOW_PRIVATE_ADDRESSES = False
