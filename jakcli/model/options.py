"""The options of one classification run: one frozen record, serialised in one place for the
report, for ``batch --resume`` keys and for command lines (the Snakemake workflow)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    build: str = "auto"
    samples: tuple[str, ...] = ()
    profile: str = "b-all"
    min_vaf: float | None = None  # replaces every rule's reporting floor
    include_filtered: bool = False
    strict: bool = False
    min_fusion_reads: int | None = None  # replaces every fusion rule's evidence floor (and its confidence exclusions)
    rename: tuple[tuple[str, str], ...] = ()  # (VCF sample column, report name) pairs, e.g. (("TUMOR", "PT-0042"),)
    min_alt_reads: int | None = None  # replaces every rule's min_alt_reads (issue 16)
    min_depth: int | None = None  # replaces every rule's min_depth (issue 16)
    targets: str | None = None  # the panel's design BED: rule loci outside it are not assessed
    reference: str | None = None  # genome FASTA (+ .fai): CRAM alignments and HGVS p.; verified before use
    ignore_header_regions: bool = False  # do not read -r/-R/-t/-T / -L restrictions from VCF headers
    no_vus: bool = False  # hide other_variants (variants of uncertain significance)
    sex: str | None = None  # copy number: 'female' / 'male' for every sample (else from the file or inferred)
    cnv_thresholds: str | None = None  # a lab's copy-number thresholds file replacing the bundled one
    digest: str = "sha256"  # input checksums: sha256, or blake3 (faster on large files; needs the blake3 package)
    header_regions_dirs: tuple[str, ...] = ()  # where to look for interval files named in VCF headers

    def to_report(self) -> dict:
        """The ``options`` object of a report."""
        return {"min_vaf": self.min_vaf, "include_filtered": self.include_filtered,
                "samples": list(self.samples), "strict": self.strict,
                "min_fusion_reads": self.min_fusion_reads, "rename": dict(self.rename),
                **self._evidence()}

    def _evidence(self) -> dict:
        return {"min_alt_reads": self.min_alt_reads, "min_depth": self.min_depth, "targets": self.targets,
                "reference": self.reference, "ignore_header_regions": self.ignore_header_regions,
                "no_vus": self.no_vus, **({"sex": self.sex} if self.sex else {}),
                **({"cnv_thresholds": self.cnv_thresholds} if self.cnv_thresholds else {}),
                **({"digest": self.digest} if self.digest != "sha256" else {}),
                **({"header_regions_dirs": list(self.header_regions_dirs)} if self.header_regions_dirs else {})}

    def cache_key(self) -> dict:
        """The options a report's content depends on (samples and renames are keyed per sample):
        a change in any of them makes a batch report stale."""
        return {"build": self.build, "profile": self.profile, "min_vaf": self.min_vaf,
                "include_filtered": self.include_filtered, "strict": self.strict,
                "min_fusion_reads": self.min_fusion_reads, **self._evidence()}

    def to_args(self) -> list[str]:
        """The ``cache_key`` options as command-line arguments of ``classify`` and ``batch``."""
        args = ["--build", self.build, "--profile", self.profile]
        if self.min_vaf is not None:
            args += ["--min-vaf", str(self.min_vaf)]
        if self.include_filtered:
            args.append("--include-filtered")
        if self.strict:
            args.append("--strict")
        if self.min_fusion_reads is not None:
            args += ["--min-fusion-reads", str(self.min_fusion_reads)]
        for flag, value in (("--min-alt-reads", self.min_alt_reads), ("--min-depth", self.min_depth),
                            ("--targets", self.targets), ("--reference", self.reference)):
            if value is not None:
                args += [flag, str(value)]
        if self.ignore_header_regions:
            args.append("--ignore-header-regions")
        if self.no_vus:
            args.append("--no-vus")
        if self.sex:
            args += ["--sex", self.sex]
        if self.cnv_thresholds:
            args += ["--cnv-thresholds", self.cnv_thresholds]
        if self.digest != "sha256":
            args += ["--digest", self.digest]
        for d in self.header_regions_dirs:
            args += ["--header-regions-dir", d]
        return args
