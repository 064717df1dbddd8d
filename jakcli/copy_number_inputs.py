"""The copy-number inputs of one classify run (``--cnv [SAMPLE=]PATH``): read the files, settle
the build, give each run sample its segments, call the targets and apply the copy-number rules.
Orchestration only: formats live in readers/cnv.py, the calling logic in engine/copynumber.py."""

from __future__ import annotations

from jakcli.checksums import file_checksum, input_entry
from jakcli.engine.cnv_findings import SampleCopyNumber, evaluate_sample
from jakcli.engine.copynumber import call_targets, resolve_sex
from jakcli.errors import InputError
from jakcli.model import Build, InputClass
from jakcli.model.copynumber import CopyNumberFile, Segment
from jakcli.readers.cnv import read_segments, segments_for
from jakcli.readers.files import sha256_file
from jakcli.reference.cnv_targets import target_set
from jakcli.ruleset.cnv_thresholds import bundled_thresholds_path, load_thresholds


class CopyNumberInputs:
    """Every ``--cnv`` file of a run and, once :meth:`evaluate` ran, each sample's result."""

    def __init__(self, specs: list[tuple[str | None, str]]):
        self.thresholds: dict = {"path": "bundled", "sha256": None}
        self.files: list[CopyNumberFile] = [read_segments(path, sample) for sample, path in specs]
        self.by_sample: dict[str, tuple[CopyNumberFile, tuple[Segment, ...]]] = {}
        self.results: dict[str, SampleCopyNumber] = {}
        self.sexes: dict[str, tuple[str | None, str]] = {}

    def __bool__(self) -> bool:
        return bool(self.files)

    def build(self, run_build: Build | None) -> tuple[Build, str] | None:
        """The build the files name (all must agree with each other and with ``run_build``)."""
        named = {f.build: f"{f.path}: {f.build_reason}" for f in self.files if f.build is not None}
        for f in self.files:
            if run_build is not None and f.build is not None and f.build != run_build:
                raise InputError(f"{f.path}: the copy-number file is {f.build} ({f.build_reason}) but the run is "
                                 f"{run_build}; pass the matching --build or the right file")
        if len(named) > 1:
            raise InputError("copy-number files disagree on the genome build (" + "; ".join(named.values()) + ")")
        return next(iter(named.items()), None)

    def assign(self, run_samples: list[str]) -> list[str]:
        """Give each run sample its segments; return the samples the files add to the run."""
        for f in self.files:
            for name, segs in segments_for(f, run_samples or _only_named(f)).items():
                if name in self.by_sample:
                    raise InputError(f"{f.path}: sample '{name}' already has copy-number segments from "
                                     f"{self.by_sample[name][0].path}; give one copy-number file per sample")
                self.by_sample[name] = (f, segs)
        return [s for s in self.by_sample if s not in run_samples]

    def evaluate(self, samples: list[str], rules: list, build: Build, sex: str | None,
                 thresholds: str | None = None) -> list[str]:
        """Call every sample that has segments; return warnings (sex not inferable...). ``thresholds``:
        a lab's thresholds file for the whole run (default: the bundled one, read only when there is
        something to call: a batch of VCFs without --cnv should not re-read it for every file)."""
        if not self.files and thresholds is None:
            return []
        thr = load_thresholds(thresholds)
        path = thresholds or str(bundled_thresholds_path())
        self.thresholds = {"path": thresholds or "bundled", "sha256": sha256_file(path)}
        ref = target_set(build.value)
        warnings = []
        for s in samples:
            if s not in self.by_sample:
                continue
            f, segs = self.by_sample[s]
            sx, why = resolve_sex(sex, f.sex, segs, build.value, thr)
            self.sexes[s] = (sx, why)
            if sx is None:
                warnings.append(f"{f.path}: sample {s}: sex {why}; chrX/chrY outside PAR1 not assessed "
                                "(pass --sex female|male)")
            calls = call_targets(segs, ref, sx, why, thr, f.purity, f.ploidy)
            self.results[s] = evaluate_sample(s, calls, rules, build.value, f"{f.format} {f.version}")
        return warnings

    def outcomes(self) -> list:
        return [o for r in self.results.values() for o in r.outcomes]

    def supplied(self, sample: str) -> set:
        return {InputClass.COPY_NUMBER} if sample in self.results else set()

    def report(self, sample: str) -> dict:
        """The per-sample ``copy_number`` object of a report."""
        if sample not in self.results:
            return {"status": "not-supplied", "file": None}
        f, segs = self.by_sample[sample]
        res = self.results[sample]
        sex, why = self.sexes[sample]
        return {"status": "supplied", "file": f.path, "format": f"{f.format} {f.version}",
                "coordinates": f.coordinates, "segments": len(segs), "sex": sex, "sex_source": why,
                "purity": f.purity, "ploidy": f.ploidy, "thresholds": self.thresholds,
                "targets": [_target(c) for c in res.calls.values()],
                "rules": dict(sorted(res.results.items()))}

    def inputs(self, digest: str = "sha256") -> list[dict]:
        return [input_entry(f.path, f"cnv:{f.format}-{f.version}", digest, file_checksum(f.path, digest),
                            segments=len(f.segments), skipped=dict(sorted(f.skipped.items()))) for f in self.files]


def _only_named(f: CopyNumberFile) -> list[str]:
    names = [n for n in f.samples() if n is not None]
    if not names:
        raise InputError(f"{f.path}: the file does not name its sample and no other input names one; "
                         "give it as SAMPLE=PATH")
    return names


def _target(c) -> dict:
    return {"target": c.target, "genes": c.target_def.genes, "status": c.status,
            "fraction_assessed": c.fraction_assessed, "states": dict(sorted(c.fraction_by_state.items())),
            "exons": {k: list(v) for k, v in sorted(c.exons_by_state.items()) if v},
            "segments": [f"{x.segment.chrom}:{x.segment.start}-{x.segment.end} line {x.segment.line}"
                         for x in c.segments]}
