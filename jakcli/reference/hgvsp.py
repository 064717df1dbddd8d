"""HGVS p. consequences computed from a transcript model and its coding sequence (pure).

The coding sequence comes from the genome FASTA the reads were aligned to (``readers.fasta.build_cds``)
or, for one codon, from a catalogue entry's reference codon. Without sequence the alternate amino acid
of a substitution is unknown, so every function here takes the sequence it needs.
Predicted consequences are written in parentheses, as HGVS asks (``p.(Val617Phe)``); the one-letter
``short`` form (``p.V617F``) is what rules and annotations are compared on (``protein.normalise_hgvsp``).
"""

from __future__ import annotations

from dataclasses import dataclass

from jakcli.reference.protein import THREE_TO_ONE, complement, reverse_complement, translate
from jakcli.reference.transcripts import Transcript, locate, trim_alleles

ONE_TO_THREE = {v: k for k, v in THREE_TO_ONE.items()}


@dataclass(frozen=True, slots=True)
class PNotation:
    """A protein consequence: ``three`` = ``p.(Val617Phe)``, ``short`` = ``p.V617F``; both None, with
    ``reason`` saying why, when it cannot be computed."""

    three: str | None
    short: str | None
    kind: str  # missense, synonymous, nonsense, frameshift, inframe_deletion, ..., none
    reason: str = ""

    def __str__(self) -> str:
        return self.three or f"p.? ({self.reason})"


@dataclass(frozen=True, slots=True)
class CodonChange:
    codon: int
    ref_codon: str
    alt_codon: str
    ref_aa: str
    alt_aa: str

    @property
    def short(self) -> str:
        return f"p.{self.ref_aa}{self.codon}{'=' if self.alt_aa == self.ref_aa else self.alt_aa}"

    @property
    def three(self) -> str:
        alt = "=" if self.alt_aa == self.ref_aa else _aa3(self.alt_aa)
        return f"p.({_aa3(self.ref_aa)}{self.codon}{alt})"


def _aa3(aa: str) -> str:
    return ONE_TO_THREE.get(aa, "Xaa")


def _peptide3(seq: str) -> str:
    return "".join(_aa3(a) for a in seq)


def translate_cds(seq: str) -> str:
    return "".join(translate(seq[i:i + 3]) for i in range(0, len(seq) - len(seq) % 3, 3))


def _none(reason: str) -> PNotation:
    return PNotation(None, None, "none", reason)


def codon_change(t: Transcript, cds: str | None, changes, *, ref_codon: str | None = None) -> CodonChange:
    """The amino-acid change made by substitutions that fall in ONE codon (GTC>TTT at c.1849-1851 is
    V617F). ``changes`` are genomic (+ strand) ``(pos, ref_base, alt_base)``; the reference codon comes
    from ``cds`` or, without it, from ``ref_codon`` (e.g. a catalogue entry). ValueError when the
    changes span codons, leave the CDS, or their REF disagrees with the reference codon."""
    spots: list[tuple[int, int, str, str]] = []
    for pos, ref, alt in changes:
        loc = locate(t, pos)
        if loc.codon is None or loc.codon_position is None:
            raise ValueError(f"{t.chrom}:{pos} is not in the coding sequence of {t}")
        if t.strand == "-":
            ref, alt = complement(ref.upper()), complement(alt.upper())
        spots.append((loc.codon, loc.codon_position, ref.upper(), alt.upper()))
    codons = {s[0] for s in spots}
    if len(codons) != 1:
        raise ValueError(f"changes span codons {sorted(codons)} of {t.gene}")
    (no,) = codons
    if cds is not None:
        ref_codon = cds[3 * (no - 1):3 * no].upper()
    if ref_codon is None or len(ref_codon) != 3:
        raise ValueError(f"no reference codon for {t.gene} codon {no}")
    alt = list(ref_codon.upper())
    for _, k, ref, a in spots:
        if ref_codon[k - 1].upper() != ref:
            raise ValueError(f"{t.gene} codon {no} is {ref_codon}; REF {ref} at its base {k} disagrees")
        alt[k - 1] = a
    alt_codon = "".join(alt)
    return CodonChange(no, ref_codon.upper(), alt_codon, translate(ref_codon), translate(alt_codon))


def _cds_span(t: Transcript, pos: int, ref: str, cds_len: int) -> tuple[int, int] | str:
    """0-based half-open CDS slice [i, j) replaced by the allele, or a reason string."""
    g1, g2 = (pos, pos + len(ref) - 1) if ref else (pos - 1, pos)
    locs = [locate(t, g) for g in (g1, g2)]
    if any(not loc.c.in_cds or loc.c.base > cds_len for loc in locs):
        regions = {("splice/intron" if loc.region == "intron" else loc.region) for loc in locs}
        return "not entirely in the coding sequence (" + ", ".join(sorted(regions)) + ")"
    c1, c2 = sorted(loc.c.base for loc in locs)
    if c2 - c1 + 1 != (len(ref) if ref else 2):
        return "crosses an exon-intron boundary"
    return (c1 - 1, c2) if ref else (c1, c1)


def hgvsp(t: Transcript, cds: str, chrom: str, pos: int, ref: str, alt: str, utr3: str = "") -> PNotation:
    """HGVS p. of a VCF-style allele; ``cds`` is c.1 to the stop codon, ``utr3`` (optional) the
    sequence after it, which lets a frameshift or a stop loss find its new stop (fsTer N)."""
    del chrom  # the transcript fixes the contig; kept for a call shape like hgvsc's
    cds = cds.upper()
    if len(cds) % 3 or len(cds) < 6:
        return _none("the coding sequence length is not a multiple of 3")
    p, r, a = trim_alleles(pos, ref, alt)
    span = _cds_span(t, p, r, len(cds))
    if isinstance(span, str):
        return _none(span)
    i, j = span
    if t.strand == "-":
        r, a = reverse_complement(r), reverse_complement(a)
    if cds[i:j] != r:
        return _none(f"REF {r or '-'} differs from the coding sequence ({cds[i:j] or '-'}) at c.{i + 1}")
    mutated = cds[:i] + a + cds[j:]
    return compare_proteins(translate_cds(cds), mutated + utr3.upper(), i, len(a) - len(r))


def compare_proteins(ref_protein: str, mutated: str, first_changed_nt: int, delta_nt: int) -> PNotation:
    """Describe the protein of ``mutated`` (CDS + any 3' sequence) against ``ref_protein`` (with
    Ter); ``delta_nt`` is the length change of the allele (not a multiple of 3: frameshift)."""
    ref_p, frameshift = ref_protein, delta_nt % 3 != 0
    mut_full = translate_cds(mutated)
    if first_changed_nt < 3 and mut_full[:1] != "M":
        return PNotation("p.(Met1?)", "p.M1?", "start_lost")
    a = 0
    while a < min(len(ref_p), len(mut_full)) and ref_p[a] == mut_full[a]:
        a += 1
    if a == len(ref_p) - 1 and not frameshift:
        return _stop_change(ref_p, mut_full, a)
    if a == len(ref_p):
        if frameshift:
            return _none("no protein change found")
        k = min(first_changed_nt // 3, len(ref_p) - 1)
        return PNotation(f"p.({_aa3(ref_p[k])}{k + 1}=)", f"p.{ref_p[k]}{k + 1}=", "synonymous")
    if mut_full[a:a + 1] == "*":
        if not frameshift and delta_nt < 0:  # an in-frame deletion whose junction makes a stop
            return _delins(ref_p, a, 1 - delta_nt // 3, "*", "nonsense")
        return PNotation(f"p.({_aa3(ref_p[a])}{a + 1}Ter)", f"p.{ref_p[a]}{a + 1}*", "nonsense")
    if frameshift:
        return _frameshift(ref_p, mut_full, a)
    return _inframe(ref_p, mut_full, a, delta_nt // 3)


def _stop_change(ref_p: str, mut_full: str, a: int) -> PNotation:
    n = len(ref_p)
    if mut_full[n - 1:n] == "*":
        return PNotation("p.(=)", "p.=", "synonymous")
    new = mut_full[n - 1:n] or "X"
    stop = mut_full.find("*", n - 1)
    ext = f"*{stop - (n - 1)}" if stop > 0 else "*?"
    return PNotation(f"p.(Ter{n}{_aa3(new)}ext{ext})", f"p.*{n}{new}ext{ext}", "stop_lost",
                     "" if stop > 0 else "no new stop within the sequence given")


def _frameshift(ref_p: str, mut_full: str, a: int) -> PNotation:
    stop = mut_full.find("*", a)
    new = mut_full[a:a + 1] or "X"
    if stop < 0:
        return PNotation(f"p.({_aa3(ref_p[a])}{a + 1}{_aa3(new)}fs)", f"p.{ref_p[a]}{a + 1}{new}fs",
                         "frameshift", "fsTer N not computable: no stop within the sequence given")
    n = stop - a + 1
    return PNotation(f"p.({_aa3(ref_p[a])}{a + 1}{_aa3(new)}fsTer{n})",
                     f"p.{ref_p[a]}{a + 1}{new}fs*{n}", "frameshift")


def _inframe(ref_p: str, mut_full: str, a: int, delta_aa: int) -> PNotation:
    stop = mut_full.find("*", a)
    if stop < 0:
        return _none("the mutated coding sequence has no stop codon")
    mut = mut_full[:stop + 1]
    if stop < len(ref_p) - 1 + delta_aa:
        # an in-frame change that creates an early stop: the stretch up to the new stop is replaced
        inserted = mut[a:stop + 1]
        return _delins(ref_p, a, max(len(inserted) - delta_aa, 1), inserted, "nonsense")
    b = 0
    while (b < min(len(ref_p), len(mut)) - a and ref_p[-1 - b] == mut[-1 - b]):
        b += 1
    deleted, inserted = ref_p[a:len(ref_p) - b], mut[a:len(mut) - b]
    if len(deleted) == 1 and len(inserted) == 1:
        return PNotation(f"p.({_aa3(deleted)}{a + 1}{_aa3(inserted)})",
                         f"p.{deleted}{a + 1}{inserted}", "missense")
    if not inserted:
        return PNotation(f"p.({_range3(ref_p, a, len(deleted))}del)",
                         f"p.{_range1(ref_p, a, len(deleted))}del", "inframe_deletion")
    if not deleted:
        return _insertion(ref_p, a, inserted)
    return _delins(ref_p, a, len(deleted), inserted, "inframe_delins")


def _insertion(ref_p: str, a: int, inserted: str) -> PNotation:
    m = len(inserted)
    if a >= m and ref_p[a - m:a] == inserted:
        return PNotation(f"p.({_range3(ref_p, a - m, m)}dup)", f"p.{_range1(ref_p, a - m, m)}dup",
                         "inframe_duplication")
    return PNotation(f"p.({_aa3(ref_p[a - 1])}{a}_{_aa3(ref_p[a])}{a + 1}ins{_peptide3(inserted)})",
                     f"p.{ref_p[a - 1]}{a}_{ref_p[a]}{a + 1}ins{inserted}", "inframe_insertion")


def _delins(ref_p: str, a: int, k: int, inserted: str, kind: str) -> PNotation:
    return PNotation(f"p.({_range3(ref_p, a, k)}delins{_peptide3(inserted)})",
                     f"p.{_range1(ref_p, a, k)}delins{inserted}", kind)


def _range3(p: str, a: int, k: int) -> str:
    first = f"{_aa3(p[a])}{a + 1}"
    return first if k == 1 else f"{first}_{_aa3(p[a + k - 1])}{a + k}"


def _range1(p: str, a: int, k: int) -> str:
    first = f"{p[a]}{a + 1}"
    return first if k == 1 else f"{first}_{p[a + k - 1]}{a + k}"
