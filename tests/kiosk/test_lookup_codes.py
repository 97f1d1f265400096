"""What a resident types as a code: separators are fine, every one-digit slip is caught."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nghedan import tracking_codes
from nghedan.services.people import kiosks
from tests.factories import make_commune, make_item

bodies = st.text(alphabet="0123456789", min_size=7, max_size=7).filter(lambda b: b[0] != "0")
codes = bodies.map(lambda body: body + str(tracking_codes.damm_digit(body)))
relaxed = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@relaxed
@given(code=codes, position=st.integers(0, 7), delta=st.integers(1, 9))
def test_one_wrong_digit_is_named_as_such(db, code, position, delta):
    digit = str((int(code[position]) + delta) % 10)
    typo = code[:position] + digit + code[position + 1 :]
    assert kiosks.lookup(typo).problem == "bad_check_digit"


@relaxed
@given(code=codes, separator=st.sampled_from([" ", "-", ".", "  ", " - "]))
def test_a_valid_code_typed_with_separators_is_looked_up(db, code, separator):
    typed = f" {code[:4]}{separator}{code[4:]} "
    found = kiosks.lookup(typed)
    assert found.code == code and found.problem == "not_found"


@relaxed
@given(raw=st.text(max_size=12))
def test_anything_typed_gives_an_answer_never_an_error(db, raw):
    found = kiosks.lookup(raw)
    assert (found.item is None) == (found.problem is not None)


def test_a_stored_code_is_found_and_kept_inside_its_commune(db):
    commune, other = make_commune(), make_commune(name="Mỹ Hòa")
    item = make_item(commune)
    assert kiosks.lookup(item.tracking_code).item is item
    assert kiosks.lookup(item.tracking_code, commune_id=commune.id).item is item
    assert kiosks.lookup(item.tracking_code, commune_id=other.id).problem == "not_found"
