"""Example data: the expected results of the bundled sample cohort and a generator of random
cohorts dense around the rule loci, with the awkward cases the readers must get right."""

from __future__ import annotations

import random
from pathlib import Path

from jakcli.classify import TARGET_PADDING
from jakcli.engine.small_variants import SiteIndex
from jakcli.model import Build
from jakcli.ruleset.loader import load_ruleset
from support.vcf import write_vcf

# rule ids found per sample of sample_data/cohort_grch38.vcf.gz with the bundled rules
EXPECTED_COHORT = {
    "BALL_CRLF2_JAK2": {"crlf2-f232c", "jak2-pseudokinase", "jak2-r683"},
    "BALL_IL7R": {"il7r-exon6-insertion", "il7r-s185c", "jak1-pseudokinase", "crlf2-f232c"},
    "TALL_JAK1_JAK3": {"il7r-exon6-insertion", "jak1-pseudokinase", "jak3-activating"},
    "MPN_V617F_HIGH": {"jak2-v617f"},
    "MPN_CALR": {"calr-exon9-frameshift"},
    "MPN_MPL_W515": {"mpl-w515"},
    "PV_JAK2_EXON12": {"jak2-exon12-indel"},
    "GERMLINE_TYK2": {"tyk2-p1104a", "tyk2-germline-predisposition"},
    "NEGATIVE": set(),
}


def generated_cohort(path: Path, seed: int, n_samples: int = 20) -> int:
    """Random records on several chromosomes, dense around the rule loci, with the awkward cases:
    long deletions reaching into a locus from outside, symbolic <DEL> spanning a locus, anchors just
    before a locus, multi-allelic sites and records exactly at region edges. Returns the record count."""
    rng = random.Random(seed)
    rs = load_ruleset()
    targets = SiteIndex(rs.rules.values(), Build.GRCH38).targets(TARGET_PADDING)
    samples = [f"S{i:03d}" for i in range(n_samples)]
    records = []

    def gt_fields(alts: int):
        out = []
        for _ in samples:
            a = rng.choice([0, 0, 0, 1] + ([2] if alts > 1 else []))
            ad = [rng.randint(10, 60)] + [rng.randint(0, 30) for _ in range(alts)]
            out.append(f"0/{a}:{','.join(map(str, ad))}:{sum(ad)}")
        return out

    for contig, start, end, _ids in targets:
        chrom = "chrM" if contig == "MT" else f"chr{contig}"
        for pos in sorted({start - 1, start, end, end + 1, *(rng.randint(start, end) for _ in range(6))}):
            records.append([chrom, pos, ".", "A", "C", ".", "PASS", ".", "GT:AD:DP", *gt_fields(1)])
        records.append([chrom, start - 40, ".", "A" + "C" * 45, "A", ".", "PASS", ".", "GT:AD:DP", *gt_fields(1)])
        records.append([chrom, start - 1, ".", "G", "GTTT", ".", "PASS", ".", "GT:AD:DP", *gt_fields(1)])
        records.append([chrom, max(1, start - 5000), ".", "N", "<DEL>", ".", "PASS", f"END={start + 3}",
                        "GT:AD:DP", *gt_fields(1)])
        records.append([chrom, end + 3, ".", "T", "A,G", ".", "PASS", ".", "GT:AD:DP", *gt_fields(2)])
    records.append(["chr9", 5073770, ".", "G", "T", ".", "PASS", ".", "GT:AD:DP", *gt_fields(1)])  # V617F
    for chrom in ("chr1", "chr2", "chr9", "chr19", "chrX"):
        for pos in rng.sample(range(1_000_000, 60_000_000), 60):
            records.append([chrom, pos, ".", "C", "T", ".", rng.choice(["PASS", "LowQual"]), ".", "GT:AD:DP",
                            *gt_fields(1)])
    order = {f"chr{c}": i for i, c in enumerate([*map(str, range(1, 23)), "X", "Y", "M"])}
    records.sort(key=lambda r: (order[r[0]], r[1]))
    write_vcf(path, records, samples=tuple(samples),
              info_lines=('##INFO=<ID=END,Number=1,Type=Integer,Description="End">',),
              extra_header=('##ALT=<ID=DEL,Description="Deletion">',))
    return len(records)
