#!/usr/bin/env cwl-runner
# jakcli batch as a CWL CommandLineTool (v1.2): a manifest and the files it names, staged into the
# working directory so the manifest's relative paths resolve; OUTDIR is returned as a Directory.
cwlVersion: v1.2
class: CommandLineTool
label: jakcli batch
baseCommand: [jakcli, batch]
requirements:
  InitialWorkDirRequirement:
    listing:
      - $(inputs.manifest)
      - $(inputs.inputs)
  InlineJavascriptRequirement: {}
hints:
  SoftwareRequirement:
    packages:
      jakcli: {}
inputs:
  manifest:
    type: File
    inputBinding: {position: 1, valueFrom: $(self.basename)}
  inputs:
    type: File[]
    doc: every VCF, index, fusion table and SV VCF the manifest names (by base name)
  outdir_name:
    type: string
    default: jakcli_batch
    inputBinding: {prefix: -o}
  jobs:
    type: int
    default: 1
    inputBinding: {prefix: --jobs}
  profile:
    type: string
    default: b-all
    inputBinding: {prefix: --profile}
  cbioportal:
    type: boolean
    default: false
    inputBinding: {prefix: --cbioportal}
outputs:
  outdir:
    type: Directory
    outputBinding: {glob: $(inputs.outdir_name)}
  cohort_tsv:
    type: File
    outputBinding: {glob: $(inputs.outdir_name)/cohort.tsv}
