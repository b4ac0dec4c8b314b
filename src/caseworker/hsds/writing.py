"""HSDS 3.0 JSON from the directory: each service as a compiled ``service`` object.

``export_hsds_json`` gives a list of compiled ``service`` objects (each with its organization,
phones, schedules, languages, locations and attributes nested). It calls
``redact_confidential`` first: a confidential entry's address and phones never leave, whoever
calls. The row functions here give each record's HSDS fields; ``tabular`` writes the same rows
as CSV tables.

Our additions travel in HSDS's own way. ``verified_at`` is the service's ``assured_date``;
support categories are attributes whose terms come from our taxonomy; ``district``, ``source``,
``confidential`` and ``sample`` are attributes whose terms come from our field taxonomy, with
the value in ``value`` (see ``domain.taxonomy``). An address's district is HSDS ``city`` and its
province ``state_province`` (the locality / administrative area of Turkish addresses). The ids
of service-at-location links and of our attributes are derived from the ids they join, so an
export is a function of the directory and a round trip gives the same bytes.
"""

from __future__ import annotations

import uuid
from datetime import date, time
from typing import Any

from caseworker.domain.directory import (
    Accessibility,
    Address,
    Attribute,
    Directory,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
    redact_confidential,
)
from caseworker.domain.taxonomy import field_taxonomy, support_taxonomy

CATEGORY_LINK_TYPE = "service_type"
FIELD_LINK_TYPE = "caseworker_field"
_ID_NAMESPACE = uuid.UUID("2f0e5c9e-8d3b-5a51-9a8e-6b1c0c3f4d21")


def export_hsds_json(directory: Directory) -> list[dict[str, Any]]:
    """The directory as HSDS 3.0 compiled ``service`` objects, confidential data removed."""
    directory = redact_confidential(directory)
    organizations = {organization.id: organization for organization in directory.organizations}
    return [_service_json(service, organizations[service.organization_id]) for service in directory.services]


def _derived_id(*parts: str) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, "/".join(parts)))


def _link_id(service: Service, location: Location) -> str:
    return _derived_id(service.id, "at", location.id)


def _service_attributes(service: Service) -> list[Attribute]:
    support, extra = support_taxonomy(), field_taxonomy()
    result = [
        Attribute(_derived_id(service.id, "category", code), support.hsds_term(code), CATEGORY_LINK_TYPE)
        for code in service.categories
    ]
    values = [("district", service.district), ("source", service.source), ("confidential", _flag(service.confidential))]
    if service.sample:
        values.append(("sample", "true"))
    result += [
        Attribute(_derived_id(service.id, "field", code), extra.hsds_term(code), FIELD_LINK_TYPE, value)
        for code, value in values
        if value
    ]
    return result + list(service.attributes)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _organization_row(organization: Organization) -> dict[str, Any]:
    return {
        "id": organization.id,
        "name": organization.name,
        "alternate_name": organization.alternate_name,
        "description": organization.description or organization.name,
        "email": organization.email,
        "website": organization.website,
    }


def _service_row(service: Service) -> dict[str, Any]:
    return {
        "id": service.id,
        "organization_id": service.organization_id,
        "name": service.name,
        "alternate_name": service.alternate_name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "interpretation_services": service.interpretation_services,
        "application_process": service.application_process,
        "fees_description": service.fees_description,
        "eligibility_description": service.eligibility_description,
        "assured_date": service.verified_at,
        "alert": service.alert,
    }


def _phone_row(phone: Phone) -> dict[str, Any]:
    return {"id": phone.id, "number": phone.number, "extension": phone.extension, "type": phone.type, "description": phone.description}


def _schedule_row(schedule: Schedule) -> dict[str, Any]:
    return {
        "id": schedule.id,
        "valid_from": schedule.valid_from,
        "valid_to": schedule.valid_to,
        "dtstart": schedule.dtstart,
        "timezone": schedule.timezone,
        "until": schedule.until,
        "freq": schedule.freq,
        "interval": schedule.interval if schedule.interval != 1 else None,
        "byday": schedule.byday,
        "bymonthday": schedule.bymonthday,
        "description": schedule.description,
        "opens_at": schedule.opens_at,
        "closes_at": schedule.closes_at,
    }


def _language_row(language: Language) -> dict[str, Any]:
    return {"id": language.id, "name": language.name, "code": language.code, "note": language.note}


def _location_row(location: Location) -> dict[str, Any]:
    return {
        "id": location.id,
        "location_type": location.location_type,
        "url": location.url,
        "name": location.name,
        "description": location.description,
        "transportation": location.transportation,
        "latitude": location.latitude,
        "longitude": location.longitude,
    }


def _address_row(address: Address) -> dict[str, Any]:
    return {
        "id": address.id,
        "address_1": address.address_1,
        "address_2": address.address_2,
        "city": address.district,
        "region": address.region,
        "state_province": address.province,
        "postal_code": address.postal_code,
        "country": address.country,
        "address_type": address.address_type,
    }


def _accessibility_row(accessibility: Accessibility) -> dict[str, Any]:
    return {"id": accessibility.id, "description": accessibility.description, "details": accessibility.details, "url": accessibility.url}


def _taxonomy_row(taxonomy: Taxonomy) -> dict[str, Any]:
    return {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description or taxonomy.name, "uri": taxonomy.uri, "version": taxonomy.version}


def _term_row(term: TaxonomyTerm) -> dict[str, Any]:
    return {
        "id": term.id,
        "code": term.code,
        "name": term.name,
        "description": term.description or term.name,
        "parent_id": term.parent_id,
        "taxonomy": term.taxonomy,
        "language": term.language,
        "taxonomy_id": term.taxonomy_detail.id if term.taxonomy_detail else "",
        "term_uri": term.term_uri,
    }


def _attribute_row(attribute: Attribute, service: Service) -> dict[str, Any]:
    return {
        "id": attribute.id,
        "link_id": service.id,
        "taxonomy_term_id": attribute.term.id,
        "link_type": attribute.link_type,
        "link_entity": "service",
        "value": attribute.value,
    }


def _json_value(value: Any) -> Any:
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 3.0 and 3 are one number: write it one way, so exports repeat exactly
    return value


def _json_object(row: dict[str, Any], **nested: Any) -> dict[str, Any]:
    result = {key: _json_value(value) for key, value in row.items() if value is not None and value != ""}
    result.update(nested)
    return result


def _service_json(service: Service, organization: Organization) -> dict[str, Any]:
    return _json_object(
        _service_row(service),
        phones=[_json_object(_phone_row(phone)) for phone in service.phones],
        schedules=[_json_object(_schedule_row(schedule)) for schedule in service.schedules],
        service_at_locations=[
            _json_object(
                {"id": _link_id(service, location), "service_id": service.id, "location_id": location.id},
                location=_location_json(location),
            )
            for location in service.locations
        ],
        languages=[_json_object(_language_row(language)) for language in service.languages],
        organization=_json_object(_organization_row(organization), phones=[_json_object(_phone_row(phone)) for phone in organization.phones]),
        attributes=[
            _json_object(_attribute_row(attribute, service), taxonomy_term=_term_json(attribute.term))
            for attribute in _service_attributes(service)
        ],
    )


def _location_json(location: Location) -> dict[str, Any]:
    return _json_object(
        _location_row(location),
        languages=[_json_object(_language_row(language)) for language in location.languages],
        addresses=[_json_object(_address_row(address)) for address in location.addresses],
        accessibility=[_json_object(_accessibility_row(item)) for item in location.accessibility],
        phones=[_json_object(_phone_row(phone)) for phone in location.phones],
    )


def _term_json(term: TaxonomyTerm) -> dict[str, Any]:
    nested = {"taxonomy_detail": _json_object(_taxonomy_row(term.taxonomy_detail))} if term.taxonomy_detail else {}
    return _json_object(_term_row(term), **nested)
