"""The curated STEM skill list volunteers pick from and teachers ask for."""

CURATED_SKILLS = [
    ("aerospace", "Aerospace"),
    ("biology", "Biology"),
    ("chemistry", "Chemistry"),
    ("civil-engineering", "Civil engineering"),
    ("cybersecurity", "Cybersecurity"),
    ("data-science", "Data science"),
    ("electrical-engineering", "Electrical engineering"),
    ("energy", "Energy and power"),
    ("environmental-science", "Environmental science"),
    ("manufacturing", "Manufacturing"),
    ("mathematics", "Mathematics"),
    ("mechanical-engineering", "Mechanical engineering"),
    ("medicine", "Medicine and health"),
    ("physics", "Physics"),
    ("product-design", "Product design"),
    ("robotics", "Robotics"),
    ("software", "Software engineering"),
    ("statistics", "Statistics"),
]
