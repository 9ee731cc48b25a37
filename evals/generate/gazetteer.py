"""General public knowledge the generator builds near misses from: places in the UK and public
bodies. Test-data generation only: nothing here judges an answer. A name is used as a swap only
when the store does not hold it, so the lists may overlap any corpus.
"""

from __future__ import annotations

# Counties, cities and towns of England, Wales, Scotland and Northern Ireland, and the English
# regions. Longer names first within a line does not matter: matching is by whole name.
PLACES: tuple[str, ...] = (
    # English regions and nations
    "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West", "England", "Wales", "Scotland",
    "Northern Ireland",
    # English counties and metropolitan areas
    "Bedfordshire", "Berkshire", "Bristol", "Buckinghamshire", "Cambridgeshire", "Cheshire",
    "Cornwall", "Cumbria", "Derbyshire", "Devon", "Dorset", "Durham", "East Sussex", "Essex",
    "Gloucestershire", "Greater Manchester", "Hampshire", "Herefordshire", "Hertfordshire",
    "Isle of Wight", "Kent", "Lancashire", "Leicestershire", "Lincolnshire", "Merseyside",
    "Norfolk", "North Yorkshire", "Northamptonshire", "Northumberland", "Nottinghamshire",
    "Oxfordshire", "Rutland", "Shropshire", "Somerset", "South Yorkshire", "Staffordshire",
    "Suffolk", "Surrey", "Tyne and Wear", "Warwickshire", "West Sussex", "West Yorkshire",
    "Wiltshire", "Worcestershire", "East Riding of Yorkshire", "Isles of Scilly", "Cleveland",
    "Humberside", "Avon",
    # English cities and towns
    "Birmingham", "Leeds", "Sheffield", "Bradford", "Liverpool", "Manchester", "Newcastle",
    "Sunderland", "Nottingham", "Leicester", "Coventry", "Hull", "Stoke-on-Trent", "Derby",
    "Southampton", "Portsmouth", "Plymouth", "Exeter", "Norwich", "Ipswich", "Cambridge",
    "Oxford", "Reading", "Milton Keynes", "Northampton", "Peterborough", "Luton", "Brighton",
    "Canterbury", "Maidstone", "Guildford", "Swindon", "Gloucester", "Bath", "Truro", "Carlisle",
    "Lancaster", "Preston", "Blackpool", "Bolton", "Wigan", "Stockport", "Chester", "Warrington",
    "Middlesbrough", "Darlington", "York", "Harrogate", "Scarborough", "Doncaster", "Wakefield",
    "Huddersfield", "Lincoln", "Grimsby", "Worcester", "Hereford", "Shrewsbury", "Telford",
    "Wolverhampton", "Walsall", "Dudley", "Salisbury", "Winchester", "Bournemouth", "Poole",
    "Dorchester", "Taunton", "Yeovil", "Barnstaple", "Torquay", "Kendal", "Whitehaven",
    "Hexham", "Berwick-upon-Tweed", "Colchester", "Chelmsford", "Southend-on-Sea", "Basildon",
    "Bedford", "Stevenage", "St Albans", "Watford", "Aylesbury", "High Wycombe", "Slough",
    "Crawley", "Chichester", "Hastings", "Eastbourne", "Dover", "Folkestone", "Ashford",
    "Tunbridge Wells", "King's Lynn", "Great Yarmouth", "Lowestoft", "Bury St Edmunds",
    "Kettering", "Corby", "Mansfield", "Newark", "Grantham", "Boston", "Skegness", "Loughborough",
    "Burton upon Trent", "Stafford", "Lichfield", "Nuneaton", "Rugby", "Banbury", "Bicester",
    # Wales
    "Anglesey", "Gwynedd", "Conwy", "Denbighshire", "Flintshire", "Wrexham", "Powys",
    "Ceredigion", "Pembrokeshire", "Carmarthenshire", "Swansea", "Neath Port Talbot",
    "Bridgend", "Vale of Glamorgan", "Cardiff", "Rhondda Cynon Taf", "Merthyr Tydfil",
    "Caerphilly", "Blaenau Gwent", "Torfaen", "Monmouthshire", "Newport", "Aberystwyth",
    "Bangor", "Llandudno", "Rhyl", "Haverfordwest", "Llanelli", "Brecon", "Newtown",
    "Dolgellau", "Caernarfon", "Holyhead", "Pontypridd", "Barry", "Abergavenny",
    # Scotland
    "Glasgow", "Edinburgh", "Aberdeen", "Dundee", "Inverness", "Perth", "Stirling", "Fife",
    "Ayrshire", "Lanarkshire", "Highland", "Argyll and Bute", "Dumfries and Galloway",
    "Scottish Borders", "Shetland", "Orkney", "Western Isles", "Moray", "Angus", "Falkirk",
    # Northern Ireland
    "Belfast", "Derry", "Londonderry", "Antrim", "Armagh", "Down", "Fermanagh", "Tyrone",
    "Newry", "Lisburn", "Enniskillen", "Omagh",
)  # fmt: skip

# National and devolved public bodies of the UK, as they read inside a sentence ("the Met Office",
# "Ofwat").
BODIES: tuple[str, ...] = (
    "Police Scotland", "the Scottish Fire and Rescue Service", "the Scottish Ambulance Service",
    "the Police Service of Northern Ireland", "the Northern Ireland Fire and Rescue Service",
    "the Northern Ireland Ambulance Service", "the Environment Agency",
    "Natural Resources Wales", "the Scottish Environment Protection Agency", "the Met Office",
    "the Ordnance Survey", "the Care Quality Commission", "Ofsted", "Ofcom", "Ofgem", "Ofwat",
    "the Health and Safety Executive", "the Food Standards Agency",
    "the UK Health Security Agency", "NHS Blood and Transplant", "NHS Property Services",
    "the Civil Aviation Authority", "the Driver and Vehicle Standards Agency",
    "the Driver and Vehicle Licensing Agency", "the National Crime Agency",
    "the Serious Fraud Office", "the Crown Prosecution Service", "HM Prison and Probation Service",
    "Border Force", "HM Revenue and Customs", "the Ministry of Defence Police",
    "the Civil Nuclear Constabulary", "the British Red Cross", "St John Ambulance",
    "the Royal National Lifeboat Institution", "Mountain Rescue England and Wales",
    "the Canal and River Trust", "the Forestry Commission", "Natural England", "Historic England",
    "Cadw", "Network Rail", "National Highways", "Transport for London", "Transport for Wales",
    "the Office for National Statistics", "the Independent Office for Police Conduct",
    "the Sentencing Council", "the Youth Justice Board", "the Electoral Commission",
    "the Charity Commission", "the Valuation Office Agency", "Land Registry",
)  # fmt: skip

# Modifiers and heads from which a programme that nowhere exists is named ("the Rutland Joint
# Drone Response Pathfinder"); the whole name is checked against the store before use.
PROGRAMME_MODIFIERS: tuple[str, ...] = (
    "Drone Response", "Wildfire Resilience", "Cyber Incident", "Water Safety", "Rural Crime",
    "Mental Health Triage", "Falls Prevention", "Winter Pressures", "Heatwave Response",
    "Coastal Erosion", "Community Resilience", "Road Safety", "Hoarding Response",
    "Bariatric Transport", "Missing Persons", "Digital Evidence", "Blue Light Fleet",
    "Hospital Discharge", "Youth Diversion", "Volunteer Responder",
)  # fmt: skip
PROGRAMME_HEADS: tuple[str, ...] = (
    "Programme", "Pathfinder", "Partnership", "Initiative", "Scheme", "Taskforce", "Network",
    "Pilot", "Hub", "Accord",
)  # fmt: skip

# The customary short forms of British counties, as officers and the post have long written them
# (all counties that have one in common use, not those of any corpus).
COUNTY_SHORT: dict[str, str] = {
    "Bedfordshire": "Beds", "Berkshire": "Berks", "Buckinghamshire": "Bucks",
    "Cambridgeshire": "Cambs", "Cheshire": "Ches", "Derbyshire": "Derbys",
    "Gloucestershire": "Glos", "Hampshire": "Hants", "Herefordshire": "Herefs",
    "Hertfordshire": "Herts", "Huntingdonshire": "Hunts", "Lancashire": "Lancs",
    "Leicestershire": "Leics", "Lincolnshire": "Lincs", "Northamptonshire": "Northants",
    "Northumberland": "Northumb", "Nottinghamshire": "Notts", "Oxfordshire": "Oxon",
    "Shropshire": "Shrops", "Staffordshire": "Staffs", "Warwickshire": "Warks",
    "Wiltshire": "Wilts", "Worcestershire": "Worcs", "Yorkshire": "Yorks", "Middlesex": "Middx",
    "Pembrokeshire": "Pembs", "Carmarthenshire": "Carms", "Denbighshire": "Denbs",
    "Flintshire": "Flints", "Monmouthshire": "Mons", "Glamorgan": "Glam",
}  # fmt: skip
