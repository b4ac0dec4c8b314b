"""Enrolment files: strict parsing of requests and profiles, and what their fingerprints cover."""

from __future__ import annotations

import pytest

from caseworker.errors import InvalidInput
from caseworker.sync import minisign
from caseworker.sync.enrolment import EnrolmentRequest, parse_profile, parse_request


def _request(**changes) -> EnrolmentRequest:
    fields = {"centre_id": "konak-3f9a", "name": "Konak KDM", "district": "Konak", "signing_public": minisign.generate_keypair().public_key().to_base64()}
    return EnrolmentRequest(**{**fields, **changes})


@pytest.mark.parametrize(
    "data",
    [b"[" * 100_000 + b"]" * 100_000, b'{"format": "caseworker-enrolment-request", "version": ' + b"1" * 5_000 + b"}", b"\xff" * 10, b" " * 70_000],
    ids=["deep", "5,000 digits", "not UTF-8", "too large"],
)
def test_hostile_enrolment_files_are_refused_with_a_reason(data):
    for parse in (parse_request, parse_profile):
        with pytest.raises(InvalidInput):
            parse(data)


def test_a_request_reads_back():
    request = _request()
    assert parse_request(request.to_bytes()) == request


def test_the_request_fingerprint_covers_everything_the_coordinator_trusts():
    request = _request()
    for change in ({"centre_id": "bornova-1a2b"}, {"name": "Bornova KDM"}, {"district": "Bornova"},
                   {"signing_public": minisign.generate_keypair().public_key().to_base64()}):
        assert _request(**{**request.__dict__, **change}).fingerprint != request.fingerprint, change


def test_the_profile_fingerprint_covers_everything_a_centre_trusts():
    from caseworker.sync import agecrypt
    from caseworker.sync.enrolment import CoordinatorProfile

    profile = CoordinatorProfile("İzmir BB", (agecrypt.generate_identity()[1],), minisign.generate_keypair().public_key().to_base64())
    for other in (CoordinatorProfile("Sahte Birim", profile.age_recipients, profile.signing_public),
                  CoordinatorProfile(profile.name, (agecrypt.generate_identity()[1],), profile.signing_public),
                  CoordinatorProfile(profile.name, profile.age_recipients, minisign.generate_keypair().public_key().to_base64())):
        assert other.fingerprint != profile.fingerprint
    assert parse_profile(profile.to_bytes()).fingerprint == profile.fingerprint
