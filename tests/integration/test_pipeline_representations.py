"""The real Mutect2 JAK2 file (../shared/realdata) rewritten the ways files get damaged or re-spelled
between pipeline steps: each run gives the right call or one exit-2 line that names the line and the
fix (never htslib's generic 'is it VCF/BCF format?' or 'unable to parse next record')."""

from __future__ import annotations

import subprocess

from support.tools import needs_tools

MUTECT2 = "mutect2_WP043_JAK2_GRCh37.vcf"


def _lines(realdata) -> list[bytes]:
    return (realdata / MUTECT2).read_bytes().split(b"\n")


def _one_error_line(result, *words: str) -> None:
    code, _out, err = result
    assert code == 2, err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("jakcli: error: "), err
    for w in words:
        assert w in lines[0], lines[0]


def test_byte_order_mark_is_named(realdata, tmp_path, run_jakcli):
    vcf = tmp_path / "bom.vcf"
    vcf.write_bytes(b"\xef\xbb\xbf" + (realdata / MUTECT2).read_bytes())
    _one_error_line(run_jakcli("classify", str(vcf)), "byte-order mark", "sed")


def test_duplicate_sample_names_are_named(realdata, tmp_path, run_jakcli):
    out = []
    for line in _lines(realdata):
        if line.startswith(b"#CHROM") or (line and not line.startswith(b"#")):
            line += b"\t" + line.split(b"\t")[-1]
        out.append(line)
    vcf = tmp_path / "dup.vcf"
    vcf.write_bytes(b"\n".join(out))
    _one_error_line(run_jakcli("classify", str(vcf)), "line 68", "'WP043' appears twice", "reheader")


@needs_tools("bgzip", "tabix")
def test_trailing_whitespace_names_the_line(realdata, tmp_path, run_jakcli):
    vcf = tmp_path / "ws.vcf"
    vcf.write_bytes(b"\n".join(x + b" " if x and not x.startswith(b"#") else x for x in _lines(realdata)))
    gz = tmp_path / "ws.vcf.gz"
    gz.write_bytes(subprocess.run(["bgzip", "-c", str(vcf)], capture_output=True, check=True).stdout)
    subprocess.run(["tabix", "-p", "vcf", str(gz)], check=True)
    for path in (vcf, gz):  # scanned and indexed paths
        _one_error_line(run_jakcli("classify", str(path)), "line 69 (9:5026771)", "whitespace")


def test_space_separated_records_stop_instead_of_counting_as_outside(realdata, tmp_path, run_jakcli):
    """Before: exit 0, all 22 records counted in outside_target_regions, V617F silently lost."""
    text = b"\n".join(x.replace(b"\t", b" ") if x and not x.startswith(b"#") else x for x in _lines(realdata))
    vcf = tmp_path / "spaces.vcf"
    vcf.write_bytes(text)
    _one_error_line(run_jakcli("classify", str(vcf)), "line 69", "tabs")
    _one_error_line(run_jakcli("classify", "-", stdin=text), "line 69", "tabs")


def test_iupac_alt_at_a_rule_locus_stops(realdata, tmp_path, run_jakcli):
    """Before: ALT 'K' (G or T) at V617F was counted as a symbolic allele, exit 0, no finding."""
    out = []
    for line in _lines(realdata):
        f = line.split(b"\t")
        if len(f) > 4 and f[1] == b"5073770":
            f[4] = b"K"
        out.append(b"\t".join(f))
    vcf = tmp_path / "iupac.vcf"
    vcf.write_bytes(b"\n".join(out))
    _one_error_line(run_jakcli("classify", str(vcf)), "record at 9:5073770", "ALT 'K'")


def test_missing_fileformat_line_is_named(realdata, tmp_path, run_jakcli):
    lines = _lines(realdata)
    no_meta = [x for x in lines if not x.startswith(b"##")]
    for name, kept in (("nofileformat.vcf", lines[1:]), ("chrom_only.vcf", no_meta)):
        vcf = tmp_path / name
        vcf.write_bytes(b"\n".join(kept))
        _one_error_line(run_jakcli("classify", str(vcf)), "##fileformat=VCFv4.2", "sed")


def test_file_cut_inside_its_header_is_named(realdata, tmp_path, run_jakcli):
    vcf = tmp_path / "cut.vcf"
    vcf.write_bytes((realdata / MUTECT2).read_bytes()[:4000])  # inside the long ##GATKCommandLine
    _one_error_line(run_jakcli("classify", str(vcf)), "ends inside its header", "truncated")


def test_a_space_after_the_last_sample_name_is_warned(realdata, tmp_path, run_jakcli):
    vcf = tmp_path / "ws.vcf"
    vcf.write_bytes(b"\n".join(x + b" " if x.startswith(b"#CHROM") else x for x in _lines(realdata)))
    code, out, err = run_jakcli("classify", str(vcf), "--format", "tsv")
    assert code == 0, err
    assert "sample name 'WP043 ' begins or ends with white space" in err and "--rename" in err
    clean = tmp_path / "clean.vcf"
    clean.write_bytes((realdata / MUTECT2).read_bytes())
    assert "white space" not in run_jakcli("classify", str(clean), "--format", "tsv")[2]
