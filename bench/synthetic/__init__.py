"""Synthetic records at scale, for benchmarks: `manage.py generate_synthetic --records N --seed S`.

The same N and S give the same content, record for record: one `random.Random` drives everything, in a
fixed order, over fixed word lists and the country and region lists of `pycountry`. The records spread
over all seven types in the proportions a mature portal might have (`data.SHARES`):

- places (places.py): real countries (Kazakhstan and its partners first) → their real ISO 3166-2
  regions (names in English and Russian from pycountry) → synthetic districts and cities with Kazakh,
  Russian and Latin names, coordinates near their region;
- organizations located in places (organizations.py: akimats, companies, universities, archives...),
  persons holding positions at them (persons.py), sources (sources.py: archival files kept by the
  archives, publications);
- agreements between a Kazakh and a foreign party (agreements.py: 2–4 parties, with roles and spheres),
  events with participants and places (events.py), statistics about places or organizations, with values
  in currencies or units (statistics.py); parties.py picks who they are between;
- dates in every EDTF shape the portal supports (dates.py): days, months, years, intervals, `1996?`,
  `2004~`, `199X`;
- citations from records to sources (rows.py, with the core every record shares).

Each record is marked `identifiers: {"synthetic": "<seed>-<n>"}`. The package only *makes* rows: the
revision snapshot of each record is built in exactly the shape the content schemas give (shapes.py reads
them; the tests check snapshots against `state_of` and `state_validate`), and generate.py writes
everything with COPY (bench/bulk.py), in one transaction, refusing a database that holds real records.
"""

from bench.bulk import STAGE
from bench.synthetic.data import plan_counts, synthetic_summary
from bench.synthetic.generate import (
    SYNTHETIC_AUTHOR,
    GenerateResult,
    RealDataPresent,
    SyntheticExists,
    synthetic_digest,
    synthetic_generate,
    synthetic_proposal,
)
from bench.synthetic.rows import TABLES

__all__ = [
    "STAGE",
    "SYNTHETIC_AUTHOR",
    "TABLES",
    "GenerateResult",
    "RealDataPresent",
    "SyntheticExists",
    "plan_counts",
    "synthetic_digest",
    "synthetic_generate",
    "synthetic_proposal",
    "synthetic_summary",
]
