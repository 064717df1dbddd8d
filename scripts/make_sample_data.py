#!/usr/bin/env python3
"""Generate the demonstration VCFs in sample_data/ from the rule files in rules/.

Run from the repository root:  python scripts/make_sample_data.py

Every driver and near-miss allele comes from a small-variant rule's ``examples`` (GRCh38 ones as
they are, GRCh37 ones converted through the rule's own paired GRCh37/GRCh38 sites) or, for
alleles without any example, from the rule's GRCh38 ``match`` coordinates. Only the sample
each allele is given to, read counts and background records are chosen here. Output is
deterministic (no clock, no randomness). Needs pysam and jakcli's own dependencies.
"""

from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path

import pysam

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
OUT = ROOT / "sample_data"
sys.path.insert(0, str(ROOT))
from jakcli.reference.genome import CONTIG_LENGTHS  # noqa: E402  (stdlib-only module)
from jakcli.model import Build  # noqa: E402
from jakcli.ruleset.loader import read_yaml# noqa: E402

CONTIGS = [str(i) for i in range(1, 23)] + ["X", "Y"]
CHRM_LENGTH = 16569  # rCRS / GRCh38 chrM (identical in GRCh37 MT, so not in CONTIG_LENGTHS)

def read_rule(path: Path) -> dict | None:
    """Return {id, examples, entries} for a small-variant rule, None for other rules.

    ``entries`` are the matcher items (allele, named allele, codon, region), each with its
    ``kind`` and its GRCh37/GRCh38 site lists in file order. The file is read with the same
    safe YAML loader jakcli uses.
    """
    doc = read_yaml(path)
    if not isinstance(doc, dict) or doc.get("input") != "small-variant":
        return None
    m = doc["match"]
    entries = []
    for kind, items in (("allele", m.get("alleles", [])), ("codon", m.get("codons", [])),
                        ("region", m.get("regions", []))):
        for item in items:
            entries.append({"kind": kind, "GRCh37": item["GRCh37"], "GRCh38": item["GRCh38"]})
            for named in item.get("named_alleles", []):
                entries.append({"kind": "named", "GRCh37": named["GRCh37"], "GRCh38": named["GRCh38"]})
    examples = {k: [e for e in doc["examples"][k] if "variant" in e] for k in ("positive", "negative")}
    return {"id": doc["id"], "examples": examples, "entries": entries}


def parse_variant(text: str) -> tuple[str, int, str, str]:
    chrom, pos, ref, alt = text.split(":")
    return chrom.removeprefix("chr"), int(pos), ref, alt


def to_grch38(rule: dict, var: tuple) -> tuple | None:
    """Convert a GRCh37 example through the rule's paired sites; None when it falls outside them."""
    chrom, pos, ref, alt = var
    for e in rule["entries"]:
        for s37, s38 in zip(e["GRCh37"], e["GRCh38"]):
            if str(s37["chrom"]) != chrom:
                continue
            if e["kind"] in ("allele", "named") and s37["pos"] == pos and s37["ref"] == ref:
                return str(s38["chrom"]), s38["pos"], ref, alt
            if e["kind"] == "codon" and pos in s37["positions"]:
                return str(s38["chrom"]), s38["positions"][s37["positions"].index(pos)], ref, alt
            if e["kind"] == "region" and s37["start"] <= pos <= s37["end"]:
                return str(s38["chrom"]), pos - s37["start"] + s38["start"], ref, alt
    return None


def key(v: tuple) -> str:
    return "chr{}:{}:{}:{}".format(*v)


def collect(rules: list[dict]):
    """GRCh38 positives and negatives ({variant: [rule ids]}) and GRCh37-only negatives."""
    pos38, neg38, neg37 = {}, {}, {}
    for r in rules:
        covered = set()
        for kind, dest in (("positive", pos38), ("negative", neg38)):
            for ex in r["examples"][kind]:
                v = parse_variant(ex["variant"])
                if ex["build"] == "GRCh37":
                    if kind == "negative":
                        neg37.setdefault(v, []).append(r["id"])
                    v = to_grch38(r, v)
                    if v is None:
                        continue
                dest.setdefault(v, []).append(r["id"])
                if kind == "positive":
                    covered.add(v)
        for e in r["entries"]:  # alleles that no example covers: take the rule's GRCh38 site
            if e["kind"] in ("allele", "named"):
                for s in e["GRCh38"]:
                    v = (str(s["chrom"]), s["pos"], s["ref"], s["alt"])
                    if v not in covered:
                        pos38.setdefault(v, []).append(r["id"])
    return pos38, neg38, neg37


# --------------------------------------------------------------------------------------------
# Who carries what (GRCh38 cohort). Keys are chr-prefixed CHROM:POS:REF:ALT from the rules;
# values are (genotype, VAF). Anything the rules add later and this table misses is given to
# UNPLANNED_POSITIVE / NEGATIVE with a notice on stderr.
# --------------------------------------------------------------------------------------------

SAMPLES = ["BALL_CRLF2_JAK2", "BALL_IL7R", "TALL_JAK1_JAK3", "MPN_V617F_HIGH", "MPN_CALR",
           "MPN_MPL_W515", "PV_JAK2_EXON12", "GERMLINE_TYK2", "NEGATIVE"]
UNPLANNED_POSITIVE = "BALL_CRLF2_JAK2"
HET, HOM = ("0/1", None), ("1/1", None)

PLAN = {
    "BALL_CRLF2_JAK2": {
        "chrX:1196852:A:C": ("0/1", 0.41), "chr9:5078357:A:T": ("0/1", 0.12),
        "chr9:5078362:A:C": ("0/1", 0.08), "chr9:5078361:G:C": ("0/1", 0.05),
        "chr9:5078361:G:A": ("0/1", 0.06), "chr9:5078362:A:AAGA": ("0/1", 0.09),
    },
    "BALL_IL7R": {
        "chr5:35874462:T:TTGT": ("0/1", 0.37), "chr5:35873495:A:T": ("0/1", 0.22),
        "chr1:64846664:C:A": ("0/1", 0.31), "chrY:1196852:A:C": ("1", 0.25),
    },
    "TALL_JAK1_JAK3": {
        "chr5:35874463:ATC:TGTCCC": ("0/1", 0.29), "chr1:64846699:G:A": ("0/1", 0.33),
        "chr1:64846735:G:T": ("0/1", 0.18), "chr19:17838299:C:A": ("0/1", 0.27),
        "chr19:17838299:C:T": ("0/1", 0.11), "chr19:17837200:G:A": ("0/1", 0.35),
        "chr19:17837197:G:A": ("0/1", 0.15), "chr19:17835160:C:T": ("0/1", 0.21),  # LowQual
    },
    "MPN_V617F_HIGH": {"chr9:5073770:G:T": ("0/1", 0.62)},
    "MPN_CALR": {
        "chr19:12943750:" + "AGCAGAGGCTTAAGGAGGAGGAAGAAGACAAGAAACGCAAAGAGGAGGAGGAG:A": ("0/1", 0.39),
        "chr19:12943813:A:ATTGTC": ("0/1", 0.07), "chr19:12943813:A:AT": ("0/1", 0.06),
        "chr9:5073770:G:T": ("0/1", 0.005),  # AD 995,5: under V617F's 1% floor, counted not reported
    },
    "MPN_MPL_W515": {
        "chr1:43349337:TG:AA": ("0/1", 0.24), "chr1:43349338:G:C": ("0/1", 0.09),
        "chr1:43349338:G:T": ("0/1", 0.31),
    },
    "PV_JAK2_EXON12": {"chr9:5070026:AA:TT": ("0/1", 0.21), "chr9:5070035:AATGAAG:A": ("0/1", 0.14)},
    "GERMLINE_TYK2": {
        "chr19:10352442:G:C": HOM, "chr19:10358035:G:A": HET, "chr19:10358032:C:A": HET,
    },
}
LOWQUAL = {"chr19:17835160:C:T"}  # FILTER=LowQual: skipped unless --include-filtered
MISSING = {("chr9:5073770:G:T", "GERMLINE_TYK2")}  # ./. with no read counts
# One multi-allelic record: R683G (positive) and R683* (negative: stop, not missense).
MULTI = ("9", 5078360, "A", ["G", "T"], {"BALL_CRLF2_JAK2": "0/1", "NEGATIVE": "0/2"})
BACKGROUND = [  # unrelated common-looking SNVs away from every rule: (chrom, pos, ref, alt, carriers)
    ("2", 25234373, "C", "T", {"BALL_IL7R": "0/1", "MPN_CALR": "1/1", "NEGATIVE": "0/1"}),
    ("4", 54658015, "G", "A", {"TALL_JAK1_JAK3": "0/1", "GERMLINE_TYK2": "0/1"}),
    ("7", 140753336, "A", "G", {"MPN_V617F_HIGH": "0/1", "PV_JAK2_EXON12": "1/1"}),
    ("12", 25245350, "C", "A", {"MPN_MPL_W515": "0/1", "NEGATIVE": "1/1"}),
    ("17", 7676154, "G", "C", {s: "0/1" for s in SAMPLES[::2]}),
    ("X", 48793985, "T", "C", {"GERMLINE_TYK2": "1", "BALL_IL7R": "1", "MPN_CALR": "0/1"}),  # haploid males
]
MALES = {"GERMLINE_TYK2", "BALL_IL7R"}


def depth_for(*parts) -> int:
    """A deterministic depth between 80 and 239."""
    return 80 + zlib.crc32(":".join(map(str, parts)).encode()) % 160


def reads(gt: str, vaf: float | None, depth: int) -> tuple[int, int]:
    if gt in ("0/0", "0"):
        return depth, 0
    if vaf is None:
        vaf = 1.0 if gt in ("1/1", "1", "2/2", "2") else 0.5 - (depth % 7) / 100
    alt = round(depth * vaf)
    return depth - alt, alt


def header_lines(build_name: str, lengths: dict[str, int], prefix: str, mt_name: str,
                 extra_info=(), extra_format=()) -> list[str]:
    """Meta-information lines: fileformat, reference, every primary contig with its length, then
    FILTER/INFO/FORMAT definitions."""
    out = ["##fileformat=VCFv4.2", f"##reference={build_name}"]
    for c in CONTIGS:
        out.append(f"##contig=<ID={prefix}{c},length={lengths[c]}>")
    out.append(f"##contig=<ID={mt_name},length={CHRM_LENGTH}>")
    out += [
        '##FILTER=<ID=PASS,Description="All filters passed">',
        '##FILTER=<ID=LowQual,Description="Low quality">',
        '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth across samples">',
        *extra_info,
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths for the ref and alt alleles">',
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
        *extra_format,
    ]
    return out


def sort_key(rec: tuple):
    chrom, pos, ref, alts = rec[0], rec[1], rec[2], rec[3]
    return CONTIGS.index(chrom) if chrom in CONTIGS else 99, pos, ref, ",".join(alts)


def cohort_records(pos38, neg38) -> list[tuple]:
    """(chrom, pos, ref, [alts], filter, {sample: (gt, vaf or None)}) for the GRCh38 cohort."""
    carriers: dict[str, dict[str, tuple]] = {}
    planned = {k for plan in PLAN.values() for k in plan}
    multi_keys = {key((MULTI[0], MULTI[1], MULTI[2], a)) for a in MULTI[3]}
    for s, plan in PLAN.items():
        for k, call in plan.items():
            carriers.setdefault(k, {})[s] = call
    for v, ids in sorted(pos38.items(), key=lambda kv: sort_key((kv[0][0], kv[0][1], kv[0][2], [kv[0][3]]))):
        k = key(v)
        if k not in planned and k not in multi_keys:
            print(f"note: {k} ({','.join(ids)}) not in PLAN; given to {UNPLANNED_POSITIVE}", file=sys.stderr)
            carriers.setdefault(k, {})[UNPLANNED_POSITIVE] = HET
    for v in sorted(neg38, key=lambda v: sort_key((v[0], v[1], v[2], [v[3]]))):
        k = key(v)
        if k in carriers or k in multi_keys:
            continue  # a positive of another rule (e.g. V617F for jak2-pseudokinase): carried already
        carriers[k] = {"NEGATIVE": HET}
    recs = []
    for k, calls in carriers.items():
        chrom, pos, ref, alt = parse_variant(k)
        flt = "LowQual" if k in LOWQUAL else "PASS"
        recs.append((chrom, pos, ref, [alt], flt, calls))
    recs.append((MULTI[0], MULTI[1], MULTI[2], MULTI[3], "PASS", {s: (g, None) for s, g in MULTI[4].items()}))
    for chrom, pos, ref, alt, calls in BACKGROUND:
        recs.append((chrom, pos, ref, [alt], "PASS", {s: (g, None) for s, g in calls.items()}))
    return sorted(recs, key=sort_key)


def format_cohort_record(rec: tuple) -> str:
    chrom, pos, ref, alts, flt, calls = rec
    k = key((chrom, pos, ref, alts[0]))
    cols, total = [], 0
    for s in SAMPLES:
        depth = depth_for(k, s)
        if (k, s) in MISSING:
            cols.append("./.:.:.")
            continue
        if chrom == "Y" and s not in MALES and s not in calls:
            cols.append("./.:.:.")  # no chrY in female samples
            continue
        haploid = s in MALES and (chrom == "Y" or (chrom == "X" and pos > 2781479))  # outside PAR1
        gt, vaf = calls.get(s, ("0" if haploid else "0/0", None))
        if vaf == 0.005:
            depth = 1000
        r, a = reads(gt, vaf, depth)
        ad = [r] + [0] * len(alts)
        idx = max(int(x) for x in gt.replace("|", "/").split("/") if x != ".")
        ad[idx if idx else 1] += a
        total += depth
        cols.append(f"{gt}:{','.join(map(str, ad))}:{depth}")
    return "\t".join([f"chr{chrom}", str(pos), ".", ref, ",".join(alts), "50", flt, f"DP={total}",
                      "GT:AD:DP", *cols])


# --------------------------------------------------------------------------------------------
# Single-sample GRCh37 VCF with VEP CSQ
# --------------------------------------------------------------------------------------------

CSQ_FIELDS = ("Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|"
              "HGVSp|cDNA_position|CDS_position|Protein_position|Amino_acids|Codons|Existing_variation|"
              "DISTANCE|STRAND|FLAGS|SYMBOL_SOURCE|HGNC_ID|CANONICAL|MANE_SELECT")
JAK2 = ("JAK2", "ENSG00000096968", "ENST00000381652.4", "ENSP00000371067.4", "1", "HGNC:6192")
JAK1 = ("JAK1", "ENSG00000162434", "ENST00000342505.4", "ENSP00000343204.4", "-1", "HGNC:6190")
CALR = ("CALR", "ENSG00000179218", "ENST00000316448.5", "ENSP00000320866.4", "1", "HGNC:1455")


def csq(allele, consequence, impact, gene, exon, hgvsc, hgvsp, cdna, cds, prot, aa, codons, existing=""):
    """One VEP CSQ entry (canonical Ensembl transcript; GRCh37 VEP has no MANE_SELECT)."""
    sym, gid, tx, pid, strand, hgnc = gene
    return "|".join([allele, consequence, impact, sym, gid, "Transcript", tx, "protein_coding", exon, "",
                     f"{tx}:{hgvsc}", f"{pid}:{hgvsp}" if hgvsp else "", cdna, cds, prot, aa, codons,
                     existing, "", strand, "", "HGNC", hgnc, "YES", ""])


SINGLE_SAMPLE = "PATIENT_MPN_37"
# (chrom, pos, ref, alt, FORMAT, sample values, CSQ or None, note). Coordinates from the rules.
SINGLE = [
    ("9", 5073770, "G", "T", "GT:AD:DP", "0/1:88,142:230",
     csq("T", "missense_variant", "MODERATE", JAK2, "14/25", "c.1849G>T", "p.Val617Phe", "2343", "1849",
         "617", "V/F", "Gtc/Ttc", "rs77375493"), "JAK2 V617F (jak2-v617f)"),
    ("9", 5073772, "C", "T", "GT:AD:DP", "0/1:101,96:197",
     csq("T", "missense_variant", "MODERATE", JAK2, "14/25", "c.1851C>T", "p.Val617Phe", "2345", "1851",
         "617", "V/F", "gtC/gtT"), "GTC>GTT is synonymous, CSQ wrongly says p.Val617Phe (warning)"),
    ("9", 5078361, "G", "C", "GT:AD:DP", "0/1:170,22:192",
     csq("C", "missense_variant", "MODERATE", JAK2, "16/25", "c.2048G>C", "p.Arg683Ser", "2542", "2048",
         "683", "R/S", "aGa/aCa"), "R683T by coordinates, CSQ says p.Arg683Ser (cross-check warning)"),
    ("1", 65312347, "C", "A", "GT:AD:DP", "0/1:140,35:175",
     csq("A", "missense_variant", "MODERATE", JAK1, "15/25", "c.1972G>T", "p.Val658Phe", "2201", "1972",
         "658", "V/F", "Gtc/Ttc"), "JAK1 V658F (jak1-pseudokinase)"),
    ("19", 13054627, "A", "ATTGTC", "GT:AF:DP", "0/1:0.31:212",
     csq("TTGTC", "frameshift_variant", "HIGH", CALR, "9/9", "c.1154_1155insTTGTC", "p.Lys385AsnfsTer47",
         "1221-1222", "1154-1155", "385", "K/NX", "-/TTGTC"), "CALR type 2 (calr-exon9-frameshift)"),
]


def single_records(neg37) -> list[tuple]:
    recs = list(SINGLE)
    taken = {(r[0], r[1]) for r in SINGLE}
    for v in sorted(neg37, key=lambda v: sort_key((v[0], v[1], v[2], [v[3]]))):
        if (v[0], v[1]) in taken:
            continue  # a second ALT where this patient already has a driver; its GRCh38 form is in the cohort
        depth = depth_for("37", *v)
        recs.append((*v, "GT:AD:DP", f"0/1:{depth - depth // 2},{depth // 2}:{depth}", None,
                     "near miss (" + ",".join(neg37[v]) + ")"))
    return sorted(recs, key=lambda r: sort_key((r[0], r[1], r[2], [r[3]])))


def write_single(path: Path, neg37) -> None:
    lines = header_lines(
        "GRCh37", CONTIG_LENGTHS[Build.GRCH37], "", "MT",
        extra_info=['##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from '
                    f'Ensembl VEP. Format: {CSQ_FIELDS}">'],
        extra_format=['##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction">'])
    lines.append('##VEP="v110" cache="homo_sapiens/110_GRCh37" assembly="GRCh37"')
    lines.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT",
                            SINGLE_SAMPLE]))
    for chrom, pos, ref, alt, fmt, vals, ann, _ in single_records(neg37):
        dp = vals.split(":")[-1]
        info = f"DP={dp}" + (f";CSQ={ann}" if ann else "")
        lines.append("\t".join([chrom, str(pos), ".", ref, alt, "50", "PASS", info, fmt, vals]))
    path.write_text("\n".join(lines) + "\n")


def write_cohort(path: Path, pos38, neg38) -> None:
    lines = header_lines("GRCh38", CONTIG_LENGTHS[Build.GRCH38], "chr", "chrM")
    lines.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *SAMPLES]))
    lines += [format_cohort_record(r) for r in cohort_records(pos38, neg38)]
    plain = path.with_suffix("")  # cohort_grch38.vcf
    plain.write_text("\n".join(lines) + "\n")
    pysam.tabix_compress(str(plain), str(path), force=True)
    os.unlink(plain)
    pysam.tabix_index(str(path), preset="vcf", force=True)


def main() -> None:
    """Read the rules, write sample_data/cohort_grch38.vcf.gz(+.tbi) and single_grch37_vep.vcf."""
    rules = [r for r in (read_rule(p) for p in sorted(RULES.glob("*.yaml"))) if r]
    pos38, neg38, neg37 = collect(rules)
    OUT.mkdir(exist_ok=True)
    write_cohort(OUT / "cohort_grch38.vcf.gz", pos38, neg38)
    write_single(OUT / "single_grch37_vep.vcf", neg37)
    print(f"{len(rules)} small-variant rules; wrote {OUT}/cohort_grch38.vcf.gz(.tbi), "
          f"{OUT}/single_grch37_vep.vcf")


if __name__ == "__main__":
    main()
