"""Characters like "¹" and "٣" are digits to str.isdigit() but not to int() or to
secrets.compare_digest(): typed into a number or code box, they get an error, never a 500."""

from cpevents.core.enums import Role
from tests.factories import make_user, post_form


def test_a_superscript_digit_in_the_sign_in_code_is_an_error_not_a_500(client):
    user = make_user(Role.ORGANISER, totp=True)
    post_form(client, "/sign-in", {"email": user.email, "password": "correct horse battery staple"})
    response = post_form(client, "/sign-in/code", {"code": "12345¹"})
    assert response.status_code in (200, 400) and response.status_code < 500


def test_the_judging_number_check_refuses_non_ascii_digits():
    import pytest
    from wtforms.validators import ValidationError

    from cpevents.judging.forms import WholeNumber

    class Field:
        data = "¹"

    with pytest.raises(ValidationError):
        WholeNumber(1, 5, "The score")(None, Field())
