"""Regions, PDUs, offence categories and the other lists a review uses.
Administrators edit these in Django admin; loading again changes nothing."""

from django.db import migrations
from django.utils.text import slugify

REGIONS = {
    "North East": [
        "County Durham and Darlington",
        "Northumberland and North Tyneside",
        "Newcastle upon Tyne",
        "Gateshead and South Tyneside",
        "Sunderland",
        "Redcar, Cleveland and Middlesbrough",
        "Stockton and Hartlepool",
    ],
    "North West": [
        "Cumbria",
        "Central Lancashire",
        "East Lancashire",
        "North West Lancashire",
        "Liverpool North",
        "Liverpool South",
        "Wirral",
        "Sefton",
        "Cheshire East",
        "Cheshire West",
        "Warrington and Halton",
    ],
    "Yorkshire and the Humber": [
        "Leeds",
        "Bradford and Calderdale",
        "Kirklees",
        "Wakefield",
        "Sheffield",
        "Doncaster",
        "Rotherham",
        "Barnsley",
        "Hull and East Riding",
        "North Yorkshire",
        "York",
    ],
    "Greater Manchester": [
        "Manchester North",
        "Manchester South",
        "Bolton",
        "Bury and Rochdale",
        "Oldham",
        "Salford",
        "Stockport and Trafford",
        "Tameside",
        "Wigan",
    ],
    "East Midlands": [
        "Derby City",
        "Derbyshire",
        "Leicester",
        "Leicestershire and Rutland",
        "Lincolnshire",
        "Nottingham City",
        "Nottinghamshire",
        "Northamptonshire",
    ],
    "West Midlands": [
        "Birmingham Central and South",
        "Birmingham North, East and Solihull",
        "Coventry",
        "Dudley and Sandwell",
        "Walsall and Wolverhampton",
        "Staffordshire and Stoke",
        "Shropshire, Telford and Wrekin",
        "Warwickshire",
        "Worcestershire and Herefordshire",
    ],
    "East of England": [
        "Bedfordshire",
        "Cambridgeshire and Peterborough",
        "Essex North",
        "Essex South",
        "Hertfordshire",
        "Norfolk",
        "Suffolk",
    ],
    "Kent Surrey and Sussex": [
        "East Kent",
        "West Kent",
        "Surrey",
        "East Sussex",
        "West Sussex",
        "Brighton and Hove",
    ],
    "London": [
        "Barnet, Enfield and Haringey",
        "Camden and Islington",
        "Croydon",
        "Ealing and Hillingdon",
        "Hackney and City",
        "Lambeth",
        "Lewisham and Bromley",
        "Newham",
        "Southwark",
        "Tower Hamlets",
        "Westminster, Kensington and Chelsea",
    ],
    "South West": [
        "Bath and North East Somerset",
        "Bristol and South Gloucestershire",
        "Cornwall and Isles of Scilly",
        "Devon and Torbay",
        "Dorset",
        "Gloucestershire",
        "Plymouth",
        "Somerset",
        "Wiltshire",
    ],
    "South Central": [
        "Berkshire",
        "Buckinghamshire and Milton Keynes",
        "Hampshire North and East",
        "Oxfordshire",
        "Portsmouth and Isle of Wight",
        "Southampton, Eastleigh and New Forest",
    ],
    "Wales": [
        "Cardiff and the Vale",
        "Cwm Taf Morgannwg",
        "Dyfed-Powys",
        "Gwent",
        "North Wales",
        "Swansea, Neath Port Talbot",
    ],
}

OFFENCE_CATEGORIES = [
    ("murder", "Murder"),
    ("manslaughter", "Manslaughter"),
    ("other-death", "Other offence causing death"),
    ("rape", "Rape"),
    ("assault-by-penetration", "Assault by penetration"),
    ("sexual-offence-child-under-13", "Sexual offence against a child under 13"),
    ("terrorism", "Terrorism offence"),
    ("other-qualifying", "Other qualifying violent or sexual offence"),
]

SUPERVISION_TYPES = [
    ("community-order", "Community order"),
    ("suspended-sentence-order", "Suspended sentence order"),
    ("licence", "Licence"),
    ("post-sentence-supervision", "Post-sentence supervision"),
    ("within-28-days", "Within 28 working days of supervision ending"),
]

MAPPA_CATEGORIES = [
    ("mappa-category-1", "Category 1"),
    ("mappa-category-2", "Category 2"),
    ("mappa-category-3", "Category 3"),
    ("not-mappa", "Not MAPPA eligible"),
]

MAPPA_LEVELS = [
    ("mappa-level-1", "Level 1"),
    ("mappa-level-2", "Level 2"),
    ("mappa-level-3", "Level 3"),
]

RISK_LEVELS = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("very-high", "Very high"),
]


def _load_list(model, items):
    for position, (slug, name) in enumerate(items, start=1):
        model.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )


def load(apps, schema_editor):
    Region = apps.get_model("reviews", "Region")
    DeliveryUnit = apps.get_model("reviews", "DeliveryUnit")
    for position, (name, units) in enumerate(REGIONS.items(), start=1):
        region, _ = Region.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )
        for unit in units:
            DeliveryUnit.objects.get_or_create(
                slug=slugify(unit), defaults={"name": unit, "region": region}
            )
    _load_list(apps.get_model("reviews", "OffenceCategory"), OFFENCE_CATEGORIES)
    _load_list(apps.get_model("reviews", "SupervisionType"), SUPERVISION_TYPES)
    _load_list(apps.get_model("reviews", "MappaCategory"), MAPPA_CATEGORIES)
    _load_list(apps.get_model("reviews", "MappaLevel"), MAPPA_LEVELS)
    _load_list(apps.get_model("reviews", "RiskLevel"), RISK_LEVELS)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
