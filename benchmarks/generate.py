"""Generate a synthetic content root of N realistic AI projects, for benchmarks and load tests.

    python benchmarks/generate.py N --out DIR [--seed S] [--root SRC] [--force] [--quiet]

DIR receives copies of SRC's `ontology/`, `shapes/` and `data/` (so it is a complete content root the
engine can validate, build and serve), then `data/projects/gen-{n:06d}.ttl` for n = 1..N and their
deployers in `data/organisations-generated.ttl`. Records follow docs/data-model.md exactly.

Why it is built this way:
- Concept IRIs are read from the copied schemes at run time (selected by `skos:inScheme`), never
  hard-coded, so generated data cannot drift from the vocabulary a curator edits. The templates below
  only carry *hints* (a COFOG code, an AI Watch ref); a hint the schemes lack falls back to a random
  concept of the same scheme.
- Output is a pure function of (N, seed, source): every record draws from its own
  `random.Random(f"{seed}:project:{n}")`, iteration is sorted, and the Turtle layout is fixed.
- Records are written by a small Turtle writer: about 18 times faster than one rdflib serialisation per
  record (0.12 ms against 2.2 ms, which is minutes at N = 100,000), and byte-stable, which rdflib is not
  when a record has several blank nodes on one predicate (its order follows random blank-node ids).
  The first records of every run are re-parsed with rdflib and compared with the intended graph, so a
  writer bug fails loudly instead of writing bad files. The small organisations file uses write_turtle.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from airegister.rdf.io import write_turtle
from airegister.rdf.languages import by_language, local_name, pick_text
from airegister.rdf.namespaces import (
    ADMS,
    AI,
    AIRO,
    CV,
    DEFAULT_BASE,
    DPV,
    EU_AIACT,
    EU_COUNTRY,
    NUTS,
    STANDARD_PREFIXES,
    TECH,
    VCARD,
    Base,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIRS = ("ontology", "shapes", "data")
GENERATED_ORGS = "organisations-generated.ttl"
BELGIUM = EU_COUNTRY.BEL
VERIFY_FIRST = 20  # records re-parsed with rdflib on every run

# ---------------------------------------------------------------------------------------------------
# Templates: realistic Belgian public-sector AI use cases. Labels are (en, fr, nl, de).


@dataclass(frozen=True)
class Capability:
    """What the AI does: its names, the AI Watch subdomain hint, keywords and application-type hints."""

    names: tuple[str, str, str, str]
    ai_watch: str
    keywords: tuple[str, ...]
    app_types: tuple[str, ...]
    fits: str = ""  # comma-separated tags of the services it makes sense for; empty: any service

    def suits(self, service: Service) -> bool:
        return not self.fits or service.tag in {t.strip() for t in self.fits.split(",")}


@dataclass(frozen=True)
class Service:
    """Where it is used: the public service, its COFOG group hint and process-type hint."""

    names: tuple[str, str, str, str]
    cofog: str
    process: str
    tag: str


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        ("Chatbot", "Agent conversationnel", "Chatbot", "Chatbot"),
        "natural-language-processing",
        ("chatbot", "virtual assistant"),
        ("service-personalisation", "engagement-management"),
        fits=(
            "family allowances, unemployment, employment, pensions, disability, social housing, "
            "taxation, building permits, public transport, vaccination, health insurance, education, "
            "orientation, libraries, tourism, complaints, asylum, fines, sport, waste, recruitment"
        ),
    ),
    Capability(
        (
            "Automatic classification of incoming mail",
            "Classification automatique du courrier entrant",
            "Automatische classificatie van inkomende post",
            "Automatische Klassifizierung eingehender Post",
        ),
        "natural-language-processing",
        ("text classification", "mail routing"),
        ("internal-support-processes", "internal-primary-processes"),
    ),
    Capability(
        (
            "Speech-to-text transcription",
            "Transcription automatique de la parole",
            "Automatische spraak-naar-teksttranscriptie",
            "Automatische Sprache-zu-Text-Transkription",
        ),
        "audio-processing",
        ("speech recognition", "transcription"),
        ("internal-support-processes",),
        fits=(
            "complaints, parliament, justice, subtitling, emergency services, police, pensions, "
            "family allowances, unemployment, health insurance"
        ),
    ),
    Capability(
        (
            "Fraud risk scoring",
            "Évaluation du risque de fraude",
            "Risicoscoring voor fraude",
            "Bewertung des Betrugsrisikos",
        ),
        "machine-learning",
        ("fraud detection", "risk scoring"),
        ("predictive-enforcement-processes", "supporting-inspection-processes"),
        fits=(
            "family allowances, unemployment, taxation, VAT, customs, social security, health "
            "insurance, disability, fines"
        ),
    ),
    Capability(
        ("Demand forecasting", "Prévision de la demande", "Vraagvoorspelling", "Bedarfsprognose"),
        "machine-learning",
        ("forecasting", "time series"),
        ("prediction-and-planning",),
        fits=(
            "hospitals, public transport, waste, social housing, emergency services, employment, "
            "libraries, sport, water, energy, tourism, education"
        ),
    ),
    Capability(
        (
            "Object detection in aerial imagery",
            "Détection d'objets sur images aériennes",
            "Objectdetectie op luchtfoto's",
            "Objekterkennung in Luftbildern",
        ),
        "computer-vision",
        ("object detection", "aerial imagery"),
        ("smart-recognition-processes",),
        fits="building permits, roads, agriculture, biodiversity, floods, taxation, street lighting",
    ),
    Capability(
        (
            "Satellite image analysis",
            "Analyse d'images satellitaires",
            "Analyse van satellietbeelden",
            "Analyse von Satellitenbildern",
        ),
        "deep-learning",
        ("earth observation", "remote sensing"),
        ("monitoring-policy-implementation",),
        fits="agriculture, biodiversity, floods, air quality, water, building permits",
    ),
    Capability(
        (
            "Document summarisation",
            "Résumé automatique de documents",
            "Automatische samenvatting van documenten",
            "Automatische Zusammenfassung von Dokumenten",
        ),
        "generative-ai",
        ("summarisation", "large language model"),
        ("information-analysis-processes",),
    ),
    Capability(
        ("Machine translation", "Traduction automatique", "Automatische vertaling", "Maschinelle Übersetzung"),
        "natural-language-processing",
        ("machine translation", "multilingualism"),
        ("service-integration", "internal-support-processes"),
    ),
    Capability(
        (
            "Named-entity recognition and pseudonymisation",
            "Reconnaissance d'entités nommées et pseudonymisation",
            "Herkenning van benoemde entiteiten en pseudonimisering",
            "Erkennung benannter Entitäten und Pseudonymisierung",
        ),
        "natural-language-processing",
        ("named-entity recognition", "pseudonymisation"),
        ("data-sharing-management",),
    ),
    Capability(
        (
            "Job-matching recommender",
            "Recommandation d'offres d'emploi",
            "Aanbevelingssysteem voor vacatures",
            "Empfehlungssystem für Stellenangebote",
        ),
        "machine-learning",
        ("recommender system", "matching"),
        ("service-personalisation",),
        fits="employment, unemployment, recruitment, orientation, disability",
    ),
    Capability(
        (
            "Anomaly detection in payments",
            "Détection d'anomalies dans les paiements",
            "Anomaliedetectie in betalingen",
            "Anomalieerkennung bei Zahlungen",
        ),
        "machine-learning",
        ("anomaly detection", "payments"),
        ("payments-and-international-transactions", "financial-management-and-support"),
        fits=("family allowances, pensions, health insurance, social security, procurement, VAT, unemployment"),
    ),
    Capability(
        (
            "Route and schedule optimisation",
            "Optimisation des tournées et des horaires",
            "Optimalisatie van routes en planning",
            "Optimierung von Routen und Zeitplänen",
        ),
        "optimisation",
        ("optimisation", "scheduling"),
        ("internal-management-processes",),
        fits="waste, public transport, emergency services, police, defence, roads, food safety",
    ),
    Capability(
        (
            "Traffic flow prediction",
            "Prédiction des flux de trafic",
            "Voorspelling van verkeersstromen",
            "Verkehrsflussprognose",
        ),
        "machine-learning",
        ("traffic", "prediction"),
        ("prediction-and-planning",),
        fits="roads, public transport, road safety, shipping",
    ),
    Capability(
        ("Smart video analytics", "Analyse vidéo intelligente", "Slimme videoanalyse", "Intelligente Videoanalyse"),
        "computer-vision",
        ("object recognition", "video analytics"),
        ("supporting-inspection-processes",),
        fits="road safety, police, fines, public transport, prisons, shipping, customs",
    ),
    Capability(
        (
            "Semantic search in case files",
            "Recherche sémantique dans les dossiers",
            "Semantisch zoeken in dossiers",
            "Semantische Suche in Akten",
        ),
        "searching",
        ("semantic search", "information retrieval"),
        ("information-analysis-processes",),
    ),
    Capability(
        (
            "Sentiment analysis of citizen feedback",
            "Analyse du sentiment des avis citoyens",
            "Sentimentanalyse van burgerfeedback",
            "Stimmungsanalyse von Bürgerrückmeldungen",
        ),
        "natural-language-processing",
        ("sentiment analysis", "citizen participation"),
        ("engagement-management", "innovating-public-policy"),
        fits=(
            "complaints, statistics, legislation, tourism, parliament, public transport, libraries, sport, vaccination"
        ),
    ),
    Capability(
        (
            "Generative drafting assistant",
            "Assistant de rédaction génératif",
            "Generatieve schrijfassistent",
            "Generativer Schreibassistent",
        ),
        "generative-ai",
        ("large language model", "drafting"),
        ("internal-support-processes",),
    ),
    Capability(
        ("Predictive maintenance", "Maintenance prédictive", "Voorspellend onderhoud", "Vorausschauende Wartung"),
        "machine-learning",
        ("predictive maintenance", "sensors"),
        ("tracking-of-goods-and-assets",),
        fits="roads, street lighting, water, public transport, defence, energy",
    ),
    Capability(
        (
            "Automated form and invoice processing",
            "Traitement automatisé des formulaires et factures",
            "Geautomatiseerde verwerking van formulieren en facturen",
            "Automatisierte Verarbeitung von Formularen und Rechnungen",
        ),
        "computer-vision",
        ("OCR", "document processing"),
        ("internal-primary-processes",),
    ),
    Capability(
        (
            "Website accessibility checking",
            "Contrôle de l'accessibilité des sites web",
            "Toegankelijkheidscontrole van websites",
            "Barrierefreiheitsprüfung von Websites",
        ),
        "machine-learning",
        ("accessibility", "anomaly detection"),
        ("certification-and-validation-processes",),
        fits="complaints, libraries, tourism, disability, subtitling",
    ),
    Capability(
        (
            "Risk-based inspection targeting",
            "Ciblage des contrôles fondé sur les risques",
            "Risicogebaseerde selectie van inspecties",
            "Risikobasierte Auswahl von Kontrollen",
        ),
        "machine-learning",
        ("risk-based inspection", "targeting"),
        ("supporting-inspection-processes",),
        fits="child care, food safety, VAT, social security, building permits, agriculture, air quality",
    ),
    Capability(
        (
            "Knowledge graph of regulations",
            "Graphe de connaissances de la réglementation",
            "Kennisgraaf van regelgeving",
            "Wissensgraph der Rechtsvorschriften",
        ),
        "knowledge-representation",
        ("knowledge graph", "legal informatics"),
        ("innovating-public-policy",),
        fits="legislation, parliament, justice, building permits, taxation",
    ),
    Capability(
        (
            "Automated eligibility checking",
            "Vérification automatisée de l'éligibilité",
            "Geautomatiseerde controle van rechten",
            "Automatisierte Anspruchsprüfung",
        ),
        "automated-reasoning",
        ("eligibility", "business rules"),
        ("taking-decisions-on-benefits",),
        fits=(
            "family allowances, unemployment, pensions, disability, social housing, health insurance, education, asylum"
        ),
    ),
    Capability(
        (
            "Energy consumption optimisation",
            "Optimisation de la consommation d'énergie",
            "Optimalisatie van het energieverbruik",
            "Optimierung des Energieverbrauchs",
        ),
        "optimisation",
        ("energy efficiency", "smart building"),
        ("internal-management-processes",),
        fits="energy, street lighting, water, sport",
    ),
    Capability(
        (
            "Noise event recognition",
            "Reconnaissance des nuisances sonores",
            "Herkenning van geluidsoverlast",
            "Erkennung von Lärmereignissen",
        ),
        "audio-processing",
        ("sound event recognition", "noise"),
        ("monitoring-policy-implementation",),
        fits="road safety, police, air quality, tourism",
    ),
    Capability(
        (
            "Cyber threat detection",
            "Détection des cybermenaces",
            "Detectie van cyberdreigingen",
            "Erkennung von Cyberbedrohungen",
        ),
        "machine-learning",
        ("cybersecurity", "intrusion detection"),
        ("improving-cybersecurity",),
        fits="cybersecurity, defence",
    ),
    Capability(
        (
            "Procurement document comparison",
            "Comparaison de documents de marchés publics",
            "Vergelijking van aanbestedingsdocumenten",
            "Vergleich von Vergabeunterlagen",
        ),
        "natural-language-processing",
        ("public procurement", "document comparison"),
        ("procurement-management",),
        fits="procurement",
    ),
    Capability(
        (
            "AI-assisted process automation",
            "Automatisation des processus assistée par IA",
            "AI-ondersteunde procesautomatisering",
            "KI-gestützte Prozessautomatisierung",
        ),
        "robotics-and-automation",
        ("robotic process automation",),
        ("internal-management-processes",),
    ),
    Capability(
        (
            "Crowd monitoring",
            "Surveillance de l'affluence",
            "Monitoring van drukte",
            "Überwachung des Besucheraufkommens",
        ),
        "multiple-ai-techniques",
        ("crowd monitoring", "sensor network"),
        ("monitoring-policy-implementation",),
        fits="tourism, police, public transport, sport, emergency services",
    ),
    Capability(
        (
            "Continuous audit analytics",
            "Analyse d'audit en continu",
            "Continue auditanalyse",
            "Kontinuierliche Prüfungsanalyse",
        ),
        "machine-learning",
        ("continuous auditing", "data mining"),
        ("management-of-auditing-and-logging",),
        fits="procurement, taxation, social security, statistics, health insurance",
    ),
    Capability(
        ("Automated shuttle service", "Navette autonome", "Autonome shuttle", "Autonomer Shuttlebus"),
        "connected-and-automated-vehicles",
        ("autonomous vehicle", "mobility"),
        ("service-integration",),
        fits="public transport, tourism, hospitals",
    ),
    Capability(
        (
            "Multi-agent simulation of policy scenarios",
            "Simulation multi-agents de scénarios politiques",
            "Multi-agentsimulatie van beleidsscenario's",
            "Multiagentensimulation politischer Szenarien",
        ),
        "multi-agent-systems",
        ("simulation", "policy modelling"),
        ("innovating-public-policy",),
        fits="public transport, roads, floods, legislation, energy, statistics",
    ),
)

S = Service
SERVICES: tuple[Service, ...] = (
    S(
        (
            "family allowance applications",
            "les demandes d'allocations familiales",
            "aanvragen voor kinderbijslag",
            "Anträge auf Familienleistungen",
        ),
        "10.4",
        "public-services-and-engagement",
        "family allowances",
    ),
    S(
        (
            "unemployment benefit claims",
            "les demandes d'allocations de chômage",
            "aanvragen voor werkloosheidsuitkeringen",
            "Anträge auf Arbeitslosengeld",
        ),
        "10.5",
        "adjudication",
        "unemployment",
    ),
    S(
        (
            "job seekers' guidance",
            "l'accompagnement des demandeurs d'emploi",
            "de begeleiding van werkzoekenden",
            "die Begleitung von Arbeitsuchenden",
        ),
        "04.1",
        "public-services-and-engagement",
        "employment",
    ),
    S(
        ("pension questions", "les questions relatives aux pensions", "vragen over pensioenen", "Fragen zur Rente"),
        "10.2",
        "public-services-and-engagement",
        "pensions",
    ),
    S(
        (
            "disability allowance files",
            "les dossiers d'allocations aux personnes handicapées",
            "dossiers van tegemoetkomingen aan personen met een handicap",
            "Akten zur Behindertenbeihilfe",
        ),
        "10.1",
        "adjudication",
        "disability",
    ),
    S(
        (
            "social housing allocation",
            "l'attribution des logements sociaux",
            "de toewijzing van sociale woningen",
            "die Vergabe von Sozialwohnungen",
        ),
        "10.6",
        "adjudication",
        "social housing",
    ),
    S(
        (
            "income tax returns",
            "les déclarations d'impôt des personnes physiques",
            "aangiften personenbelasting",
            "Einkommensteuererklärungen",
        ),
        "01.1",
        "enforcement",
        "taxation",
    ),
    S(
        ("VAT inspections", "les contrôles TVA", "btw-controles", "Mehrwertsteuerprüfungen"),
        "01.1",
        "enforcement",
        "VAT",
    ),
    S(
        ("customs declarations", "les déclarations en douane", "douaneaangiften", "Zollanmeldungen"),
        "01.1",
        "enforcement",
        "customs",
    ),
    S(
        (
            "building permit applications",
            "les demandes de permis d'urbanisme",
            "aanvragen voor omgevingsvergunningen",
            "Bauanträge",
        ),
        "06.2",
        "adjudication",
        "building permits",
    ),
    S(
        ("road maintenance", "l'entretien des routes", "het wegenonderhoud", "die Straßeninstandhaltung"),
        "04.5",
        "internal-management",
        "roads",
    ),
    S(
        (
            "public transport planning",
            "la planification des transports publics",
            "de planning van het openbaar vervoer",
            "die Planung des öffentlichen Verkehrs",
        ),
        "04.5",
        "analysis-monitoring-and-regulatory-research",
        "public transport",
    ),
    S(
        (
            "road safety enforcement",
            "le contrôle de la sécurité routière",
            "de handhaving van de verkeersveiligheid",
            "die Überwachung der Verkehrssicherheit",
        ),
        "03.1",
        "enforcement",
        "road safety",
    ),
    S(
        ("waste collection", "la collecte des déchets", "de afvalinzameling", "die Abfallsammlung"),
        "05.1",
        "internal-management",
        "waste",
    ),
    S(
        (
            "air quality monitoring",
            "la surveillance de la qualité de l'air",
            "de monitoring van de luchtkwaliteit",
            "die Überwachung der Luftqualität",
        ),
        "05.3",
        "analysis-monitoring-and-regulatory-research",
        "air quality",
    ),
    S(
        (
            "flood risk management",
            "la gestion des risques d'inondation",
            "het beheer van overstromingsrisico's",
            "das Hochwasserrisikomanagement",
        ),
        "05.6",
        "analysis-monitoring-and-regulatory-research",
        "floods",
    ),
    S(
        (
            "agricultural subsidy monitoring",
            "le suivi des aides agricoles",
            "de opvolging van landbouwsubsidies",
            "die Überwachung von Agrarbeihilfen",
        ),
        "04.2",
        "enforcement",
        "agriculture",
    ),
    S(
        (
            "forest and biodiversity mapping",
            "la cartographie des forêts et de la biodiversité",
            "het in kaart brengen van bossen en biodiversiteit",
            "die Kartierung von Wäldern und Biodiversität",
        ),
        "05.4",
        "analysis-monitoring-and-regulatory-research",
        "biodiversity",
    ),
    S(
        (
            "hospital emergency admissions",
            "les admissions aux urgences hospitalières",
            "spoedopnames in ziekenhuizen",
            "Notaufnahmen in Krankenhäusern",
        ),
        "07.3",
        "internal-management",
        "hospitals",
    ),
    S(
        ("vaccination campaigns", "les campagnes de vaccination", "vaccinatiecampagnes", "Impfkampagnen"),
        "07.4",
        "public-services-and-engagement",
        "vaccination",
    ),
    S(
        (
            "health insurance reimbursements",
            "les remboursements de l'assurance maladie",
            "terugbetalingen van de ziekteverzekering",
            "Erstattungen der Krankenversicherung",
        ),
        "07.2",
        "adjudication",
        "health insurance",
    ),
    S(
        (
            "child-care inspections",
            "l'inspection des milieux d'accueil de l'enfance",
            "de inspectie van de kinderopvang",
            "die Aufsicht über Kinderbetreuungseinrichtungen",
        ),
        "10.4",
        "enforcement",
        "child care",
    ),
    S(
        ("school enrolments", "les inscriptions scolaires", "schoolinschrijvingen", "Schulanmeldungen"),
        "09.1",
        "adjudication",
        "education",
    ),
    S(
        (
            "study and career orientation",
            "l'orientation des élèves et des étudiants",
            "studie- en loopbaanoriëntering",
            "die Studien- und Berufsorientierung",
        ),
        "09.2",
        "public-services-and-engagement",
        "orientation",
    ),
    S(
        ("library services", "les services des bibliothèques", "de bibliotheekdiensten", "die Bibliotheksdienste"),
        "08.2",
        "public-services-and-engagement",
        "libraries",
    ),
    S(
        ("tourism promotion", "la promotion du tourisme", "de toeristische promotie", "die Tourismusförderung"),
        "04.7",
        "public-services-and-engagement",
        "tourism",
    ),
    S(
        (
            "local police interventions",
            "les interventions de la police locale",
            "interventies van de lokale politie",
            "Einsätze der lokalen Polizei",
        ),
        "03.1",
        "enforcement",
        "police",
    ),
    S(
        (
            "emergency call dispatch",
            "la répartition des appels d'urgence",
            "de dispatching van noodoproepen",
            "die Disposition von Notrufen",
        ),
        "03.2",
        "internal-management",
        "emergency services",
    ),
    S(
        ("court case files", "les dossiers judiciaires", "gerechtelijke dossiers", "Gerichtsakten"),
        "03.3",
        "adjudication",
        "justice",
    ),
    S(
        ("prison administration", "l'administration pénitentiaire", "het gevangeniswezen", "die Gefängnisverwaltung"),
        "03.4",
        "internal-management",
        "prisons",
    ),
    S(
        ("public procurement", "les marchés publics", "overheidsopdrachten", "das öffentliche Auftragswesen"),
        "01.3",
        "internal-management",
        "procurement",
    ),
    S(
        ("staff recruitment", "le recrutement du personnel", "de rekrutering van personeel", "die Personalgewinnung"),
        "01.3",
        "internal-management",
        "recruitment",
    ),
    S(
        (
            "archive digitisation",
            "la numérisation des archives",
            "de digitalisering van archieven",
            "die Digitalisierung der Archive",
        ),
        "08.2",
        "internal-management",
        "archives",
    ),
    S(
        ("citizen complaints", "les plaintes des citoyens", "klachten van burgers", "Bürgerbeschwerden"),
        "01.3",
        "public-services-and-engagement",
        "complaints",
    ),
    S(
        (
            "parliamentary questions",
            "les questions parlementaires",
            "parlementaire vragen",
            "parlamentarische Anfragen",
        ),
        "01.1",
        "internal-management",
        "parliament",
    ),
    S(
        (
            "official statistics",
            "la production de statistiques officielles",
            "de productie van officiële statistieken",
            "die Erstellung amtlicher Statistiken",
        ),
        "01.3",
        "analysis-monitoring-and-regulatory-research",
        "statistics",
    ),
    S(
        (
            "energy use in public buildings",
            "la consommation d'énergie des bâtiments publics",
            "het energieverbruik van openbare gebouwen",
            "den Energieverbrauch öffentlicher Gebäude",
        ),
        "04.3",
        "internal-management",
        "energy",
    ),
    S(
        (
            "port and inland shipping traffic",
            "le trafic portuaire et fluvial",
            "het haven- en binnenvaartverkeer",
            "den Hafen- und Binnenschiffsverkehr",
        ),
        "04.5",
        "analysis-monitoring-and-regulatory-research",
        "shipping",
    ),
    S(
        (
            "government network security",
            "la sécurité des réseaux de l'administration",
            "de beveiliging van overheidsnetwerken",
            "die Sicherheit der Verwaltungsnetze",
        ),
        "01.3",
        "internal-management",
        "cybersecurity",
    ),
    S(
        (
            "drafting of legislation",
            "la rédaction de textes législatifs",
            "het opstellen van regelgeving",
            "die Ausarbeitung von Rechtsvorschriften",
        ),
        "01.1",
        "analysis-monitoring-and-regulatory-research",
        "legislation",
    ),
    S(
        ("asylum applications", "les demandes d'asile", "asielaanvragen", "Asylanträge"),
        "10.7",
        "adjudication",
        "asylum",
    ),
    S(
        ("traffic fines", "les amendes de circulation", "verkeersboetes", "Verkehrsbußgelder"),
        "03.1",
        "enforcement",
        "fines",
    ),
    S(
        (
            "social security contributions",
            "les cotisations de sécurité sociale",
            "socialezekerheidsbijdragen",
            "Sozialversicherungsbeiträge",
        ),
        "10.9",
        "enforcement",
        "social security",
    ),
    S(
        (
            "defence logistics",
            "la logistique de la Défense",
            "de logistiek van Defensie",
            "die Logistik der Verteidigung",
        ),
        "02.1",
        "internal-management",
        "defence",
    ),
    S(
        ("street lighting", "l'éclairage public", "de openbare verlichting", "die Straßenbeleuchtung"),
        "06.4",
        "internal-management",
        "street lighting",
    ),
    S(
        (
            "drinking water distribution",
            "la distribution d'eau potable",
            "de drinkwatervoorziening",
            "die Trinkwasserversorgung",
        ),
        "06.3",
        "internal-management",
        "water",
    ),
    S(
        (
            "sports facility bookings",
            "les réservations d'infrastructures sportives",
            "reservaties van sportinfrastructuur",
            "Buchungen von Sportstätten",
        ),
        "08.1",
        "public-services-and-engagement",
        "sport",
    ),
    S(
        (
            "subtitling of public broadcasts",
            "le sous-titrage des émissions publiques",
            "de ondertiteling van openbare uitzendingen",
            "die Untertitelung öffentlicher Sendungen",
        ),
        "08.3",
        "public-services-and-engagement",
        "subtitling",
    ),
    S(
        (
            "food safety inspections",
            "les contrôles de la sécurité alimentaire",
            "voedselveiligheidscontroles",
            "Lebensmittelkontrollen",
        ),
        "07.4",
        "enforcement",
        "food safety",
    ),
)
del S

SERVICE_BY_TAG = {svc.tag: svc for svc in SERVICES}
# capabilities that make sense for each service (generic ones fit every service)
SUITED: dict[str, tuple[Capability, ...]] = {
    svc.tag: tuple(c for c in CAPABILITIES if c.suits(svc)) for svc in SERVICES
}
_UNKNOWN_TAGS = {t.strip() for c in CAPABILITIES for t in c.fits.split(",") if c.fits} - set(SUITED)
assert not _UNKNOWN_TAGS, f"capabilities name services that do not exist: {sorted(_UNKNOWN_TAGS)}"

CODENAMES = (
    "Athena",
    "Iris",
    "Hermès",
    "Lumen",
    "Sirius",
    "Orion",
    "Minerva",
    "Nova",
    "Atlas",
    "Pégase",
    "Argos",
    "Castor",
    "Echo",
    "Janus",
    "Kepler",
    "Léo",
    "Mercator",
    "Pollux",
    "Véga",
    "Zénon",
    "Ariane",
    "Boréal",
    "Cassini",
    "Delta",
    "Galilée",
    "Helios",
    "Ikaros",
    "Lynx",
    "Morse",
    "Turing",
)

PHASE_WEIGHTS = {"production": 45.0, "pilot": 30.0, "development": 20.0, "stopped": 4.0, "idea": 1.0}
GOALS = (
    (
        "The aim is to shorten processing times and free staff for complex cases.",
        "L'objectif est de réduire les délais de traitement et de libérer les agents pour les dossiers complexes.",
        "Het doel is de doorlooptijd te verkorten en medewerkers vrij te maken voor complexe dossiers.",
        "Ziel ist es, die Bearbeitungszeiten zu verkürzen und Mitarbeitende für komplexe Fälle zu entlasten.",
    ),
    (
        "It answers routine questions in four languages, day and night.",
        "Il répond aux questions courantes en quatre langues, jour et nuit.",
        "Het beantwoordt routinevragen in vier talen, dag en nacht.",
        "Es beantwortet Routinefragen in vier Sprachen, Tag und Nacht.",
    ),
    (
        "It helps target scarce inspection capacity where the risk is highest.",
        "Il aide à cibler une capacité d'inspection limitée là où le risque est le plus élevé.",
        "Het helpt de beperkte inspectiecapaciteit in te zetten waar het risico het grootst is.",
        "Es hilft, knappe Prüfkapazitäten dort einzusetzen, wo das Risiko am höchsten ist.",
    ),
    (
        "Forecasts support budgeting and the planning of staff and equipment.",
        "Les prévisions soutiennent la budgétisation et la planification du personnel et du matériel.",
        "De voorspellingen ondersteunen de begroting en de planning van personeel en materieel.",
        "Die Prognosen unterstützen die Haushaltsplanung sowie die Personal- und Materialplanung.",
    ),
    (
        "The results are published as open data where privacy allows.",
        "Les résultats sont publiés en données ouvertes lorsque la vie privée le permet.",
        "De resultaten worden als open data gepubliceerd waar de privacy dat toelaat.",
        "Die Ergebnisse werden als offene Daten veröffentlicht, soweit der Datenschutz es erlaubt.",
    ),
    (
        "It reduces manual data entry and the errors that come with it.",
        "Il réduit la saisie manuelle et les erreurs qui l'accompagnent.",
        "Het vermindert manuele invoer en de fouten die daarmee gepaard gaan.",
        "Es verringert manuelle Dateneingaben und die damit verbundenen Fehler.",
    ),
    (
        "Citizens get faster, more consistent answers.",
        "Les citoyens obtiennent des réponses plus rapides et plus cohérentes.",
        "Burgers krijgen snellere en consistentere antwoorden.",
        "Bürgerinnen und Bürger erhalten schnellere und einheitlichere Antworten.",
    ),
    (
        "Early warnings let the service act before problems escalate.",
        "Des alertes précoces permettent au service d'agir avant que les problèmes ne s'aggravent.",
        "Vroege signalen laten de dienst ingrijpen voordat problemen escaleren.",
        "Frühwarnungen ermöglichen es der Dienststelle, zu handeln, bevor Probleme eskalieren.",
    ),
)
OVERSIGHT = (
    "A civil servant always reviews the output before any decision is taken.",
    "Un agent vérifie toujours le résultat avant toute décision.",
    "Een ambtenaar controleert het resultaat altijd voordat een beslissing wordt genomen.",
    "Eine Sachbearbeiterin oder ein Sachbearbeiter prüft das Ergebnis stets, bevor entschieden wird.",
)
TRAINING = (
    "The model was trained on {k} pseudonymised records from {y0}–{y1}.",
    "Le modèle a été entraîné sur {k} dossiers pseudonymisés de {y0} à {y1}.",
    "Het model werd getraind op {k} gepseudonimiseerde dossiers uit {y0}–{y1}.",
    "Das Modell wurde mit {k} pseudonymisierten Datensätzen aus den Jahren {y0}–{y1} trainiert.",
)
EVIDENCE = {  # principle-neutral evidence, by assessment status (id/assessment-status), so text and status agree
    "addressed": (
        "The measures are in place and described on the project page.",
        "Checked by the internal audit; no finding remained open.",
        "Documented in the impact assessment and reviewed by the AI committee.",
    ),
    "partly-addressed": (
        "Measures cover the main use case; gaps remain for exceptional cases.",
        "The documentation exists but is not yet published.",
        "An action plan closes the remaining gaps within a year.",
    ),
    "not-yet-addressed": (
        "Not addressed yet; the project team has planned a review.",
        "The assessment is still in progress; no evidence has been published yet.",
    ),
    "not-applicable": ("The system takes no part in what this principle is about.",),
}
STATUS_WEIGHTS = {"addressed": 50.0, "partly-addressed": 30.0, "not-yet-addressed": 15.0, "not-applicable": 5.0}
RISK_WEIGHTS = {  # profile 2's five levels (V3); "not high" is no longer one
    "RiskLevelMinimal": 52.0,
    "RiskLevelTransparencyRequired": 20.0,
    "RiskLevelHigh": 8.0,
    "not-assessed": 20.0,
}

# Organisations: bodies by level of government, each (fr, nl, en, de or "", home language, region).
CITIES = (  # (fr, nl, en, region); en "" means the fr name where Walloon, the nl name where Flemish
    ("Bruxelles", "Brussel", "Brussels", "BE1"),
    ("Anderlecht", "Anderlecht", "", "BE1"),
    ("Ixelles", "Elsene", "", "BE1"),
    ("Schaerbeek", "Schaarbeek", "", "BE1"),
    ("Uccle", "Ukkel", "", "BE1"),
    ("Molenbeek-Saint-Jean", "Sint-Jans-Molenbeek", "", "BE1"),
    ("Etterbeek", "Etterbeek", "", "BE1"),
    ("Forest", "Vorst", "", "BE1"),
    ("Jette", "Jette", "", "BE1"),
    ("Evere", "Evere", "", "BE1"),
    ("Woluwe-Saint-Lambert", "Sint-Lambrechts-Woluwe", "", "BE1"),
    ("Anvers", "Antwerpen", "Antwerp", "BE2"),
    ("Gand", "Gent", "Ghent", "BE2"),
    ("Bruges", "Brugge", "Bruges", "BE2"),
    ("Louvain", "Leuven", "Leuven", "BE2"),
    ("Malines", "Mechelen", "Mechelen", "BE2"),
    ("Courtrai", "Kortrijk", "Kortrijk", "BE2"),
    ("Ostende", "Oostende", "Ostend", "BE2"),
    ("Hasselt", "Hasselt", "", "BE2"),
    ("Genk", "Genk", "", "BE2"),
    ("Alost", "Aalst", "", "BE2"),
    ("Saint-Nicolas", "Sint-Niklaas", "", "BE2"),
    ("Turnhout", "Turnhout", "", "BE2"),
    ("Roulers", "Roeselare", "", "BE2"),
    ("Ypres", "Ieper", "Ypres", "BE2"),
    ("Tongres", "Tongeren", "", "BE2"),
    ("Lierre", "Lier", "", "BE2"),
    ("Termonde", "Dendermonde", "", "BE2"),
    ("Grammont", "Geraardsbergen", "", "BE2"),
    ("Audenarde", "Oudenaarde", "", "BE2"),
    ("Knokke-Heist", "Knokke-Heist", "", "BE2"),
    ("Beveren", "Beveren", "", "BE2"),
    ("Geel", "Geel", "", "BE2"),
    ("Mol", "Mol", "", "BE2"),
    ("Lokeren", "Lokeren", "", "BE2"),
    ("Vilvorde", "Vilvoorde", "", "BE2"),
    ("Hal", "Halle", "", "BE2"),
    ("Zaventem", "Zaventem", "", "BE2"),
    ("Menin", "Menen", "", "BE2"),
    ("Lommel", "Lommel", "", "BE2"),
    ("Saint-Trond", "Sint-Truiden", "", "BE2"),
    ("Maasmechelen", "Maasmechelen", "", "BE2"),
    ("Bilzen", "Bilzen", "", "BE2"),
    ("Liège", "Luik", "Liège", "BE3"),
    ("Namur", "Namen", "Namur", "BE3"),
    ("Charleroi", "Charleroi", "", "BE3"),
    ("Mons", "Bergen", "Mons", "BE3"),
    ("Tournai", "Doornik", "Tournai", "BE3"),
    ("Arlon", "Aarlen", "", "BE3"),
    ("Wavre", "Waver", "", "BE3"),
    ("Nivelles", "Nijvel", "", "BE3"),
    ("Verviers", "Verviers", "", "BE3"),
    ("Seraing", "Seraing", "", "BE3"),
    ("Mouscron", "Moeskroen", "", "BE3"),
    ("La Louvière", "La Louvière", "", "BE3"),
    ("Huy", "Hoei", "", "BE3"),
    ("Dinant", "Dinant", "", "BE3"),
    ("Bastogne", "Bastenaken", "", "BE3"),
    ("Ottignies-Louvain-la-Neuve", "Ottignies-Louvain-la-Neuve", "", "BE3"),
    ("Waterloo", "Waterloo", "", "BE3"),
    ("Spa", "Spa", "", "BE3"),
    ("Marche-en-Famenne", "Marche-en-Famenne", "", "BE3"),
    ("Gembloux", "Gembloers", "", "BE3"),
    ("Binche", "Binche", "", "BE3"),
    ("Ath", "Aat", "", "BE3"),
    ("Soignies", "Zinnik", "", "BE3"),
    ("Braine-l'Alleud", "Eigenbrakel", "", "BE3"),
    ("Châtelet", "Châtelet", "", "BE3"),
    ("Herstal", "Herstal", "", "BE3"),
    ("Visé", "Wezet", "", "BE3"),
    ("Waremme", "Borgworm", "", "BE3"),
    ("Malmedy", "Malmedy", "", "BE3"),
    ("Virton", "Virton", "", "BE3"),
    ("Ciney", "Ciney", "", "BE3"),
    ("Chimay", "Chimay", "", "BE3"),
    ("Eupen", "Eupen", "", "BE3"),
    ("Saint-Vith", "Sankt Vith", "Sankt Vith", "BE3"),
)
LOCAL_BODIES = (  # templates on a city: (fr, nl, en)
    ("Ville de {fr}", "Stad {nl}", "City of {en}"),
    ("CPAS de {fr}", "OCMW {nl}", "Public Social Welfare Centre of {en}"),
    ("Zone de police {fr}", "Politiezone {nl}", "{en} Police Zone"),
    ("Administration communale de {fr}", "Gemeentebestuur {nl}", "Municipal administration of {en}"),
)
PROVINCES = (
    ("Anvers", "Antwerpen", "Antwerp", "BE2"),
    ("Limbourg", "Limburg", "Limburg", "BE2"),
    ("Flandre orientale", "Oost-Vlaanderen", "East Flanders", "BE2"),
    ("Flandre occidentale", "West-Vlaanderen", "West Flanders", "BE2"),
    ("Brabant flamand", "Vlaams-Brabant", "Flemish Brabant", "BE2"),
    ("Brabant wallon", "Waals-Brabant", "Walloon Brabant", "BE3"),
    ("Hainaut", "Henegouwen", "Hainaut", "BE3"),
    ("Liège", "Luik", "Liège", "BE3"),
    ("Luxembourg", "Luxemburg", "Luxembourg", "BE3"),
    ("Namur", "Namen", "Namur", "BE3"),
)
PROVINCE_BODIES = (
    ("Province de {fr}", "Provincie {nl}", "Province of {en}"),
    (
        "Service technique provincial de {fr}",
        "Provinciale technische dienst {nl}",
        "Provincial technical service of {en}",
    ),
)
REGION_BODIES = (  # (fr, nl, en, region)
    (
        "Département de la Mobilité et des Travaux publics",
        "Departement Mobiliteit en Openbare Werken",
        "Department of Mobility and Public Works",
        "BE2",
    ),
    ("Agence des Routes et de la Circulation", "Agentschap Wegen en Verkeer", "Roads and Traffic Agency", "BE2"),
    (
        "Office flamand de l'emploi et de la formation professionnelle",
        "Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding",
        "Flemish Public Employment Service",
        "BE2",
    ),
    ("Information Flandre", "Digitaal Vlaanderen", "Digital Flanders", "BE2"),
    ("Statistique Flandre", "Statistiek Vlaanderen", "Statistics Flanders", "BE2"),
    (
        "Département de l'Agriculture et de la Pêche",
        "Departement Landbouw en Visserij",
        "Department of Agriculture and Fisheries",
        "BE2",
    ),
    ("Agence flamande de l'environnement", "Vlaamse Milieumaatschappij", "Flanders Environment Agency", "BE2"),
    (
        "Agence flamande pour les personnes handicapées",
        "Vlaams Agentschap voor Personen met een Handicap",
        "Flemish Agency for Persons with Disabilities",
        "BE2",
    ),
    (
        "Service public de Wallonie Agriculture, Ressources naturelles et Environnement",
        "Waalse Overheidsdienst Landbouw, Natuurlijke Hulpbronnen en Leefmilieu",
        "Public Service of Wallonia Agriculture, Natural Resources and Environment",
        "BE3",
    ),
    (
        "Service public de Wallonie Mobilité et Infrastructures",
        "Waalse Overheidsdienst Mobiliteit en Infrastructuur",
        "Public Service of Wallonia Mobility and Infrastructure",
        "BE3",
    ),
    (
        "Service public de Wallonie Fiscalité",
        "Waalse Overheidsdienst Fiscaliteit",
        "Public Service of Wallonia Taxation",
        "BE3",
    ),
    ("Agence du Numérique", "Agentschap voor Digitale Zaken", "Digital Wallonia Agency", "BE3"),
    ("Forem", "Forem", "Walloon Public Employment Service", "BE3"),
    ("Agence pour une Vie de Qualité", "Agentschap voor een Kwaliteitsvol Leven", "Agency for Quality of Life", "BE3"),
    (
        "Institut wallon de l'évaluation, de la prospective et de la statistique",
        "Waals Instituut voor Evaluatie, Prospectie en Statistiek",
        "Walloon Institute for Evaluation, Foresight and Statistics",
        "BE3",
    ),
    ("Bruxelles Mobilité", "Brussel Mobiliteit", "Brussels Mobility", "BE1"),
    ("Bruxelles Environnement", "Leefmilieu Brussel", "Brussels Environment", "BE1"),
    ("Actiris", "Actiris", "Brussels Employment Office", "BE1"),
    ("Paradigm", "Paradigm", "Brussels Regional Informatics Centre", "BE1"),
    ("Bruxelles Fiscalité", "Brussel Fiscaliteit", "Brussels Taxation", "BE1"),
    ("Bruxelles Propreté", "Net Brussel", "Brussels Cleanliness Agency", "BE1"),
    ("Port de Bruxelles", "Haven van Brussel", "Port of Brussels", "BE1"),
    ("perspective.brussels", "perspective.brussels", "Brussels Planning Agency", "BE1"),
)
COMMUNITY_BODIES = (  # (fr, nl, en, de, region)
    (
        "Ministère de la Fédération Wallonie-Bruxelles",
        "Ministerie van de Federatie Wallonië-Brussel",
        "Ministry of the Wallonia-Brussels Federation",
        "",
        "BE3",
    ),
    (
        "Office de la Naissance et de l'Enfance",
        "Office de la Naissance et de l'Enfance",
        "Birth and Childhood Office",
        "",
        "BE3",
    ),
    ("Agence Opgroeien", "Agentschap Opgroeien", "Growing Up Agency", "", "BE2"),
    (
        "Département de l'Enseignement et de la Formation",
        "Departement Onderwijs en Vorming",
        "Department of Education and Training",
        "",
        "BE2",
    ),
    (
        "Département de la Culture, de la Jeunesse et des Médias",
        "Departement Cultuur, Jeugd en Media",
        "Department of Culture, Youth and Media",
        "",
        "BE2",
    ),
    (
        "Ministère de la Communauté germanophone",
        "Ministerie van de Duitstalige Gemeenschap",
        "Ministry of the German-speaking Community",
        "Ministerium der Deutschsprachigen Gemeinschaft",
        "BE3",
    ),
    (
        "Office de la Communauté germanophone pour une vie autodéterminée",
        "Dienst van de Duitstalige Gemeenschap voor zelfbeschikkend leven",
        "German-speaking Community Office for Self-Determined Living",
        "Dienststelle für Selbstbestimmtes Leben",
        "BE3",
    ),
    ("Wallonie-Bruxelles Enseignement", "Wallonie-Bruxelles Enseignement", "Wallonia-Brussels Education", "", "BE3"),
)
FEDERAL_BODIES = (  # (fr, nl, en)
    ("SPF Finances", "FOD Financiën", "FPS Finance"),
    (
        "SPF Emploi, Travail et Concertation sociale",
        "FOD Werkgelegenheid, Arbeid en Sociaal Overleg",
        "FPS Employment, Labour and Social Dialogue",
    ),
    ("SPF Stratégie et Appui", "FOD Beleid en Ondersteuning", "FPS Policy and Support"),
    ("SPF Justice", "FOD Justitie", "FPS Justice"),
    ("SPF Intérieur", "FOD Binnenlandse Zaken", "FPS Home Affairs"),
    ("SPF Mobilité et Transports", "FOD Mobiliteit en Vervoer", "FPS Mobility and Transport"),
    (
        "SPF Santé publique, Sécurité de la Chaîne alimentaire et Environnement",
        "FOD Volksgezondheid, Veiligheid van de Voedselketen en Leefmilieu",
        "FPS Health, Food Chain Safety and Environment",
    ),
    (
        "SPF Économie, P.M.E., Classes moyennes et Énergie",
        "FOD Economie, K.M.O., Middenstand en Energie",
        "FPS Economy, SMEs, Self-employed and Energy",
    ),
    ("SPF Sécurité sociale", "FOD Sociale Zekerheid", "FPS Social Security"),
    ("SPF Affaires étrangères", "FOD Buitenlandse Zaken", "FPS Foreign Affairs"),
    ("Office national de sécurité sociale", "Rijksdienst voor Sociale Zekerheid", "National Social Security Office"),
    ("Office national de l'emploi", "Rijksdienst voor Arbeidsvoorziening", "National Employment Office"),
    (
        "Institut national d'assurance maladie-invalidité",
        "Rijksinstituut voor ziekte- en invaliditeitsverzekering",
        "National Institute for Health and Disability Insurance",
    ),
    ("Service fédéral des Pensions", "Federale Pensioendienst", "Federal Pensions Service"),
    ("Police fédérale", "Federale Politie", "Federal Police"),
    ("Défense", "Defensie", "Defence"),
    ("Office des Étrangers", "Dienst Vreemdelingenzaken", "Immigration Office"),
    (
        "Agence fédérale pour la sécurité de la chaîne alimentaire",
        "Federaal Agentschap voor de Veiligheid van de Voedselketen",
        "Federal Agency for the Safety of the Food Chain",
    ),
    (
        "Agence fédérale des médicaments et des produits de santé",
        "Federaal Agentschap voor Geneesmiddelen en Gezondheidsproducten",
        "Federal Agency for Medicines and Health Products",
    ),
    ("Statbel", "Statbel", "Statistics Belgium"),
    ("Régie des Bâtiments", "Regie der Gebouwen", "Buildings Agency"),
    ("Institut royal météorologique", "Koninklijk Meteorologisch Instituut", "Royal Meteorological Institute"),
    ("Centre pour la Cybersécurité Belgique", "Centrum voor Cybersecurity België", "Centre for Cybersecurity Belgium"),
    ("Sciensano", "Sciensano", "Sciensano"),
    ("Fedasil", "Fedasil", "Fedasil"),
    ("Institut géographique national", "Nationaal Geografisch Instituut", "National Geographic Institute"),
    ("Chambre des représentants", "Kamer van volksvertegenwoordigers", "Chamber of Representatives"),
)
UNITS = (  # departments appended once the bare bodies run out: (fr, nl, en, de)
    ("Service informatique", "Dienst ICT", "IT department", "IT-Abteilung"),
    ("Cellule données et IA", "Cel data en AI", "Data and AI unit", "Referat Daten und KI"),
    ("Direction des opérations", "Directie Operaties", "Operations directorate", "Direktion Betrieb"),
    ("Service d'études", "Studiedienst", "Research department", "Studiendienst"),
    ("Service du personnel", "Personeelsdienst", "HR department", "Personalabteilung"),
    ("Service juridique", "Juridische dienst", "Legal department", "Rechtsabteilung"),
    ("Centre de contact", "Contactcenter", "Contact centre", "Kontaktzentrum"),
    ("Service de l'innovation", "Innovatiedienst", "Innovation office", "Innovationsbüro"),
    ("Service d'inspection", "Inspectiedienst", "Inspection service", "Aufsichtsdienst"),
    ("Service financier", "Financiële dienst", "Finance department", "Finanzabteilung"),
)
# What each body does, as service tags (see SERVICES); keyed by the body's English name or template.
GENERIC_SERVICES = "procurement, recruitment, archives, complaints, cybersecurity"
BODY_SERVICES = {
    "City of {en}": "waste, street lighting, building permits, tourism, libraries, sport, roads, social housing, "
    "energy, education, air quality",
    "Public Social Welfare Centre of {en}": "social housing, asylum, employment, disability",
    "{en} Police Zone": "police, road safety, fines, emergency services",
    "Municipal administration of {en}": "waste, street lighting, building permits, tourism, libraries, sport, roads, "
    "energy, water",
    "Province of {en}": "roads, education, tourism, floods, libraries, agriculture, biodiversity",
    "Provincial technical service of {en}": "roads, floods, water, energy",
    "Department of Mobility and Public Works": "roads, shipping, floods, public transport",
    "Roads and Traffic Agency": "roads, road safety, street lighting",
    "Flemish Public Employment Service": "employment, unemployment, orientation",
    "Digital Flanders": "building permits, statistics, legislation",
    "Statistics Flanders": "statistics",
    "Department of Agriculture and Fisheries": "agriculture, biodiversity, food safety",
    "Flanders Environment Agency": "air quality, water, floods",
    "Flemish Agency for Persons with Disabilities": "disability",
    "Public Service of Wallonia Agriculture, Natural Resources and Environment": "agriculture, biodiversity, floods, "
    "air quality",
    "Public Service of Wallonia Mobility and Infrastructure": "roads, public transport, shipping",
    "Public Service of Wallonia Taxation": "taxation, fines",
    "Digital Wallonia Agency": "statistics",
    "Walloon Public Employment Service": "employment, unemployment, orientation",
    "Agency for Quality of Life": "disability, family allowances, health insurance, hospitals",
    "Walloon Institute for Evaluation, Foresight and Statistics": "statistics",
    "Brussels Mobility": "roads, public transport, road safety",
    "Brussels Environment": "air quality, waste, biodiversity, energy",
    "Brussels Employment Office": "employment, unemployment",
    "Brussels Regional Informatics Centre": "statistics",
    "Brussels Taxation": "taxation",
    "Brussels Cleanliness Agency": "waste",
    "Port of Brussels": "shipping",
    "Brussels Planning Agency": "statistics, building permits",
    "Ministry of the Wallonia-Brussels Federation": "education, orientation, libraries, subtitling",
    "Birth and Childhood Office": "child care, vaccination, family allowances",
    "Growing Up Agency": "child care, family allowances, vaccination",
    "Department of Education and Training": "education, orientation",
    "Department of Culture, Youth and Media": "libraries, subtitling, sport, tourism",
    "Ministry of the German-speaking Community": "education, family allowances, tourism, libraries",
    "German-speaking Community Office for Self-Determined Living": "disability",
    "Wallonia-Brussels Education": "education",
    "FPS Finance": "taxation, VAT, customs",
    "FPS Employment, Labour and Social Dialogue": "employment, social security",
    "FPS Policy and Support": "recruitment, procurement",
    "FPS Justice": "justice, prisons, legislation",
    "FPS Home Affairs": "emergency services, police, asylum",
    "FPS Mobility and Transport": "road safety, public transport, shipping, fines",
    "FPS Health, Food Chain Safety and Environment": "hospitals, vaccination, food safety",
    "FPS Economy, SMEs, Self-employed and Energy": "statistics, energy",
    "FPS Social Security": "disability, social security, pensions",
    "FPS Foreign Affairs": "asylum",
    "National Social Security Office": "social security",
    "National Employment Office": "unemployment",
    "National Institute for Health and Disability Insurance": "health insurance, hospitals",
    "Federal Pensions Service": "pensions",
    "Federal Police": "police, road safety, fines",
    "Defence": "defence",
    "Immigration Office": "asylum",
    "Federal Agency for the Safety of the Food Chain": "food safety",
    "Federal Agency for Medicines and Health Products": "hospitals, vaccination",
    "Statistics Belgium": "statistics",
    "Buildings Agency": "energy",
    "Royal Meteorological Institute": "floods, air quality",
    "Centre for Cybersecurity Belgium": "cybersecurity",
    "Sciensano": "vaccination, hospitals, statistics",
    "Fedasil": "asylum",
    "National Geographic Institute": "biodiversity, roads",
    "Chamber of Representatives": "parliament, legislation, subtitling",
}

LEVEL_WEIGHTS = {"local": 42.0, "region": 25.0, "federal": 16.0, "community": 9.0, "province": 8.0}
_UNKNOWN_BODY_TAGS = {t.strip() for text in [GENERIC_SERVICES, *BODY_SERVICES.values()] for t in text.split(",")} - set(
    SERVICE_BY_TAG
)
assert not _UNKNOWN_BODY_TAGS, f"bodies name services that do not exist: {sorted(_UNKNOWN_BODY_TAGS)}"


# ---------------------------------------------------------------------------------------------------
# The vocabulary, read from the content root.


class GenerateError(Exception):
    """A problem the user can fix (a missing scheme, a bad output folder); printed without a traceback."""


@dataclass
class Vocabulary:
    """The concept IRIs a generated record may use, read from the copied schemes."""

    base: Base
    phases: dict[str, URIRef]
    levels: dict[str, URIRef]
    cofog_groups: dict[str, URIRef]  # notation/ref -> group
    cofog_division: dict[URIRef, URIRef]  # group -> its division
    process_types: dict[str, URIRef]
    app_types: dict[str, URIRef]
    ai_watch: dict[str, URIRef]  # subdomains (concepts with a broader domain)
    ai_watch_domain: dict[URIRef, URIRef]  # subdomain -> its domain
    ai_watch_dpv: dict[URIRef, list[tuple[URIRef, URIRef]]]  # concept -> [(ai:hasTechnique|Capability, term)]
    extents: dict[str, URIRef]
    interactions: dict[str, URIRef]
    benefits: dict[URIRef, URIRef]  # flag -> its group
    risk_levels: dict[str, URIRef]
    principles: list[tuple[URIRef, str]]  # (principle, English or other label)
    statuses: dict[str, URIRef]  # assessment-status ref -> concept


def _load_graph(root: Path) -> Graph:
    graph = Graph()
    files = sorted((root / "ontology" / "schemes").glob("*.ttl"))
    files += [p for p in [root / "data" / "charter.ttl"] if p.exists()]
    files += sorted((root / "data" / "vocabularies").glob("*.ttl"))
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several types; the file name is what the user needs
            raise GenerateError(f"cannot parse {path}: {exc}") from exc
    return graph


def _ref(scheme: URIRef, concept: URIRef) -> str:
    return str(concept)[len(str(scheme)) + 1 :] if str(concept).startswith(str(scheme) + "/") else str(concept)


def load_vocabulary(root: Path, base: Base | None = None) -> Vocabulary:
    """Read every scheme the generator draws from; fail naming the scheme and file that is missing."""
    base = base or Base(DEFAULT_BASE)
    graph = _load_graph(root)

    def scheme(name: str, where: str = "") -> dict[str, URIRef]:
        iri = base.thing(name)
        members = set(graph.subjects(SKOS.inScheme, iri)) | set(graph.subjects(SKOS.topConceptOf, iri))
        concepts = {_ref(iri, c): c for c in members if isinstance(c, URIRef)}
        if not concepts:
            raise GenerateError(
                f"scheme <{iri}> has no concepts in {root} "
                f"(expected in {where or f'ontology/schemes/{name}.ttl'}); is the content root complete?"
            )
        return dict(sorted(concepts.items()))

    def broader(concept: URIRef) -> URIRef | None:
        value = graph.value(concept, SKOS.broader)
        return value if isinstance(value, URIRef) else None

    cofog = scheme("cofog")
    groups = {ref: c for ref, c in cofog.items() if broader(c) in cofog.values()}
    if not groups:
        raise GenerateError(f"scheme <{base.thing('cofog')}> has no groups (concepts with skos:broader a division)")
    ai_watch_all = scheme("ai-watch")
    subdomains = {ref: c for ref, c in ai_watch_all.items() if broader(c) is not None} or ai_watch_all

    techniques = _dpv_members(graph, AI.Technique)
    capabilities = _dpv_members(graph, AI.Capability)
    dpv_of: dict[URIRef, list[tuple[URIRef, URIRef]]] = {}
    for concept in ai_watch_all.values():
        matches = sorted(
            m for p in (SKOS.exactMatch, SKOS.closeMatch) for m in graph.objects(concept, p) if isinstance(m, URIRef)
        )
        dpv_of[concept] = [
            (AI.hasTechnique if m in techniques else AI.hasCapability, m)
            for m in matches
            if m in techniques or m in capabilities
        ]

    benefit = scheme("benefit")
    flags = {c: g for c in benefit.values() if (g := broader(c)) is not None}
    if not flags:
        raise GenerateError(f"scheme <{base.thing('benefit')}> has no flags (concepts with skos:broader a group)")

    risk = scheme("risk-level")
    eu_levels = {
        str(c)[len(str(EU_AIACT)) :]: c
        for c in _dpv_members(graph, EU_AIACT.RiskLevel)
        if str(c).startswith(str(EU_AIACT))
    }
    risk_levels = {**{k: v for k, v in sorted(eu_levels.items()) if k in RISK_WEIGHTS}, **risk}

    charter = scheme("charter", "data/charter.ttl")
    principles = [(c, _label(graph, c)) for c in charter.values()]

    statuses = {ref: c for ref, c in scheme("assessment-status").items() if ref in STATUS_WEIGHTS}

    vocab = Vocabulary(
        base=base,
        phases=scheme("phase"),
        levels=scheme("level"),
        cofog_groups=groups,
        cofog_division={g: d for g in groups.values() if (d := broader(g)) is not None},
        process_types=scheme("process-type"),
        app_types=scheme("application-type"),
        ai_watch=subdomains,
        ai_watch_domain={c: d for c in subdomains.values() if (d := broader(c)) is not None},
        ai_watch_dpv=dpv_of,
        extents=scheme("extent"),
        interactions=scheme("interaction"),
        benefits=flags,
        risk_levels=risk_levels,
        principles=principles,
        statuses=statuses,
    )
    if not any(p in vocab.phases for p in PHASE_WEIGHTS):
        raise GenerateError(f"scheme <{base.thing('phase')}> has none of the phases {sorted(PHASE_WEIGHTS)}")
    return vocab


def _dpv_members(graph: Graph, top: URIRef) -> set[URIRef]:
    """Instances of `top` or of its subclasses: what the shapes' `sh:class` accepts, and nothing else."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, top))
    return {s for c in classes for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}


def _label(graph: Graph, concept: URIRef) -> str:
    return pick_text(by_language(graph.objects(concept, SKOS.prefLabel)), "en", local_name(str(concept)))


# ---------------------------------------------------------------------------------------------------
# A record, as data: what the Turtle writer prints and what the check compares against.


@dataclass
class Node:
    """A blank node written inline (`[ ... ]`): a period, a contact point, an assessment."""

    props: list[tuple[URIRef, list[URIRef | Literal | Node]]]


@dataclass
class Record:
    """One subject and its predicate-object lists, in the order they are written, and the named resources
    written in its document after it (a project's charter assessments, `{project}#assessment-...`)."""

    subject: URIRef
    props: list[tuple[URIRef, list[URIRef | Literal | Node]]]
    others: list[Record] = field(default_factory=list)


def record_graph(record: Record) -> Graph:
    """The rdflib graph a record stands for, to compare with what the writer produced."""
    graph = Graph()

    def add(subject: URIRef | BNode, props: list[tuple[URIRef, list[URIRef | Literal | Node]]]) -> None:
        for pred, objs in props:
            for obj in objs:
                if isinstance(obj, Node):
                    node = BNode()
                    graph.add((subject, pred, node))
                    add(node, obj.props)
                else:
                    graph.add((subject, pred, obj))

    for one in (record, *record.others):
        add(one.subject, one.props)
    return graph


# ---------------------------------------------------------------------------------------------------
# A small Turtle writer: fixed layout, prefixed names only for our fixed vocabulary.

_PREFIXES = {str(ns): name for name, ns in STANDARD_PREFIXES.items()}
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_LANG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text)


class TurtleWriter:
    """Writes records as Turtle; `prefixes` maps namespace IRIs to prefix names it may use."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self._cache: dict[str, str] = {}
        self._used: set[str] = set()

    def iri(self, term: URIRef) -> str:
        text = self._cache.get(term)
        if text is None:
            text = self._format_iri(str(term))
            if len(self._cache) > 20000:  # subjects and pages are unique; keep the cache for shared terms
                self._cache.clear()
            self._cache[term] = text
        if ":" in text and not text.startswith("<"):
            self._used.add(text.split(":", 1)[0])
        return text

    def _format_iri(self, value: str) -> str:
        if _BAD_IRI.search(value):
            raise ValueError(f"not a valid IRI for Turtle: {value!r}")
        for namespace, prefix in self.prefixes.items():
            if value.startswith(namespace) and _LOCAL.match(value[len(namespace) :]):
                return f"{prefix}:{value[len(namespace) :]}"
        return f"<{value}>"

    def term(self, obj: URIRef | Literal | Node, indent: int) -> str:
        if isinstance(obj, Node):
            inner = " ;\n".join(" " * (indent + 4) + self.pred_objs(p, o, indent + 4) for p, o in obj.props)
            return "[ " + inner.lstrip() + " ]"
        if isinstance(obj, URIRef):
            return self.iri(obj)
        if obj.datatype == XSD.boolean:
            return "true" if obj.value else "false"
        text = f'"{_escape(str(obj))}"'
        if obj.language:
            if not _LANG.match(obj.language):
                raise ValueError(f"bad language tag {obj.language!r}")
            return f"{text}@{obj.language}"
        if obj.datatype is not None and obj.datatype != XSD.string:
            return f"{text}^^{self.iri(obj.datatype)}"
        return text

    def pred_objs(self, pred: URIRef, objs: Sequence[URIRef | Literal | Node], indent: int) -> str:
        name = "a" if pred == RDF.type else self.iri(pred)
        sep = ",\n" + " " * (indent + 4)
        return f"{name} " + sep.join(self.term(o, indent) for o in objs)

    def record(self, record: Record) -> bytes:
        """One record as a complete Turtle document, declaring only the prefixes it uses."""
        self._used = set()
        body = " .\n\n".join(
            " ;\n".join(
                (self.iri(one.subject) + " " if i == 0 else "    ") + self.pred_objs(p, o, 4)
                for i, (p, o) in enumerate(one.props)
            )
            for one in (record, *record.others)
        )
        header = "".join(
            f"@prefix {prefix}: <{ns}> .\n"
            for ns, prefix in sorted(self.prefixes.items(), key=lambda kv: kv[1])
            if prefix in self._used
        )
        return f"{header}\n{body} .\n\n".encode()


# ---------------------------------------------------------------------------------------------------
# Organisations and projects.


@dataclass(frozen=True)
class Organisation:
    """A generated deployer: its IRI, labels, level, region, mail domain and the services it runs."""

    iri: URIRef
    labels: dict[str, str]
    level: str
    region: str
    domain: str
    services: tuple[str, ...]


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


Body = tuple[dict[str, str], str, tuple[str, ...]]  # labels by language, NUTS region, service tags


def _tags(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(",") if t.strip())


def _elide(template: str, name: str) -> str:
    """French elision: "Ville de Anvers" is written "Ville d'Anvers"."""
    if template.endswith(" de {fr}") and name[:1].upper() in "AEIOUYÉÈÂÎ":
        return template[: -len(" de {fr}")] + f" d'{name}"
    return template.format(fr=name)


def _bodies() -> dict[str, list[Body]]:
    """Every body per level of government, in a fixed order."""
    out: dict[str, list[Body]] = {level: [] for level in LEVEL_WEIGHTS}

    def on_place(
        level: str, places: Iterable[tuple[str, str, str, str]], templates: Iterable[tuple[str, str, str]]
    ) -> None:
        for fr, nl, en, region in places:
            en = en or (nl if region == "BE2" else fr)
            for tfr, tnl, ten in templates:
                labels = {"fr": _elide(tfr, fr), "nl": tnl.format(nl=nl), "en": ten.format(en=en)}
                out[level].append((labels, region, _tags(BODY_SERVICES[ten])))

    on_place("local", CITIES, LOCAL_BODIES)
    on_place("province", PROVINCES, PROVINCE_BODIES)
    for fr, nl, en, region in REGION_BODIES:
        out["region"].append(({"fr": fr, "nl": nl, "en": en}, region, _tags(BODY_SERVICES[en])))
    for fr, nl, en, de, region in COMMUNITY_BODIES:
        labels = {"fr": fr, "nl": nl, "en": en} | ({"de": de} if de else {})
        out["community"].append((labels, region, _tags(BODY_SERVICES[en])))
    for fr, nl, en in FEDERAL_BODIES:
        out["federal"].append(({"fr": fr, "nl": nl, "en": en}, "BE1", _tags(BODY_SERVICES[en])))
    return out


def make_organisations(count: int, seed: str, vocab: Vocabulary) -> list[Organisation]:
    """A pool of `count` distinct organisations: bare bodies first, then bodies with a department."""
    rng = random.Random(f"{seed}:organisations:{count}")
    bodies = _bodies()
    levels = [lv for lv in LEVEL_WEIGHTS if lv in vocab.levels] or sorted(vocab.levels)
    weights = [LEVEL_WEIGHTS.get(lv, 1.0) for lv in levels]
    used: dict[str, int] = {}
    orgs: list[Organisation] = []
    for n in range(1, count + 1):
        level = rng.choices(levels, weights)[0]
        labels, region, services = _distinct(bodies.get(level) or bodies["local"], rng, used)
        if rng.random() >= 0.4 and "de" not in labels:
            labels.pop("en")  # English names for some organisations only, as in the real register
        domain = _slug(labels.get("en") or labels["fr"])[:40].strip("-") + ".example"
        orgs.append(
            Organisation(vocab.base.thing("organisation", f"gen-org-{n}"), labels, level, region, domain, services)
        )
    return orgs


def _distinct(candidates: list[Body], rng: random.Random, used: dict[str, int]) -> Body:
    """Pick a body, add a department once the bare name is taken, and a number once that is taken too."""
    body, region, services = candidates[rng.randrange(len(candidates))]
    labels = dict(body)
    key = labels["fr"]
    seen = used.get(key, 0)
    used[key] = seen + 1
    if seen:
        unit = UNITS[(seen - 1) % len(UNITS)]
        cycle = (seen - 1) // len(UNITS)
        suffix = f" {cycle + 1}" if cycle else ""
        for i, lang in enumerate(("fr", "nl", "en", "de")):
            if lang in labels:
                labels[lang] = f"{labels[lang]} – {unit[i]}{suffix}"
    return labels, region, services


def organisations_graph(orgs: Iterable[Organisation], vocab: Vocabulary) -> Graph:
    """The organisations file: the shape of docs/data-model.md, 'An organisation'."""
    graph = Graph()
    for org in orgs:
        graph.add((org.iri, RDF.type, ORG.Organization))
        graph.add((org.iri, RDF.type, CV.PublicOrganisation))
        for lang, label in sorted(org.labels.items()):
            graph.add((org.iri, SKOS.prefLabel, Literal(label, lang=lang)))
        graph.add((org.iri, ORG.classification, vocab.levels.get(org.level) or next(iter(vocab.levels.values()))))
        graph.add((org.iri, DCTERMS.spatial, BELGIUM))
    return graph


def _pick(rng: random.Random, hints: Sequence[str], pool: dict[str, URIRef]) -> URIRef:
    """A hinted concept if the scheme has one, else any concept of the scheme (so schemes may evolve)."""
    present = [pool[h] for h in hints if h in pool]
    if present:
        return present[rng.randrange(len(present))]
    values = list(pool.values())
    return values[rng.randrange(len(values))]


def _weighted(rng: random.Random, weights: dict[str, float], pool: dict[str, URIRef]) -> URIRef:
    keys = [k for k in weights if k in pool]
    return pool[rng.choices(keys, [weights[k] for k in keys])[0]]


def _lit(text: str, lang: str) -> Literal:
    return Literal(text, lang=lang)


def make_project(n: int, seed: str, orgs: Sequence[Organisation], vocab: Vocabulary) -> Record:
    """Project `gen-{n:06d}`: a realistic record drawn from its own random stream."""
    rng = random.Random(f"{seed}:project:{n}")
    ref = f"gen-{n:06d}"
    base = vocab.base
    org = orgs[int(len(orgs) * rng.random() ** 1.6)]  # a few organisations run many projects, as in reality
    tags = org.services if rng.random() < 0.8 else _tags(GENERIC_SERVICES)
    svc = SERVICE_BY_TAG[tags[rng.randrange(len(tags))]]
    suited = SUITED[svc.tag]
    cap = suited[rng.randrange(len(suited))]
    phase = rng.choices(list(PHASE_WEIGHTS), list(PHASE_WEIGHTS.values()))[0]
    if phase not in vocab.phases:
        phase = next(p for p in PHASE_WEIGHTS if p in vocab.phases)
    start = {
        "production": (2014, 2025),
        "pilot": (2017, 2026),
        "development": (2019, 2026),
        "stopped": (2014, 2023),
        "idea": (2024, 2026),
    }[phase]
    year = rng.randint(*start)
    end = None
    if phase == "stopped":
        end = rng.randint(year, min(year + 4, 2025))
    elif rng.random() < 0.12:
        end = rng.randint(max(year, 2024), 2028)

    # languages: English always (PSTW is English), then the organisation's languages
    home = "nl" if org.region == "BE2" else "fr"
    langs = ["en"]
    for lang, p in (
        ("fr", 0.85 if home == "fr" else 0.35),
        ("nl", 0.85 if home == "nl" else 0.35),
        ("de", 0.6 if "de" in org.labels else 0.04),
    ):
        if rng.random() < p:
            langs.append(lang)
    org_name = {
        lang: org.labels.get(lang) or org.labels.get("en") or org.labels["fr"] for lang in ("en", "fr", "nl", "de")
    }
    org_name["de"] = org.labels.get("de") or org_name["fr"]
    codename = CODENAMES[rng.randrange(len(CODENAMES))] if rng.random() < 0.3 else ""
    style = rng.randrange(3)
    idx = {"en": 0, "fr": 1, "nl": 2, "de": 3}
    titles: list[URIRef | Literal | Node] = []
    for lang in langs:
        i = idx[lang]
        joiner = ("for", "pour", "voor", "für")[i]
        title = f"{cap.names[i]} {joiner} {svc.names[i]}"
        if style == 1:
            title += f" – {org_name[lang]}"
        if codename:
            title = f"{codename}: {title}"
        titles.append(_lit(title, lang))

    props: list[tuple[URIRef, list[URIRef | Literal | Node]]] = [
        (RDF.type, [base.ns.AIProject, AIRO.AISystem]),
        (DCTERMS.identifier, [Literal(ref)]),
        (DCTERMS.title, titles),
    ]
    if rng.random() < 0.9:
        desc_langs = [lang for lang in langs if lang == "en" or rng.random() < 0.8]
        # each language restarts the same stream, so the translations say the same thing
        props.append(
            (
                DCTERMS.description,
                [
                    _lit(
                        _description(
                            random.Random(f"{seed}:description:{n}"),
                            lang,
                            cap,
                            svc,
                            org_name[lang],
                            phase,
                            year,
                            end,
                            codename,
                        ),
                        lang,
                    )
                    for lang in desc_langs
                ],
            )
        )
    props.append((TECH.hasDeployer, [org.iri]))
    props.append((ADMS.status, [vocab.phases[phase]]))
    period: list[tuple[URIRef, list[URIRef | Literal | Node]]] = [
        (RDF.type, [DCTERMS.PeriodOfTime]),
        (DCAT.startDate, [Literal(str(year), datatype=XSD.gYear)]),
    ]
    if end is not None:
        period.append((DCAT.endDate, [Literal(str(end), datatype=XSD.gYear)]))
    props.append((DCTERMS.temporal, [Node(period)]))

    if rng.random() < 0.85:
        group = vocab.cofog_groups.get(svc.cofog) or _pick(rng, (), vocab.cofog_groups)
        division = vocab.cofog_division.get(group)
        props.append((DCTERMS.subject, [t for t in (division, group) if t is not None]))
    types: list[URIRef | Literal | Node] = []
    if rng.random() < 0.8:
        types.append(_pick(rng, (svc.process,), vocab.process_types))
    if rng.random() < 0.75:
        types.append(_pick(rng, cap.app_types, vocab.app_types))
    if types:
        props.append((DCTERMS.type, types))
    if rng.random() < 0.8:
        subdomains = [_pick(rng, (cap.ai_watch,), vocab.ai_watch)]
        if rng.random() < 0.15:  # PSTW's "Other" subdomain columns
            subdomains.append(_pick(rng, (), vocab.ai_watch))
        # like the imported cases: each subdomain with its domain (AI Classification I and II)
        classes = sorted({c for sub in subdomains for c in (vocab.ai_watch_domain.get(sub), sub) if c is not None})
        props.append((base.ns.aiClassification, list(classes)))
        dpv = sorted({m for c in classes for m in vocab.ai_watch_dpv.get(c, [])})
        for pred in (AI.hasTechnique, AI.hasCapability):
            terms: list[URIRef | Literal | Node] = [t for p, t in dpv if p == pred]
            if terms:
                props.append((pred, terms))
    if rng.random() < 0.6:
        extent = {
            "local": "local",
            "province": "regional",
            "region": "regional",
            "community": "regional",
            "federal": "national",
        }.get(org.level, "national")
        if rng.random() < 0.03:
            extent = "across-countries"
        props.append((base.ns.geographicExtent, [_pick(rng, (extent,), vocab.extents)]))
    if rng.random() < 0.6:
        kind = rng.choices(["g2c", "g2g", "g2b"], [55, 35, 10])[0]
        props.append((base.ns.interaction, [_pick(rng, (kind,), vocab.interactions)]))
    if rng.random() < 0.55:
        flags = sorted(vocab.benefits)
        chosen = sorted(set(rng.sample(flags, min(len(flags), rng.randint(1, 4)))))
        props.append((base.ns.expectedBenefit, list(chosen)))  # the flags, as the importer writes them
    if rng.random() < 0.5:
        props.append((EU_AIACT.hasRiskLevel, [_weighted(rng, RISK_WEIGHTS, vocab.risk_levels)]))
    if rng.random() < 0.7:
        props.append((base.ns.crossBorder, [Literal(rng.random() < 0.03)]))
        props.append((base.ns.crossSector, [Literal(rng.random() < 0.15)]))
    props.append((DCTERMS.spatial, [BELGIUM, *([NUTS[org.region]] if org.level != "federal" else [])]))
    if rng.random() < 0.7:
        words = [_lit(k, "en") for k in cap.keywords[: rng.randint(1, len(cap.keywords))]]
        words.append(_lit(svc.tag, "en"))
        props.append((DCAT.keyword, list(dict.fromkeys(words))))
    slug = _slug(codename or cap.names[0])
    if rng.random() < 0.6:
        props.append((DCAT.landingPage, [URIRef(f"https://www.{org.domain}/ai/{slug}-{n}")]))
    if rng.random() < 0.7:
        mailbox = ("ai", "ia", "data", "innovation", "digital", "info")[rng.randrange(6)]
        team = {"en": "AI team", "fr": "Cellule IA", "nl": "AI-team", "de": "KI-Team"}[langs[-1]]
        props.append(
            (
                DCAT.contactPoint,
                [
                    Node(
                        [
                            (RDF.type, [VCARD.Kind]),
                            (VCARD.fn, [_lit(f"{team} – {org_name[langs[-1]]}", langs[-1])]),
                            (VCARD.hasEmail, [URIRef(f"mailto:{mailbox}@{org.domain}")]),
                        ]
                    )
                ],
            )
        )
    assessments: list[Record] = []  # profile 2: dated hash IRIs; the build derives ns:addressesPrinciple
    if vocab.principles and vocab.statuses and rng.random() < 0.3:
        chosen_p = sorted(rng.sample(vocab.principles, rng.randint(1, len(vocab.principles))))
        ref_of = {v: k for k, v in vocab.statuses.items()}
        for principle, label in chosen_p:
            status = _weighted(rng, STATUS_WEIGHTS, vocab.statuses)
            texts = EVIDENCE[ref_of[status]]
            evidence = texts[rng.randrange(len(texts))]
            assessed = rng.randint(2025, 2026)
            when = f"{assessed}-{rng.randint(1, 2 if assessed == 2026 else 12):02d}-{rng.randint(1, 28):02d}"
            principle_ref = str(principle).rsplit("/", 1)[-1]
            assessments.append(
                Record(
                    URIRef(f"{base.thing('project', ref)}#assessment-{principle_ref}-{when}"),
                    [
                        (RDF.type, [DPV.Assessment]),
                        (DCTERMS.subject, [principle]),
                        (DCTERMS.date, [Literal(when, datatype=XSD.date)]),
                        (DPV.hasStatus, [status]),
                        (DCTERMS.description, [_lit(f"{label}: {evidence}", "en")]),
                        (DCTERMS.creator, [org.iri]),
                    ],
                )
            )
        props.append((DPV.hasAssessment, [a.subject for a in assessments]))
    modified_year = rng.randint(max(year, 2019), 2026)
    month = rng.randint(1, 2 if modified_year == 2026 else 12)
    props.append(
        (DCTERMS.modified, [Literal(f"{modified_year}-{month:02d}-{rng.randint(1, 28):02d}", datatype=XSD.date)])
    )
    return Record(base.thing("project", ref), props, assessments)


OPENINGS = {  # (en, fr, nl, de) by phase: "{org} uses AI ({what}) for {service}."
    "production": (
        "{org} uses AI ({what}) for {svc}.",
        "{org} utilise l'IA ({what}) pour {svc}.",
        "{org} gebruikt AI ({what}) voor {svc}.",
        "{org} nutzt KI ({what}) für {svc}.",
    ),
    "pilot": (
        "{org} is piloting AI ({what}) for {svc}.",
        "{org} teste l'IA ({what}) pour {svc}.",
        "{org} test AI ({what}) voor {svc}.",
        "{org} erprobt KI ({what}) für {svc}.",
    ),
    "development": (
        "{org} is developing AI ({what}) for {svc}.",
        "{org} développe l'IA ({what}) pour {svc}.",
        "{org} ontwikkelt AI ({what}) voor {svc}.",
        "{org} entwickelt KI ({what}) für {svc}.",
    ),
    "idea": (
        "{org} is exploring AI ({what}) for {svc}.",
        "{org} étudie le recours à l'IA ({what}) pour {svc}.",
        "{org} verkent AI ({what}) voor {svc}.",
        "{org} prüft den Einsatz von KI ({what}) für {svc}.",
    ),
    "stopped": (
        "{org} used AI ({what}) for {svc}.",
        "{org} a utilisé l'IA ({what}) pour {svc}.",
        "{org} gebruikte AI ({what}) voor {svc}.",
        "{org} nutzte KI ({what}) für {svc}.",
    ),
}
STARTED = (
    "The project started in {year}.",
    "Le projet a démarré en {year}.",
    "Het project startte in {year}.",
    "Das Projekt begann {year}.",
)
ENDED = (
    "It was stopped in {year}.",
    "Il a été arrêté en {year}.",
    "Het werd stopgezet in {year}.",
    "Es wurde {year} eingestellt.",
)


def _description(
    rng: random.Random,
    lang: str,
    cap: Capability,
    svc: Service,
    org: str,
    phase: str,
    year: int,
    end: int | None,
    codename: str,
) -> str:
    """A few sentences in one language; the caller gives every language the same stream."""
    i = {"en": 0, "fr": 1, "nl": 2, "de": 3}[lang]
    name = cap.names[i]
    what = name[0].lower() + name[1:] if i != 3 and name[1:2].islower() else name  # nouns keep capitals in German
    if codename:
        what += " " + (f'"{codename}"', f"« {codename} »", f"'{codename}'", f"„{codename}“")[i]
    parts = [OPENINGS[phase][i].format(org=org, what=what, svc=svc.names[i]), GOALS[rng.randrange(len(GOALS))][i]]
    if rng.random() < 0.5:
        y1 = rng.randint(max(year - 1, 2012), year + 1)
        records = f"{rng.randint(2, 900) * 1000:,}".replace(",", ("," if i == 0 else "\u202f"))
        parts.append(TRAINING[i].format(k=records, y0=y1 - rng.randint(1, 6), y1=y1))
    if rng.random() < 0.6:
        parts.append(OVERSIGHT[i])
    history = STARTED[i].format(year=year)
    if phase == "stopped" and end is not None:
        history += " " + ENDED[i].format(year=end)
    text = " ".join(parts)
    return f"{text}\n\n{history}" if rng.random() < 0.4 else f"{text} {history}"


# ---------------------------------------------------------------------------------------------------
# The content root.


def copy_content(src: Path, out: Path, force: bool) -> None:
    """Copy ontology/, shapes/ and data/ from src, leaving out files an earlier generation made."""
    missing = [d for d in ("ontology", "data") if not (src / d).is_dir()]
    if missing:
        raise GenerateError(f"{src} is not a content root: no {', '.join(d + '/' for d in missing)}")
    src_r, out_r = src.resolve(), out.resolve()
    for d in CONTENT_DIRS:
        if out_r == src_r or out_r.is_relative_to(src_r / d) or (src_r / d).is_relative_to(out_r / d):
            raise GenerateError(f"--out {out} overlaps the source content in {src}; choose another folder")
    present = [d for d in CONTENT_DIRS if (out / d).exists()]
    if present and not force:
        raise GenerateError(f"{out} already holds {', '.join(present)}; pass --force to replace them")
    for d in present:
        shutil.rmtree(out / d)
    out.mkdir(parents=True, exist_ok=True)

    def ignore(folder: str, names: list[str]) -> set[str]:
        generated = {n for n in names if Path(folder).name == "projects" and n.startswith("gen-")}
        return generated | {n for n in names if n == GENERATED_ORGS or n.startswith(".") or n == "__pycache__"}

    for d in CONTENT_DIRS:
        if (src / d).is_dir():
            shutil.copytree(src / d, out / d, ignore=ignore)
        else:
            (out / d).mkdir()
            print(f"generate: warning: {src}/{d}/ does not exist; {out}/{d}/ is empty", file=sys.stderr)


def verify(record: Record, data: bytes) -> None:
    """Re-parse one written record with rdflib and insist it is the graph we meant."""
    parsed = Graph().parse(data=data, format="turtle")
    if not isomorphic(parsed, record_graph(record)):
        raise AssertionError(f"the Turtle writer produced a different graph for {record.subject}")


def generate(
    n_projects: int, out: Path, seed: str = "0", src: Path = REPO_ROOT, force: bool = False, quiet: bool = False
) -> dict[str, float]:
    """Write the content root; returns timings and sizes for the benchmark report."""
    started = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            print(f"generate: {message} ({time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)

    copy_content(src, out, force)
    if n_projects == 0:  # a plain copy: no unused organisations either
        say(f"copied {src} to {out}; no projects requested")
        return {
            "seconds": time.perf_counter() - started,
            "project_bytes": 0,
            "organisations": 0,
            "organisation_bytes": 0,
        }
    try:
        vocab = load_vocabulary(out)
    except GenerateError as exc:
        raise GenerateError(f"{exc} (copied from {src})") from None
    say(f"copied {src} to {out}; read the schemes")
    orgs = make_organisations(max(5, round(n_projects / 20)), seed, vocab)
    org_file = out / "data" / GENERATED_ORGS
    write_turtle(organisations_graph(orgs, vocab), org_file, vocab.base)
    say(f"wrote {len(orgs)} organisations")

    prefixes = dict(_PREFIXES) | {str(vocab.base.ns): "ns"}
    writer = TurtleWriter(prefixes)
    projects = out / "data" / "projects"
    projects.mkdir(parents=True, exist_ok=True)
    size = 0
    step = max(1000, n_projects // 10)
    for n in range(1, n_projects + 1):
        record = make_project(n, seed, orgs, vocab)
        data = writer.record(record)
        if n <= VERIFY_FIRST:
            verify(record, data)
        (projects / f"gen-{n:06d}.ttl").write_bytes(data)
        size += len(data)
        if n % step == 0 and n < n_projects:
            say(f"{n:,}/{n_projects:,} projects")
    elapsed = time.perf_counter() - started
    say(f"wrote {n_projects:,} projects, {size / 1e6:.1f} MB, in {out}")
    return {
        "seconds": elapsed,
        "project_bytes": size,
        "organisations": len(orgs),
        "organisation_bytes": org_file.stat().st_size,
    }


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"N must be a whole number of projects, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"N must be 0 or more, got {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="generate.py", description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("n", type=_count, metavar="N", help="number of projects to generate (0 or more)")
    parser.add_argument("--out", type=Path, required=True, help="the content root to write")
    parser.add_argument("--seed", default="0", help="random seed; same N, seed and source give the same bytes")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="source content root (default: the repo)")
    parser.add_argument("--force", action="store_true", help="replace ontology/, shapes/, data/ already in --out")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    try:
        generate(args.n, args.out, args.seed, args.root, args.force, args.quiet)
    except GenerateError as exc:
        print(f"generate: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
