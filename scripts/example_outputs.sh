#!/usr/bin/env bash
# Every report format jakcli writes, generated from sample_data/ into one folder (default
# build/examples/). CI runs it; open the HTML files in a browser, point MultiQC at batch/.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/examples}"
mkdir -p "$out"
sd=sample_data
rearr=(--fusions "BALL_CRLF2_JAK2=$sd/BALL_CRLF2_JAK2.arriba.fusions.tsv"
       --sv "BALL_CRLF2_JAK2=$sd/BALL_CRLF2_JAK2.manta.somaticSV.vcf")

jakcli classify "$sd/cohort_grch38.vcf.gz" "${rearr[@]}" --format tsv -o "$out/cohort.tsv"
jakcli classify "$sd/cohort_grch38.vcf.gz" "${rearr[@]}" --format json -o "$out/cohort.json"
jakcli classify "$sd/cohort_grch38.vcf.gz" "${rearr[@]}" --format md -o "$out/cohort.md"
jakcli classify "$sd/cohort_grch38.vcf.gz" "${rearr[@]}" --format html -o "$out/cohort.html"
jakcli classify "$sd/cohort_grch38.vcf.gz" --format vcf -o "$out/cohort.jakcli.vcf.gz"
tabix -f -p vcf "$out/cohort.jakcli.vcf.gz"
# hand-off formats (docs/handoff.md; xlsx needs openpyxl: pip install 'jakcli[handoff]')
jakcli classify "$sd/cohort_grch38.vcf.gz" "${rearr[@]}" --format maf -o "$out/cohort.maf"
jakcli classify "$sd/single_grch37_vep.vcf" --profile mpn --format maf -o "$out/single_grch37.maf"
jakcli classify "$sd/cohort_grch38.vcf.gz" "${rearr[@]}" --format cbioportal-sv -o "$out/cohort.data_sv.txt"
jakcli classify "$sd/cohort_grch38.vcf.gz" "${rearr[@]}" --format xlsx -o "$out/cohort.xlsx"
jakcli classify "$sd/cohort_grch38.vcf.gz" "${rearr[@]}" --format fhir -o "$out/cohort.fhir.json"
jakcli classify "$sd/cohort_grch38.vcf.gz" "${rearr[@]}" --format phenopacket -o "$out/cohort.phenopacket.json"
jakcli batch "$sd/manifest.tsv" -o "$out/batch" --html --jobs 2 --cbioportal   # + batch/cbioportal/<build>/
jakcli batch "$sd/manifest.tsv" -o "$out/batch" --jobs 2 --resume --reanalyse "$out/batch"   # + batch/changes.tsv
jakcli diff "$out/cohort.json" "$out/batch" --format text -o "$out/diff.txt"   # the single report vs the batch folder
python3 scripts/check_handoff_examples.py "$out"   # validates the hand-off files written above
if python3 -c "import multiqc" 2>/dev/null; then
  python3 -m multiqc --quiet --force "$out/batch" -o "$out/multiqc"
fi
echo "example outputs in $out/"
