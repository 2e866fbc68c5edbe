from django.contrib.auth import views as auth_views
from django.urls import path

from people import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/link/", views.sign_in_link, name="sign_in_link"),
    path("sign-in/link/go/", views.sign_in_confirm, name="sign_in_confirm"),
    path("me/", views.preferences, name="preferences"),
    path("language/", views.switch_language, name="switch_language"),
]
