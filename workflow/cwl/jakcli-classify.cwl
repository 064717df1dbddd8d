#!/usr/bin/env cwl-runner
# jakcli classify as a CWL CommandLineTool (v1.2). Tested with `cwltool --no-container` in
# tests/integration/test_workflow_wrappers.py; jakcli must be on PATH (pip install jakcli).
cwlVersion: v1.2
class: CommandLineTool
label: jakcli classify
doc: Classify JAK-STAT alterations of a VCF/BCF (plus optional fusion tables and SV VCFs) into one report.
baseCommand: [jakcli, classify]
requirements:
  InlineJavascriptRequirement: {}
hints:
  SoftwareRequirement:
    packages:
      jakcli: {}
inputs:
  vcf:
    type: File?
    secondaryFiles: [{pattern: .tbi, required: false}, {pattern: .csi, required: false}]
    inputBinding: {position: 1}
  fusions:
    type:
      - "null"
      - type: array
        items: string
        inputBinding: {prefix: --fusions}
    doc: "[SAMPLE=]PATH of an RNA fusion table (absolute path), as classify --fusions takes it"
    inputBinding: {position: 2}
  sv:
    type:
      - "null"
      - type: array
        items: string
        inputBinding: {prefix: --sv}
    doc: "[SAMPLE=]PATH of a DNA structural-variant VCF (absolute path), as classify --sv takes it"
    inputBinding: {position: 3}
  build:
    type: string
    default: auto
    inputBinding: {prefix: --build}
  profile:
    type: string
    default: b-all
    inputBinding: {prefix: --profile}
  format:
    type: string
    default: json
    inputBinding: {prefix: --format}
  output_name:
    type: string
    default: report.json
    inputBinding: {prefix: -o}
outputs:
  report:
    type: File
    outputBinding: {glob: $(inputs.output_name)}
