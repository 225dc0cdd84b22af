"""Where people live: cities, regions, time zones, phone prefixes, postal codes and locales
for every country in seeds/countries.csv (calling codes, number lengths and currencies come
from the seed; this module adds what the seed does not hold).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .contract import Contract, ContractError

# country: (share of persons, sales tax rate, locales with weights, email domains,
#           cities as (city, region, UTC offset minutes, postal template, phone prefix)).
# Postal templates: '#' is a digit, '@' an upper-case letter. A phone prefix plus seven
# digits makes the national number, so len(prefix) = national_number_length - 7.
PROFILES: dict[str, tuple] = {
    "US": (
        0.36,
        0.07,
        (("en-US", 0.9), ("es-US", 0.1)),
        ("yahoo.com", "aol.com", "comcast.net"),
        (
            ("New York", "NY", -240, "100##", "212"),
            ("Los Angeles", "CA", -420, "900##", "310"),
            ("Chicago", "IL", -300, "606##", "312"),
            ("Houston", "TX", -300, "770##", "713"),
            ("Seattle", "WA", -420, "981##", "206"),
            ("Miami", "FL", -240, "331##", "305"),
            ("San Francisco", "CA", -420, "941##", "415"),
            ("Boston", "MA", -240, "021##", "617"),
        ),
    ),
    "CA": (
        0.06,
        0.13,
        (("en-CA", 0.7), ("fr-CA", 0.3)),
        ("yahoo.ca", "rogers.com"),
        (
            ("Toronto", "ON", -240, "M#@ #@#", "416"),
            ("Vancouver", "BC", -420, "V#@ #@#", "604"),
            ("Montreal", "QC", -240, "H#@ #@#", "514"),
        ),
    ),
    "GB": (
        0.12,
        0.20,
        (("en-GB", 1.0),),
        ("yahoo.co.uk", "btinternet.com", "hotmail.co.uk"),
        (
            ("London", "England", 60, "SW# #@@", "770"),
            ("Manchester", "England", 60, "M## #@@", "791"),
            ("Edinburgh", "Scotland", 60, "EH# #@@", "740"),
            ("Cardiff", "Wales", 60, "CF## #@@", "752"),
        ),
    ),
    "IE": (
        0.02,
        0.23,
        (("en-IE", 1.0),),
        ("eircom.net",),
        (("Dublin", "Leinster", 60, "D0# @#@#", "83"), ("Cork", "Munster", 60, "T12 @#@#", "87")),
    ),
    "DE": (
        0.10,
        0.19,
        (("de-DE", 0.95), ("en-GB", 0.05)),
        ("web.de", "gmx.de", "t-online.de"),
        (
            ("Berlin", "Berlin", 120, "10###", "1512"),
            ("Munich", "Bavaria", 120, "80###", "1520"),
            ("Hamburg", "Hamburg", 120, "20###", "1701"),
            ("Cologne", "North Rhine-Westphalia", 120, "50###", "1590"),
        ),
    ),
    "FR": (
        0.07,
        0.20,
        (("fr-FR", 1.0),),
        ("orange.fr", "free.fr", "laposte.net"),
        (
            ("Paris", "Île-de-France", 120, "750##", "61"),
            ("Lyon", "Auvergne-Rhône-Alpes", 120, "6900#", "66"),
            ("Marseille", "Provence-Alpes-Côte d'Azur", 120, "130##", "75"),
        ),
    ),
    "ES": (
        0.04,
        0.21,
        (("es-ES", 0.9), ("ca-ES", 0.1)),
        ("telefonica.net",),
        (
            ("Madrid", "Madrid", 120, "280##", "61"),
            ("Barcelona", "Catalonia", 120, "080##", "62"),
            ("Valencia", "Valencia", 120, "460##", "65"),
        ),
    ),
    "IT": (
        0.04,
        0.22,
        (("it-IT", 1.0),),
        ("libero.it", "virgilio.it"),
        (
            ("Rome", "Lazio", 120, "001##", "320"),
            ("Milan", "Lombardy", 120, "201##", "333"),
            ("Naples", "Campania", 120, "801##", "347"),
        ),
    ),
    "NL": (
        0.04,
        0.21,
        (("nl-NL", 0.9), ("en-GB", 0.1)),
        ("ziggo.nl", "kpnmail.nl"),
        (
            ("Amsterdam", "North Holland", 120, "10## @@", "61"),
            ("Rotterdam", "South Holland", 120, "30## @@", "62"),
            ("Utrecht", "Utrecht", 120, "35## @@", "64"),
        ),
    ),
    "SE": (
        0.03,
        0.25,
        (("sv-SE", 1.0),),
        ("telia.com", "bredband.net"),
        (
            ("Stockholm", "Stockholm", 120, "1## ##", "70"),
            ("Gothenburg", "Västra Götaland", 120, "4## ##", "72"),
            ("Malmö", "Skåne", 120, "2## ##", "73"),
        ),
    ),
    "CH": (
        0.02,
        0.081,
        (("de-CH", 0.65), ("fr-CH", 0.35)),
        ("bluewin.ch", "gmx.ch"),
        (
            ("Zurich", "Zurich", 120, "80##", "79"),
            ("Geneva", "Geneva", 120, "12##", "78"),
            ("Basel", "Basel-Stadt", 120, "40##", "76"),
        ),
    ),
    "AU": (
        0.05,
        0.10,
        (("en-AU", 1.0),),
        ("bigpond.com", "optusnet.com.au"),
        (
            ("Sydney", "New South Wales", 600, "20##", "41"),
            ("Melbourne", "Victoria", 600, "30##", "42"),
            ("Brisbane", "Queensland", 600, "40##", "43"),
            ("Perth", "Western Australia", 480, "60##", "45"),
        ),
    ),
    "JP": (
        0.03,
        0.10,
        (("ja-JP", 1.0),),
        ("yahoo.co.jp", "docomo.ne.jp"),
        (
            ("Tokyo", "Tokyo", 540, "1##-####", "901"),
            ("Osaka", "Osaka", 540, "5##-####", "801"),
            ("Yokohama", "Kanagawa", 540, "2##-####", "701"),
        ),
    ),
}
GLOBAL_EMAIL_DOMAINS = ("gmail.com", "outlook.com", "icloud.com", "hotmail.com", "proton.me")
POSTAL_POOL = 40  # postal codes generated per city


@dataclass(frozen=True)
class Geography:
    """Countries (seed order) and cities as arrays indexed by country / city code."""

    country_code: tuple[str, ...]
    calling_code: tuple[str, ...]
    trunk_prefix: tuple[str, ...]
    currency: tuple[str, ...]
    country_share: np.ndarray
    tax_rate: np.ndarray
    locales: tuple[str, ...]  # all locales; locale_probs is (country, locale)
    locale_probs: np.ndarray
    email_domains: tuple[str, ...]  # global domains first, then local ones
    domain_probs: np.ndarray  # (country, domain)
    city_country: np.ndarray
    city: pa.Array
    region: pa.Array
    city_offset_minutes: np.ndarray
    city_phone_prefix: pa.Array
    postal_codes: pa.Array  # POSTAL_POOL codes per city, city-major

    def country(self, code: str) -> int:
        """Country index of an ISO code."""
        return self.country_code.index(code)


def _postal(rng: np.random.Generator, template: str) -> str:
    digits = iter(rng.integers(0, 10, len(template)))
    letters = iter(rng.integers(0, 26, len(template)))
    return "".join(
        str(next(digits)) if ch == "#" else chr(65 + next(letters)) if ch == "@" else ch
        for ch in template
    )


def build_geography(contract: Contract, rng: np.random.Generator) -> Geography:
    """Join the seed's countries with PROFILES; every seed country needs a profile."""
    missing = [c.code for c in contract.countries if c.code not in PROFILES]
    if missing:
        raise ContractError(f"no geography profile for seed countries {missing}")
    locales = sorted({loc for c in contract.countries for loc, _ in PROFILES[c.code][2]})
    local_domains = sorted({d for c in contract.countries for d in PROFILES[c.code][3]})
    domains = GLOBAL_EMAIL_DOMAINS + tuple(local_domains)
    locale_probs = np.zeros((len(contract.countries), len(locales)))
    domain_probs = np.zeros((len(contract.countries), len(domains)))
    domain_probs[:, : len(GLOBAL_EMAIL_DOMAINS)] = (0.35, 0.15, 0.1, 0.08, 0.02)
    cities: list[tuple] = []
    for i, country in enumerate(contract.countries):
        _, _, country_locales, country_domains, country_cities = PROFILES[country.code]
        for loc, weight in country_locales:
            locale_probs[i, locales.index(loc)] = weight
        for domain in country_domains:
            domain_probs[i, domains.index(domain)] = 0.3 / len(country_domains)
        for city in country_cities:
            if len(city[4]) + 7 != country.national_number_length:
                raise ContractError(f"phone prefix of {city[0]} does not fit {country.code}")
            cities.append((i, *city))
    postal = [_postal(rng, c[4]) for c in cities for _ in range(POSTAL_POOL)]
    return Geography(
        country_code=tuple(c.code for c in contract.countries),
        calling_code=tuple(c.calling_code for c in contract.countries),
        trunk_prefix=tuple(c.trunk_prefix for c in contract.countries),
        currency=tuple(c.currency for c in contract.countries),
        country_share=np.array([PROFILES[c.code][0] for c in contract.countries]),
        tax_rate=np.array([PROFILES[c.code][1] for c in contract.countries]),
        locales=tuple(locales),
        locale_probs=locale_probs,
        email_domains=domains,
        domain_probs=domain_probs,
        city_country=np.array([c[0] for c in cities]),
        city=pa.array([c[1] for c in cities]),
        region=pa.array([c[2] for c in cities]),
        city_offset_minutes=np.array([c[3] for c in cities]),
        city_phone_prefix=pa.array([c[5] for c in cities]),
        postal_codes=pa.array(postal),
    )
