"""Signing in and the people of the site (``UsersService``)."""

from fulfilstation.services.actor import Actor
from fulfilstation.services.users.accounts import NewUser, UserInfo, UserRefused
from fulfilstation.services.users.job_secrets import IssuedSecret
from fulfilstation.services.users.service import LoginChoice, UsersService
from fulfilstation.services.users.sign_in import SignInRefused

__all__ = ["Actor", "IssuedSecret", "LoginChoice", "NewUser", "SignInRefused", "UserInfo", "UserRefused",
           "UsersService"]
