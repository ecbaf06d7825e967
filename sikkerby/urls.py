"""Root URLconf. Pages are under a language-neutral prefix; the language is
chosen by the session/cookie (``set_language``), not the URL."""
import os

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from operations import views as operations_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("health/", operations_views.health, name="health"),
    path("login/", account_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("", include("accounts.urls")),  # /sso/… and /users/…
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The link of an invitation (accounts.services.user_invite): Django's password-reset token.
    path("password/set/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/set/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("programme/", include("initiatives.urls")),
    path("areas/", include("areas.urls")),
    path("indicators/", include("indicators.urls")),
    path("exit/", include("exitprogram.urls")),
    path("ssp/", include("sspcases.urls")),
    path("safety-index/", include("tryghedsindeks.urls")),
    path("key-figures/", include("crimestats.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("safety-walks/", include("safetywalks.urls")),
    path("partners/", include("partners.urls")),
    path("api/v1/", include(("sikkerby.api_urls", "api"))),
]

if os.environ.get("BENCHMARK_ANCHOR") == "1":  # benchmarks/bench_api.py only: the anchor in the same workers
    from sikkerby import benchmark_anchor

    urlpatterns.append(path("benchmark-anchor/indicator-values/", benchmark_anchor.indicator_values))

# An outage of the database or the broker answers 503 with Retry-After, not 500 or 400 (sikkerby.errors).
handler400 = "sikkerby.errors.bad_request"
handler500 = "sikkerby.errors.server_error"
