"""The functional tests' shared cohort: people in every relation to one subcommittee's proposals."""
import pytest

from tests.functional.cohort import make_cohort


@pytest.fixture
def cohort(programme, make_account):
    return make_cohort(make_account)
